using System.Globalization;
using System.Text.Json;
using Handoff.Policy.Patterns;
using Handoff.Policy.Values;
using Handoff.Policy.Variables;
using Newtonsoft.Json.Linq;

namespace Handoff.Policy.Conditions;

/// <summary>The operators of <c>preconditions</c> and <c>deny.conditions</c>, with Kyverno's type rules.</summary>
internal enum ConditionOperator
{
    Equals,
    NotEquals,
    In,
    NotIn,
    AnyIn,
    AllIn,
    AnyNotIn,
    AllNotIn,
    GreaterThan,
    GreaterThanOrEquals,
    LessThan,
    LessThanOrEquals,
    DurationGreaterThan,
    DurationGreaterThanOrEquals,
    DurationLessThan,
    DurationLessThanOrEquals,
}

internal static class ConditionOperators
{
    public static bool TryParse(string text, out ConditionOperator op)
    {
        switch (text.ToLowerInvariant())
        {
            case "equals" or "equal": op = ConditionOperator.Equals; return true;
            case "notequals" or "notequal": op = ConditionOperator.NotEquals; return true;
            case "in": op = ConditionOperator.In; return true;
            case "notin": op = ConditionOperator.NotIn; return true;
            case "anyin": op = ConditionOperator.AnyIn; return true;
            case "allin": op = ConditionOperator.AllIn; return true;
            case "anynotin": op = ConditionOperator.AnyNotIn; return true;
            case "allnotin": op = ConditionOperator.AllNotIn; return true;
            case "greaterthan": op = ConditionOperator.GreaterThan; return true;
            case "greaterthanorequals": op = ConditionOperator.GreaterThanOrEquals; return true;
            case "lessthan": op = ConditionOperator.LessThan; return true;
            case "lessthanorequals": op = ConditionOperator.LessThanOrEquals; return true;
            case "durationgreaterthan": op = ConditionOperator.DurationGreaterThan; return true;
            case "durationgreaterthanorequals": op = ConditionOperator.DurationGreaterThanOrEquals; return true;
            case "durationlessthan": op = ConditionOperator.DurationLessThan; return true;
            case "durationlessthanorequals": op = ConditionOperator.DurationLessThanOrEquals; return true;
            default: op = default; return false;
        }
    }

    public static bool Evaluate(ConditionOperator op, JToken? key, JToken? value) => op switch
    {
        ConditionOperator.Equals => EqualsOp(key, value),
        ConditionOperator.NotEquals => NotEqualsOp(key, value),
        ConditionOperator.In => InOp(key, value, negate: false),
        ConditionOperator.NotIn => InOp(key, value, negate: true),
        ConditionOperator.AnyIn => AnyIn(key, value, notIn: false),
        ConditionOperator.AnyNotIn => AnyIn(key, value, notIn: true),
        ConditionOperator.AllIn => AllIn(key, value, notIn: false),
        ConditionOperator.AllNotIn => AllIn(key, value, notIn: true),
        ConditionOperator.GreaterThan or ConditionOperator.GreaterThanOrEquals or ConditionOperator.LessThan or ConditionOperator.LessThanOrEquals => Numeric(op, key, value),
        _ => DurationOp(op, key, value),
    };

