using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DevLab.JmesPath.Functions;
using DevLab.JmesPath.Interop;
using Handoff.Policy.Values;
using Newtonsoft.Json.Linq;

namespace Handoff.Policy.Variables;

/// <summary>A JMESPath function failed on its arguments (wrong type, bad regex...): the rule reports an error.</summary>
internal sealed class JmesPathFunctionError(string message) : Exception(message);

/// <summary>Kyverno's custom JMESPath functions, with Kyverno's names, arities and behaviour.</summary>
internal static class KyvernoFunctions
{
    private static readonly Func<DateTimeOffset> SystemClock = () => DateTimeOffset.UtcNow;

    [ThreadStatic]
    private static Func<DateTimeOffset>? t_clock;

    /// <summary>The clock of time functions, per thread: each thread evaluates one resource at a time with its context's clock.</summary>
    public static Func<DateTimeOffset> Clock
    {
        get => t_clock ?? SystemClock;
        set => t_clock = value;
    }

    public static void RegisterAll(IRegisterFunctions registry)
    {
        Add(registry, "compare", 2, a => new JValue(Math.Sign(string.CompareOrdinal(Str(a, 0, "compare"), Str(a, 1, "compare")))));
        Add(registry, "equal_fold", 2, a => new JValue(string.Equals(Str(a, 0, "equal_fold"), Str(a, 1, "equal_fold"), StringComparison.OrdinalIgnoreCase)));
        Add(registry, "replace", 4, a =>
        {
            var s = Str(a, 0, "replace");
            var old = Str(a, 1, "replace");
            var @new = Str(a, 2, "replace");
            var n = (int)Num(a, 3, "replace");
            return new JValue(Replace(s, old, @new, n));
        });
        Add(registry, "replace_all", 3, a => new JValue(Replace(Str(a, 0, "replace_all"), Str(a, 1, "replace_all"), Str(a, 2, "replace_all"), -1)));
        Add(registry, "to_upper", 1, a => new JValue(Str(a, 0, "to_upper").ToUpperInvariant()));
        Add(registry, "to_lower", 1, a => new JValue(Str(a, 0, "to_lower").ToLowerInvariant()));
        Add(registry, "trim", 2, a => new JValue(Str(a, 0, "trim").Trim(Str(a, 1, "trim").ToCharArray())));
        Add(registry, "trim_prefix", 2, a =>
        {
            var s = Str(a, 0, "trim_prefix");
            var prefix = Str(a, 1, "trim_prefix");
            return new JValue(prefix.Length > 0 && s.StartsWith(prefix, StringComparison.Ordinal) ? s[prefix.Length..] : s);
        });
        Add(registry, "split", 2, a =>
        {
            var s = Str(a, 0, "split");
            var sep = Str(a, 1, "split");
            var parts = sep.Length == 0 ? s.EnumerateRunes().Select(r => r.ToString()).ToArray() : s.Split(sep);
            return new JArray(parts.Select(p => new JValue(p)));
        });
        Add(registry, "regex_replace_all", 3, a => new JValue(Regex(a, 0, "regex_replace_all").Replace(StrOrNumber(a, 1, "regex_replace_all"), GoReplacement(StrOrNumber(a, 2, "regex_replace_all")))));
        Add(registry, "regex_replace_all_literal", 3, a => new JValue(Regex(a, 0, "regex_replace_all_literal").Replace(StrOrNumber(a, 1, "regex_replace_all_literal"), StrOrNumber(a, 2, "regex_replace_all_literal").Replace("$", "$$"))));
        Add(registry, "regex_match", 2, a => new JValue(Regex(a, 0, "regex_match").IsMatch(StrOrNumber(a, 1, "regex_match"))));
        Add(registry, "pattern_match", 2, a => new JValue(Wildcard.Match(Str(a, 0, "pattern_match"), StrOrNumber(a, 1, "pattern_match"))));
        Add(registry, "label_match", 2, a =>
        {
            var selector = Obj(a, 0, "label_match");
            var labels = Obj(a, 1, "label_match");
            foreach (var property in selector.Properties())
            {
                if (labels[property.Name] is not JValue value || GoFormat.Sprint(value) != GoFormat.Sprint(property.Value))
                {
                    return new JValue(false);
                }
            }

            return new JValue(true);
        });
        Add(registry, "to_boolean", 1, a => Str(a, 0, "to_boolean").ToLowerInvariant() switch
        {
            "true" => new JValue(true),
            "false" => new JValue(false),
            var other => throw new JmesPathFunctionError($"to_boolean: '{other}' is neither true nor false"),
        });
        Add(registry, "add", 2, a => Arithmetic.Apply("add", a[0].Token, a[1].Token));
        Add(registry, "subtract", 2, a => Arithmetic.Apply("subtract", a[0].Token, a[1].Token));
        Add(registry, "multiply", 2, a => Arithmetic.Apply("multiply", a[0].Token, a[1].Token));
        Add(registry, "divide", 2, a => Arithmetic.Apply("divide", a[0].Token, a[1].Token));
        Add(registry, "modulo", 2, a => Arithmetic.Apply("modulo", a[0].Token, a[1].Token));
        Add(registry, "round", 2, a => new JValue(Math.Round(Num(a, 0, "round"), (int)Num(a, 1, "round"), MidpointRounding.AwayFromZero)));
        Add(registry, "base64_decode", 1, a =>
        {
            try
            {
                return new JValue(Encoding.UTF8.GetString(Convert.FromBase64String(Str(a, 0, "base64_decode"))));
            }
            catch (FormatException ex)
            {
                throw new JmesPathFunctionError("base64_decode: " + ex.Message);
            }
        });
        Add(registry, "base64_encode", 1, a => new JValue(Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(a, 0, "base64_encode")))));
        Add(registry, "path_canonicalize", 1, a => new JValue(CanonicalPath(Str(a, 0, "path_canonicalize"))));
        Add(registry, "truncate", 2, a =>
        {
            var s = Str(a, 0, "truncate");
            var length = Math.Max(0, (int)Num(a, 1, "truncate"));
            return new JValue(s.Length <= length ? s : s[..length]);
        });
        Add(registry, "semver_compare", 2, a => new JValue(SemVer.Satisfies(Str(a, 0, "semver_compare"), Str(a, 1, "semver_compare"))));
        Add(registry, "parse_json", 1, a =>
        {
            try
            {
                return JToken.Parse(Str(a, 0, "parse_json"));
            }
            catch (Newtonsoft.Json.JsonException ex)
            {
                throw new JmesPathFunctionError("parse_json: " + ex.Message);
            }
        });
        Add(registry, "parse_yaml", 1, a =>
        {
            try
            {
                var documents = Yaml.YamlJsonReader.Read(Str(a, 0, "parse_yaml"), "parse_yaml");
                return documents.Count == 0 ? JValue.CreateNull() : JsonBridge.ToToken(documents[0].Root);
            }
            catch (HandoffException ex)
            {
                throw new JmesPathFunctionError("parse_yaml: " + ex.Message);
            }
        });
        Add(registry, "lookup", 2, a => a[0].Token switch
        {
            JObject obj => obj[Str(a, 1, "lookup")] ?? JValue.CreateNull(),
            JArray array => Num(a, 1, "lookup") is var index && index >= 0 && index < array.Count && index == Math.Floor(index) ? array[(int)index] : JValue.CreateNull(),
            _ => throw new JmesPathFunctionError("lookup: the first argument must be an object or an array"),
        });
        Add(registry, "items", 3, a =>
        {
            var keyName = Str(a, 1, "items");
            var valueName = Str(a, 2, "items");
            var result = new JArray();
            switch (a[0].Token)
            {
                case JObject obj:
                    foreach (var property in obj.Properties().OrderBy(p => p.Name, StringComparer.Ordinal))
                    {
                        result.Add(new JObject { [keyName] = property.Name, [valueName] = property.Value.DeepClone() });
                    }

                    break;
                case JArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        result.Add(new JObject { [keyName] = i, [valueName] = array[i].DeepClone() });
                    }

                    break;
                default:
                    throw new JmesPathFunctionError("items: the first argument must be an object or an array");
            }

            return result;
        });
        Add(registry, "object_from_lists", 2, a =>
        {
            var keys = a[0].Token as JArray ?? throw new JmesPathFunctionError("object_from_lists: keys must be an array");
            var values = a[1].Token as JArray ?? throw new JmesPathFunctionError("object_from_lists: values must be an array");
            var result = new JObject();
            for (var i = 0; i < keys.Count; i++)
            {
                result[GoFormat.Sprint(keys[i])] = i < values.Count ? values[i].DeepClone() : JValue.CreateNull();
            }

            return result;
        });
        Add(registry, "time_now", 0, _ => new JValue(Clock().ToLocalTime().ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture)));
        Add(registry, "time_now_utc", 0, _ => new JValue(Clock().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));
        Add(registry, "time_since", 3, a =>
        {
            var layout = Str(a, 0, "time_since");
            var start = GoTime.Parse(layout, Str(a, 1, "time_since"));
            var endText = Str(a, 2, "time_since");
            var end = endText.Length == 0 ? Clock() : GoTime.Parse(layout, endText);
            return new JValue(GoTime.FormatDuration(end - start));
        });
        Add(registry, "time_diff", 2, a => new JValue(GoTime.FormatDuration(GoTime.Parse("", Str(a, 1, "time_diff")) - GoTime.Parse("", Str(a, 0, "time_diff")))));
        Add(registry, "time_before", 2, a => new JValue(GoTime.Parse("", Str(a, 0, "time_before")) < GoTime.Parse("", Str(a, 1, "time_before"))));
        Add(registry, "time_after", 2, a => new JValue(GoTime.Parse("", Str(a, 0, "time_after")) > GoTime.Parse("", Str(a, 1, "time_after"))));
        Add(registry, "time_between", 3, a =>
        {
            var t = GoTime.Parse("", Str(a, 0, "time_between"));
            return new JValue(t > GoTime.Parse("", Str(a, 1, "time_between")) && t < GoTime.Parse("", Str(a, 2, "time_between")));
        });
        Add(registry, "time_add", 2, a =>
        {
            var t = GoTime.Parse("", Str(a, 0, "time_add"));
            if (!GoDuration.TryParse(Str(a, 1, "time_add"), out var ns))
            {
                throw new JmesPathFunctionError($"time_add: '{Str(a, 1, "time_add")}' is not a duration");
            }

            return new JValue(GoTime.Format(t.AddTicks(ns / 100)));
        });
        Add(registry, "time_utc", 1, a => new JValue(GoTime.Format(GoTime.Parse("", Str(a, 0, "time_utc")).ToUniversalTime())));
        Add(registry, "time_parse", 2, a => new JValue(GoTime.Format(GoTime.Parse(Str(a, 0, "time_parse"), Str(a, 1, "time_parse")))));
        Add(registry, "time_truncate", 2, a =>
        {
            var t = GoTime.Parse("", Str(a, 0, "time_truncate"));
            if (!GoDuration.TryParse(Str(a, 1, "time_truncate"), out var ns) || ns <= 0)
            {
                throw new JmesPathFunctionError($"time_truncate: '{Str(a, 1, "time_truncate")}' is not a positive duration");
            }

            var ticks = ns / 100;
            var utc = t.UtcTicks - (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) % ticks;
            return new JValue(GoTime.Format(new DateTimeOffset(utc, TimeSpan.Zero).ToOffset(t.Offset)));
        });
    }

    private static void Add(IRegisterFunctions registry, string name, int arity, Func<JmesPathFunctionArgument[], JToken> body) =>
        registry.Register(name, new LambdaFunction(name, arity, body));

    private sealed class LambdaFunction(string name, int arity, Func<JmesPathFunctionArgument[], JToken> body) : JmesPathFunction(name, arity, false)
    {
        public override void Validate(params JmesPathFunctionArgument[] args)
        {
            if (args.Length != MinArgumentCount)
            {
                throw new JmesPathFunctionError($"{Name}() takes {MinArgumentCount} argument(s), got {args.Length}");
            }
        }

        public override JToken Execute(params JmesPathFunctionArgument[] args) => body(args);
    }

    private static string Str(JmesPathFunctionArgument[] args, int index, string function) =>
        args[index].Token is JValue { Type: JTokenType.String } value
            ? (string)value.Value!
            : throw new JmesPathFunctionError($"{function}: argument {index + 1} must be a string, got {Describe(args[index].Token)}");

    private static string StrOrNumber(JmesPathFunctionArgument[] args, int index, string function) =>
        args[index].Token is JValue { Type: JTokenType.String or JTokenType.Integer or JTokenType.Float } value
            ? GoFormat.Sprint(value)
            : throw new JmesPathFunctionError($"{function}: argument {index + 1} must be a string or a number, got {Describe(args[index].Token)}");

    private static double Num(JmesPathFunctionArgument[] args, int index, string function) =>
        args[index].Token is JValue { Type: JTokenType.Integer or JTokenType.Float } value
            ? Convert.ToDouble(value.Value, CultureInfo.InvariantCulture)
            : throw new JmesPathFunctionError($"{function}: argument {index + 1} must be a number, got {Describe(args[index].Token)}");

    private static JObject Obj(JmesPathFunctionArgument[] args, int index, string function) =>
        args[index].Token as JObject ?? throw new JmesPathFunctionError($"{function}: argument {index + 1} must be an object, got {Describe(args[index].Token)}");

    private static Regex Regex(JmesPathFunctionArgument[] args, int index, string function)
    {
        var pattern = Str(args, index, function);
        try
        {
            return RegexCache.Get(pattern);
        }
        catch (ArgumentException ex)
        {
            throw new JmesPathFunctionError($"{function}: invalid regular expression '{pattern}': {ex.Message}");
        }
    }

    internal static string Describe(JToken? token) => token?.Type switch
    {
        null or JTokenType.Null => "null",
        JTokenType.Object => "an object",
        JTokenType.Array => "an array",
        JTokenType.String => "a string",
        JTokenType.Integer or JTokenType.Float => "a number",
        JTokenType.Boolean => "a boolean",
        _ => token.Type.ToString(),
    };

    private static string Replace(string s, string old, string @new, int n)
    {
        if (n < 0)
        {
            return old.Length == 0 ? string.Concat(s.Select(c => @new + c)) + @new : s.Replace(old, @new, StringComparison.Ordinal);
        }

        var builder = new StringBuilder();
        var start = 0;
        for (var i = 0; i < n; i++)
        {
            var at = s.IndexOf(old, start, StringComparison.Ordinal);
            if (at < 0 || old.Length == 0)
            {
                break;
            }

            builder.Append(s, start, at - start).Append(@new);
            start = at + old.Length;
        }

        return builder.Append(s, start, s.Length - start).ToString();
    }

    /// <summary>Go's regexp uses <c>$1</c>/<c>${name}</c> like .NET; only the escape of a literal dollar differs.</summary>
    private static string GoReplacement(string replacement) => replacement;

    private static string CanonicalPath(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        var rooted = path.StartsWith('/');
        var stack = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (stack.Count > 0 && stack[^1] != "..")
                {
                    stack.RemoveAt(stack.Count - 1);
                }
                else if (!rooted)
                {
                    stack.Add("..");
                }

                continue;
            }

            stack.Add(part);
        }

        var joined = string.Join('/', stack);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    private static class RegexCache
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Regex> Cache = new(StringComparer.Ordinal);

        public static Regex Get(string pattern) =>
            Cache.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
    }
}

