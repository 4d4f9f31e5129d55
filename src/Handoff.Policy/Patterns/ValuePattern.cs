using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Handoff.Policy.Values;

namespace Handoff.Policy.Patterns;

/// <summary>
/// A leaf of a validation pattern (<c>"!*:latest"</c>, <c>">=2"</c>, <c>"100m-2"</c>, <c>true</c>, <c>null</c>...),
/// parsed once and checked against resource values with Kyverno's rules: <c>|</c> alternatives of <c>&amp;</c>
/// conjunctions, comparison operators, ranges, globs, and durations/quantities compared numerically.
/// </summary>
internal sealed partial class ValuePattern
{
    private readonly GoValue _literal;
    private readonly Atom[][]? _alternatives;

    private ValuePattern(GoValue literal, Atom[][]? alternatives, string text)
    {
        _literal = literal;
        _alternatives = alternatives;
        Text = text;
    }

    /// <summary>The pattern as written, for messages.</summary>
    public string Text { get; }

    public bool IsStar => _literal.Kind == GoKind.String && _literal.String == "*";

    public static ValuePattern Compile(JsonNode? node)
    {
        var literal = GoValue.Of(node);
        return literal.Kind == GoKind.String ? ForString(literal.String!) : new ValuePattern(literal, null, node?.ToJsonString() ?? "null");
    }

    public static ValuePattern ForString(string pattern)
    {
        var alternatives = pattern.Split('|')
            .Select(alternative => alternative.Trim(' ').Split('&').Select(part => ParseAtom(part.Trim(' '))).ToArray())
            .ToArray();
        return new ValuePattern(GoValue.FromString(pattern), alternatives, pattern);
    }

    public bool Matches(JsonNode? value) => Matches(GoValue.Of(value));

    public bool Matches(GoValue value)
    {
        switch (_literal.Kind)
        {
            case GoKind.Bool:
                return value.Kind == GoKind.Bool && value.Bool == _literal.Bool;
            case GoKind.Int:
            case GoKind.Float:
                return MatchesNumber(value, _literal.AsDouble);
            case GoKind.Nil:
                return value.Kind switch
                {
                    GoKind.Float => value.Float == 0,
                    GoKind.Int => value.Int == 0,
                    GoKind.String => value.String!.Length == 0,
                    GoKind.Bool => !value.Bool,
                    GoKind.Nil => true,
                    _ => false,
                };
            case GoKind.Map:
                return value.Kind == GoKind.Map;
            case GoKind.Array:
                return false;
            default:
                if (value.Kind == GoKind.String && value.String == _literal.String)
                {
                    return true;
                }

                foreach (var conjunction in _alternatives!)
                {
                    var all = true;
                    foreach (var atom in conjunction)
                    {
                        if (!atom.Matches(value))
                        {
                            all = false;
                            break;
                        }
                    }

                    if (all)
                    {
                        return true;
                    }
                }

                return false;
        }
    }