    private static bool EqualsOp(JToken? key, JToken? value)
    {
        var k = GoValue.Of(key);
        var v = GoValue.Of(value);
        switch (k.Kind)
        {
            case GoKind.Bool:
                return v.Kind == GoKind.Bool && v.Bool == k.Bool;
            case GoKind.Int:
            case GoKind.Float:
                return v.Kind switch
                {
                    GoKind.Int or GoKind.Float => v.AsDouble == k.AsDouble,
                    GoKind.String => double.TryParse(v.String, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed == k.AsDouble,
                    _ => false,
                };
            case GoKind.String:
                if (ParseDurations(k, v) is (long kd, long vd))
                {
                    return kd == vd;
                }

                if (Quantity.TryParse(k.String, out var kq) && v.Kind == GoKind.String)
                {
                    return Quantity.TryParse(v.String, out var vq) && kq.CompareTo(vq) == 0;
                }

                return v.Kind == GoKind.String && Wildcard.Match(v.String!, k.String!);
            case GoKind.Map:
            case GoKind.Array:
                return v.Kind == k.Kind && JsonBridge.DeepEquals(key, value);
            default:
                return false;
        }
    }

    private static bool NotEqualsOp(JToken? key, JToken? value)
    {
        var k = GoValue.Of(key);
        var v = GoValue.Of(value);
        switch (k.Kind)
        {
            case GoKind.Bool:
                return v.Kind != GoKind.Bool || v.Bool != k.Bool;
            case GoKind.Int:
            case GoKind.Float:
                return v.Kind switch
                {
                    GoKind.Int or GoKind.Float => v.AsDouble != k.AsDouble,
                    GoKind.String => !double.TryParse(v.String, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || parsed != k.AsDouble,
                    _ => true,
                };
            case GoKind.String:
                if (ParseDurations(k, v) is (long kd, long vd))
                {
                    return kd != vd;
                }

                if (Quantity.TryParse(k.String, out var kq) && v.Kind == GoKind.String)
                {
                    return Quantity.TryParse(v.String, out var vq) && kq.CompareTo(vq) != 0;
                }

                return v.Kind != GoKind.String || !Wildcard.Match(v.String!, k.String!);
            case GoKind.Map:
            case GoKind.Array:
                return v.Kind != k.Kind || !JsonBridge.DeepEquals(key, value);
            default:
                return false;
        }
    }

    /// <summary>Kyverno's parseDuration: succeeds when at least one side is a duration string (other than "0") and the other is a duration or a number of seconds.</summary>
    private static (long, long)? ParseDurations(GoValue key, GoValue value)
    {
        long? kd = key.Kind == GoKind.String && key.String != "0" && GoDuration.TryParse(key.String, out var k) ? k : null;
        long? vd = value.Kind == GoKind.String && value.String != "0" && GoDuration.TryParse(value.String, out var v) ? v : null;
        if (kd is null && vd is null)
        {
            return null;
        }

        kd ??= key.IsNumber ? (long)key.AsDouble * 1_000_000_000 : null;
        vd ??= value.IsNumber ? (long)value.AsDouble * 1_000_000_000 : null;
        return kd is null || vd is null ? null : (kd.Value, vd.Value);
    }

    private static string? ScalarText(GoValue value, JToken? token) => value.Kind switch
    {
        GoKind.String => value.String,
        GoKind.Int or GoKind.Float or GoKind.Bool => GoFormat.Sprint(token),
        _ => null,
    };

    private static bool InOp(JToken? key, JToken? value, bool negate)
    {
        var k = GoValue.Of(key);
        if (k.Kind is GoKind.String or GoKind.Int or GoKind.Float)
        {
            var text = ScalarText(k, key)!;
            if (!KeyExistsInArray(text, value, out var exists))
            {
                return false;
            }

            return negate ? !exists : exists;
        }

        if (key is JArray keys)
        {
            var keyStrings = keys.Select(item => GoFormat.Sprint(item)).ToList();
            List<string>? values;
            switch (value)
            {
                case JArray array:
                    if (array.Any(item => item.Type != JTokenType.String))
                    {
                        return false;
                    }

                    values = array.Select(item => (string)item!).ToList();
                    break;
                case JValue { Type: JTokenType.String } s:
                    if (keyStrings.Count == 1 && keyStrings[0] == (string)s.Value!)
                    {
                        return true;
                    }

                    values = ParseStringArray((string)s.Value!, lenient: false);
                    if (values is null)
                    {
                        return false;
                    }

                    break;
                default:
                    return false;
            }

            var set = values.ToHashSet(StringComparer.Ordinal);
            return negate ? keyStrings.Any(k2 => !set.Contains(k2)) : keyStrings.All(set.Contains);
        }

        return false;
    }

    private static bool KeyExistsInArray(string key, JToken? value, out bool exists)
    {
        exists = false;
        switch (value)
        {
            case JArray array:
                exists = array.Any(item => Wildcard.Match(key, GoFormat.Sprint(item)));
                return true;
            case JValue { Type: JTokenType.String } s:
            {
                var text = (string)s.Value!;
                if (Wildcard.Match(text, key))
                {
                    exists = true;
                    return true;
                }

                var values = ParseStringArray(text, lenient: false);
                if (values is null)
                {
                    return false;
                }

                exists = values.Contains(key);
                return true;
            }

            default:
                return false;
        }
    }

    private static bool AnyIn(JToken? key, JToken? value, bool notIn)
    {
        var k = GoValue.Of(key);
        if (k.Kind is GoKind.String or GoKind.Int or GoKind.Float or GoKind.Bool)
        {
            var text = ScalarText(k, key)!;
            if (!AnyKeyExists(text, value, out var exists))
            {
                return false;
            }

            return notIn ? !exists : exists;
        }

        if (key is JArray keys)
        {
            return AnySetExists(keys.Select(item => GoFormat.Sprint(item)).ToList(), value, notIn);
        }

        return false;
    }

    private static bool AnyKeyExists(string key, JToken? value, out bool exists)
    {
        exists = false;
        switch (value)
        {
            case JArray array:
                foreach (var item in array)
                {
                    var text = GoFormat.Sprint(item);
                    if (Wildcard.Match(text, key) || Wildcard.Match(key, text))
                    {
                        exists = true;
                        break;
                    }
                }

                return true;
            case JValue { Type: JTokenType.String } s:
            {
                var text = (string)s.Value!;
                if (Wildcard.Match(text, key))
                {
                    exists = true;
                    return true;
                }

                if (ValuePattern.IsRange(text))
                {
                    exists = ValuePattern.ForString(text).Matches(GoValue.FromString(key));
                    return true;
                }

                var values = ParseStringArray(text, lenient: true);
                if (values is null)
                {
                    return false;
                }

                exists = values.Contains(key);
                return true;
            }

            default:
                return false;
        }
    }

    private static bool AnySetExists(List<string> keys, JToken? value, bool notIn)
    {
        var values = SetValues(keys, value, notIn, all: false, out var decided);
        if (values is null)
        {
            return decided;
        }

        bool Found(string k) => values.Any(v => Wildcard.Match(k, v) || Wildcard.Match(v, k));
        return notIn ? keys.Any(k => !Found(k)) : keys.Any(Found);
    }

    /// <summary>
    /// The right-hand side of a set operator: a list, or a string holding a list, a single value or a
    /// range. Null when the string alone settles the answer (<paramref name="decided"/>): it equals the
    /// only key, is a range (matched against any/all keys), or is not a list at all.
    /// </summary>
    private static List<string>? SetValues(List<string> keys, JToken? value, bool notIn, bool all, out bool decided)
    {
        decided = false;
        switch (value)
        {
            case JArray array:
                return array.Select(item => GoFormat.Sprint(item)).ToList();
            case JValue { Type: JTokenType.String } s:
            {
                var text = (string)s.Value!;
                if (keys.Count == 1 && keys[0] == text)
                {
                    decided = !notIn;
                    return null;
                }

                if (ValuePattern.IsRange(text))
                {
                    var range = ValuePattern.ForString(notIn ? ReplaceFirst(text, "-", "!-") : text);
                    decided = all ? keys.All(k => range.Matches(GoValue.FromString(k))) : keys.Any(k => range.Matches(GoValue.FromString(k)));
                    return null;
                }

                return ParseStringArray(text, lenient: true);
            }

            default:
                return null;
        }
    }

    private static bool AllIn(JToken? key, JToken? value, bool notIn)
    {
        var k = GoValue.Of(key);
        if (k.Kind is GoKind.String or GoKind.Int or GoKind.Float or GoKind.Bool)
        {
            var text = ScalarText(k, key)!;
            if (!KeyExistsInArray(text, value, out var exists))
            {
                return false;
            }

            return notIn ? !exists : exists;
        }

        if (key is not JArray keys)
        {
            return false;
        }

        var keyStrings = keys.Select(item => GoFormat.Sprint(item)).ToList();
        var values = SetValues(keyStrings, value, notIn, all: true, out var decided);
        if (values is null)
        {
            return decided;
        }

        bool Found(string k2) => values.Any(v => Wildcard.Match(k2, v) || Wildcard.Match(v, k2));
        return notIn ? !keyStrings.Any(Found) : keyStrings.All(Found);
    }

    private static string ReplaceFirst(string text, string old, string replacement)
    {
        var at = text.IndexOf(old, StringComparison.Ordinal);
        return at < 0 ? text : text[..at] + replacement + text[(at + old.Length)..];
    }

    /// <summary>A value given as a JSON-encoded string array; lenient mode treats non-JSON text as a one-element list.</summary>
    private static List<string>? ParseStringArray(string text, bool lenient)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize<List<string>>(text);
            return parsed ?? [];
        }
        catch (JsonException)
        {
            if (!lenient)
            {
                return null;
            }

            try
            {
                using var _ = JsonDocument.Parse(text);
                return null;
            }
            catch (JsonException)
            {
                return [text];
            }
        }
    }