/// <summary>Kyverno's add/subtract/multiply/divide/modulo over numbers, quantities and durations.</summary>
internal static class Arithmetic
{
    public static JToken Apply(string op, JToken a, JToken b)
    {
        var left = GoValue.Of(a);
        var right = GoValue.Of(b);
        if (left.IsNumber && right.IsNumber)
        {
            var x = left.AsDouble;
            var y = right.AsDouble;
            return op switch
            {
                "add" => new JValue(x + y),
                "subtract" => new JValue(x - y),
                "multiply" => new JValue(x * y),
                "divide" => y == 0 ? throw new JmesPathFunctionError("divide: division by zero") : new JValue(x / y),
                _ => y == 0 ? throw new JmesPathFunctionError("modulo: division by zero") : new JValue(Math.IEEERemainder(x, y) is var r && r != 0 && Math.Sign(r) != Math.Sign(x) ? r + y * Math.Sign(x) : r),
            };
        }

        if (left.Kind == GoKind.String && GoDuration.TryParse(left.String, out var d1) && (right.Kind == GoKind.String ? GoDuration.TryParse(right.String, out var d2) : (d2 = 0) == 0 && right.IsNumber))
        {
            if (right.IsNumber)
            {
                return op switch
                {
                    "multiply" => new JValue(GoTime.FormatDuration(TimeSpan.FromTicks((long)(d1 * right.AsDouble / 100)))),
                    "divide" => right.AsDouble == 0 ? throw new JmesPathFunctionError("divide: division by zero") : new JValue(GoTime.FormatDuration(TimeSpan.FromTicks((long)(d1 / right.AsDouble / 100)))),
                    _ => throw new JmesPathFunctionError($"{op}: cannot combine a duration and a number"),
                };
            }

            return op switch
            {
                "add" => new JValue(GoTime.FormatDuration(TimeSpan.FromTicks((d1 + d2) / 100))),
                "subtract" => new JValue(GoTime.FormatDuration(TimeSpan.FromTicks((d1 - d2) / 100))),
                "divide" => d2 == 0 ? throw new JmesPathFunctionError("divide: division by zero") : new JValue((double)d1 / d2),
                "modulo" => d2 == 0 ? throw new JmesPathFunctionError("modulo: division by zero") : new JValue(GoTime.FormatDuration(TimeSpan.FromTicks(d1 % d2 / 100))),
                _ => throw new JmesPathFunctionError($"{op}: cannot multiply two durations"),
            };
        }

        if (left.Kind == GoKind.String && Quantity.TryParse(left.String, out var q1))
        {
            if (right.IsNumber)
            {
                return op switch
                {
                    "multiply" => new JValue(FormatQuantity(q1.Value * (decimal)right.AsDouble)),
                    "divide" => right.AsDouble == 0 ? throw new JmesPathFunctionError("divide: division by zero") : new JValue(FormatQuantity(q1.Value / (decimal)right.AsDouble)),
                    _ => throw new JmesPathFunctionError($"{op}: cannot combine a quantity and a number"),
                };
            }

            if (right.Kind == GoKind.String && Quantity.TryParse(right.String, out var q2))
            {
                return op switch
                {
                    "add" => new JValue(FormatQuantity(q1.Value + q2.Value)),
                    "subtract" => new JValue(FormatQuantity(q1.Value - q2.Value)),
                    "divide" => q2.Value == 0 ? throw new JmesPathFunctionError("divide: division by zero") : new JValue((double)(q1.Value / q2.Value)),
                    "modulo" => q2.Value == 0 ? throw new JmesPathFunctionError("modulo: division by zero") : new JValue(FormatQuantity(q1.Value % q2.Value)),
                    _ => throw new JmesPathFunctionError($"{op}: cannot multiply two quantities"),
                };
            }
        }

        throw new JmesPathFunctionError($"{op}: unsupported operands {KyvernoFunctions.Describe(a)} and {KyvernoFunctions.Describe(b)}");
    }