    private static bool MatchesNumber(GoValue value, double pattern) => value.Kind switch
    {
        GoKind.Int => pattern == Math.Truncate(pattern) && value.Int == pattern,
        GoKind.Float => value.Float == pattern,
        GoKind.String => double.TryParse(value.String, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed == pattern,
        _ => false,
    };

    internal enum Operator
    {
        Equal,
        NotEqual,
        More,
        Less,
        MoreEqual,
        LessEqual,
    }

    private static Atom ParseAtom(string text)
    {
        var op = OperatorOf(text);
        if (op is null)
        {
            var notInRange = NotInRangeRegex().Match(text);
            if (notInRange.Success)
            {
                return new Atom.Either(ParseAtom("< " + notInRange.Groups[1].Value), ParseAtom("> " + notInRange.Groups[2].Value));
            }

            var inRange = InRangeRegex().Match(text);
            if (inRange.Success)
            {
                return new Atom.Both(ParseAtom(">= " + inRange.Groups[1].Value), ParseAtom("<= " + inRange.Groups[2].Value));
            }

            return new Atom.Compare(Operator.Equal, text);
        }

        var symbolLength = op switch
        {
            Operator.MoreEqual or Operator.LessEqual => 2,
            _ => 1,
        };
        return new Atom.Compare(op.Value, text[symbolLength..].Trim());
    }

    /// <summary>The operator prefix of a pattern atom, or null for equality (ranges are detected separately).</summary>
    internal static Operator? OperatorOf(string text)
    {
        if (text.Length < 2)
        {
            return null;
        }

        return text[0] switch
        {
            '>' when text[1] == '=' => Operator.MoreEqual,
            '<' when text[1] == '=' => Operator.LessEqual,
            '>' => Operator.More,
            '<' => Operator.Less,
            '!' => Operator.NotEqual,
            _ => null,
        };
    }

    internal static bool IsRange(string text) => OperatorOf(text) is null && InRangeRegex().IsMatch(text);

    [GeneratedRegex(@"^([-|\+]?\d+(?:\.\d+)?[A-Za-z]*)-([-|\+]?\d+(?:\.\d+)?[A-Za-z]*)$")]
    private static partial Regex InRangeRegex();

    [GeneratedRegex(@"^([-|\+]?\d+(?:\.\d+)?[A-Za-z]*)!-([-|\+]?\d+(?:\.\d+)?[A-Za-z]*)$")]
    private static partial Regex NotInRangeRegex();

    private abstract class Atom
    {
        public abstract bool Matches(GoValue value);

        public sealed class Either(Atom left, Atom right) : Atom
        {
            public override bool Matches(GoValue value) => left.Matches(value) || right.Matches(value);
        }

        public sealed class Both(Atom left, Atom right) : Atom
        {
            public override bool Matches(GoValue value) => left.Matches(value) && right.Matches(value);
        }

        public sealed class Compare : Atom
        {
            private readonly Operator _op;
            private readonly string _operand;
            private readonly long? _duration;
            private readonly Quantity? _quantity;

            public Compare(Operator op, string operand)
            {
                _op = op;
                _operand = operand;
                _duration = GoDuration.TryParse(operand, out var ns) ? ns : null;
                _quantity = Quantity.TryParse(operand, out var q) ? q : null;
            }

            public override bool Matches(GoValue value)
            {
                if (_duration is { } patternDuration && NumberText(value) is { } durationText && GoDuration.TryParse(durationText, out var actualDuration))
                {
                    return Ordered(actualDuration.CompareTo(patternDuration));
                }

                if (_quantity is { } patternQuantity && NumberText(value) is { } quantityText && Quantity.TryParse(quantityText, out var actualQuantity))
                {
                    return Ordered(actualQuantity.CompareTo(patternQuantity));
                }

                if (_op is not (Operator.Equal or Operator.NotEqual))
                {
                    return false;
                }

                string text;
                switch (value.Kind)
                {
                    case GoKind.Float:
                        text = GoFormat.FloatE(value.Float);
                        break;
                    case GoKind.Int:
                        text = value.Int.ToString(CultureInfo.InvariantCulture);
                        break;
                    case GoKind.String:
                        text = value.String!;
                        break;
                    case GoKind.Bool:
                        text = value.Bool ? "true" : "false";
                        break;
                    default:
                        return false;
                }

                var matched = Wildcard.Match(_operand, text);
                return _op == Operator.NotEqual ? !matched : matched;
            }

            private bool Ordered(int comparison) => _op switch
            {
                Operator.Equal => comparison == 0,
                Operator.NotEqual => comparison != 0,
                Operator.More => comparison > 0,
                Operator.Less => comparison < 0,
                Operator.MoreEqual => comparison >= 0,
                Operator.LessEqual => comparison <= 0,
                _ => false,
            };

            private static string? NumberText(GoValue value) => value.Kind switch
            {
                GoKind.Nil => "0",
                GoKind.String => value.String,
                GoKind.Float => GoFormat.FloatF(value.Float),
                GoKind.Int => value.Int.ToString(CultureInfo.InvariantCulture),
                _ => null,
            };
        }
    }
}