    private static bool Numeric(ConditionOperator op, JToken? key, JToken? value)
    {
        var k = GoValue.Of(key);
        var v = GoValue.Of(value);
        switch (k.Kind)
        {
            case GoKind.Int:
            case GoKind.Float:
                return NumericAgainst(op, k.AsDouble, k, v);
            case GoKind.String:
                if (ParseDurations(k, v) is (long kd, long vd))
                {
                    return Compare(op, kd, vd);
                }

                if (double.TryParse(k.String, NumberStyles.Float, CultureInfo.InvariantCulture, out var kf))
                {
                    return NumericAgainst(op, kf, GoValue.FromDouble(kf), v);
                }

                if (Quantity.TryParse(k.String, out var kq))
                {
                    return v.Kind == GoKind.String && Quantity.TryParse(v.String, out var vq) && Compare(op, kq.CompareTo(vq), 0);
                }

                return false;
            default:
                return false;
        }
    }

    private static bool NumericAgainst(ConditionOperator op, double key, GoValue keyValue, GoValue value)
    {
        switch (value.Kind)
        {
            case GoKind.Int:
            case GoKind.Float:
                return Compare(op, key, value.AsDouble);
            case GoKind.String:
                if (ParseDurations(keyValue, value) is (long kd, long vd))
                {
                    return Compare(op, kd, vd);
                }

                return double.TryParse(value.String, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && Compare(op, key, parsed);
            default:
                return false;
        }
    }

    private static bool Compare(ConditionOperator op, double key, double value) => op switch
    {
        ConditionOperator.GreaterThan or ConditionOperator.DurationGreaterThan => key > value,
        ConditionOperator.GreaterThanOrEquals or ConditionOperator.DurationGreaterThanOrEquals => key >= value,
        ConditionOperator.LessThan or ConditionOperator.DurationLessThan => key < value,
        ConditionOperator.LessThanOrEquals or ConditionOperator.DurationLessThanOrEquals => key <= value,
        _ => false,
    };

    private static bool DurationOp(ConditionOperator op, JToken? key, JToken? value)
    {
        static long? Seconds(GoValue v) => v.IsNumber ? (long)v.AsDouble * 1_000_000_000 : null;

        var k = GoValue.Of(key);
        var v = GoValue.Of(value);
        long? kd = k.Kind == GoKind.String ? (GoDuration.TryParse(k.String, out var kn) ? kn : null) : Seconds(k);
        long? vd = v.Kind == GoKind.String ? (GoDuration.TryParse(v.String, out var vn) ? vn : null) : Seconds(v);
        return kd is not null && vd is not null && Compare(op, kd.Value, vd.Value);
    }
}