    private static string FormatQuantity(decimal value) => value == decimal.Truncate(value)
        ? decimal.Truncate(value).ToString(CultureInfo.InvariantCulture)
        : (value * 1000m) == decimal.Truncate(value * 1000m) ? decimal.Truncate(value * 1000m).ToString(CultureInfo.InvariantCulture) + "m"
        : value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Semantic versions and Blang-style ranges (<c>&gt;=1.2.0 &lt;2.0.0 || 3.x</c>) for <c>semver_compare</c>.</summary>
internal static class SemVer
{
    public static bool Satisfies(string version, string range)
    {
        var v = Parse(version) ?? throw new JmesPathFunctionError($"semver_compare: '{version}' is not a semantic version");
        foreach (var alternative in range.Split("||"))
        {
            var all = true;
            foreach (var clause in alternative.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var op = new string(clause.TakeWhile(c => c is '<' or '>' or '=' or '!').ToArray());
                var target = Parse(clause[op.Length..]) ?? throw new JmesPathFunctionError($"semver_compare: '{clause}' is not a valid range");
                var cmp = Compare(v, target);
                var ok = op switch
                {
                    "" or "=" or "==" => cmp == 0,
                    "!=" or "!" => cmp != 0,
                    ">" => cmp > 0,
                    ">=" => cmp >= 0,
                    "<" => cmp < 0,
                    "<=" => cmp <= 0,
                    _ => throw new JmesPathFunctionError($"semver_compare: unknown operator '{op}'"),
                };
                if (!ok)
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

    private static (long Major, long Minor, long Patch, string Pre)? Parse(string text)
    {
        text = text.Trim().TrimStart('v');
        var plus = text.IndexOf('+');
        if (plus >= 0)
        {
            text = text[..plus];
        }

        var dash = text.IndexOf('-');
        var pre = dash >= 0 ? text[(dash + 1)..] : "";
        var core = (dash >= 0 ? text[..dash] : text).Split('.');
        if (core.Length != 3 || !long.TryParse(core[0], out var major) || !long.TryParse(core[1], out var minor) || !long.TryParse(core[2], out var patch))
        {
            return null;
        }

        return (major, minor, patch, pre);
    }

    private static int Compare((long Major, long Minor, long Patch, string Pre) a, (long Major, long Minor, long Patch, string Pre) b)
    {
        var c = a.Major.CompareTo(b.Major);
        if (c != 0) return c;
        c = a.Minor.CompareTo(b.Minor);
        if (c != 0) return c;
        c = a.Patch.CompareTo(b.Patch);
        if (c != 0) return c;
        if (a.Pre.Length == 0 || b.Pre.Length == 0)
        {
            return b.Pre.Length.CompareTo(a.Pre.Length) == 0 ? 0 : a.Pre.Length == 0 ? 1 : -1;
        }

        var pa = a.Pre.Split('.');
        var pb = b.Pre.Split('.');
        for (var i = 0; i < Math.Min(pa.Length, pb.Length); i++)
        {
            var na = long.TryParse(pa[i], out var ia);
            var nb = long.TryParse(pb[i], out var ib);
            c = na && nb ? ia.CompareTo(ib) : na ? -1 : nb ? 1 : string.CompareOrdinal(pa[i], pb[i]);
            if (c != 0) return Math.Sign(c);
        }

        return pa.Length.CompareTo(pb.Length);
    }
}

/// <summary>Timestamps the way Kyverno's time functions read and print them (RFC 3339, Go layouts).</summary>
internal static class GoTime
{
    public static DateTimeOffset Parse(string layout, string text)
    {
        var formats = layout.Length == 0 || layout == "2006-01-02T15:04:05Z07:00"
            ? new[] { "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK" }
            : new[] { Translate(layout) };
        if (DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var result))
        {
            return result;
        }

        throw new JmesPathFunctionError($"cannot parse time '{text}'{(layout.Length > 0 ? $" with layout '{layout}'" : "")}");
    }

    public static string Format(DateTimeOffset value) =>
        value.Offset == TimeSpan.Zero ? value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>Go's <c>time.Duration.String()</c>: <c>1h2m3.5s</c>, <c>1.5ms</c>, <c>0s</c>.</summary>
    public static string FormatDuration(TimeSpan span)
    {
        var ns = span.Ticks * 100;
        if (ns == 0)
        {
            return "0s";
        }

        var negative = ns < 0;
        var u = (ulong)Math.Abs(ns);
        string text;
        if (u < 1_000_000_000)
        {
            text = u < 1_000 ? $"{u}ns" : u < 1_000_000 ? Fraction(u, 1_000) + "µs" : Fraction(u, 1_000_000) + "ms";
        }
        else
        {
            var hours = u / 3_600_000_000_000;
            var minutes = u / 60_000_000_000 % 60;
            var seconds = Fraction(u % 60_000_000_000, 1_000_000_000) + "s";
            text = hours > 0 ? $"{hours}h{minutes}m{seconds}" : minutes > 0 ? $"{minutes}m{seconds}" : seconds;
        }

        return negative ? "-" + text : text;
    }

    private static string Fraction(ulong value, ulong unit)
    {
        var whole = value / unit;
        var rest = value % unit;
        if (rest == 0)
        {
            return whole.ToString(CultureInfo.InvariantCulture);
        }

        var digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        return whole + "." + rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
    }

    private static string Translate(string layout) => layout
        .Replace("2006", "yyyy").Replace("01", "MM").Replace("02", "dd").Replace("15", "HH").Replace("04", "mm").Replace("05", "ss")
        .Replace("Z07:00", "K").Replace("-07:00", "zzz").Replace("MST", "'UTC'").Replace("T", "'T'");
}
