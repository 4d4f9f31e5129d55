using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace Handoff.Policy.Variables;

/// <summary>
/// A string with Kyverno variables (<c>{{ request.object.metadata.name }}</c>), compiled once. A string that
/// is exactly one variable yields the variable's typed value; otherwise values are spliced as text.
/// <c>\{{...}}</c> is an escaped literal.
/// </summary>
internal sealed partial class StringTemplate
{
    private readonly object[] _parts;

    private StringTemplate(object[] parts, string source)
    {
        _parts = parts;
        Source = source;
    }

    public string Source { get; }

    public static bool HasVariables(string text) => text.Contains("{{", StringComparison.Ordinal) && VariableRegex().IsMatch(text);

    /// <summary>Null when <paramref name="text"/> has no variables (escaped ones are still unescaped by <see cref="Unescape"/>).</summary>
    public static StringTemplate? TryCompile(string text, Func<string, string>? rewrite = null)
    {
        if (!HasVariables(text))
        {
            return null;
        }

        var parts = new List<object>();
        var last = 0;
        foreach (Match match in VariableRegex().Matches(text))
        {
            var group = match.Groups[2];
            if (group.Index > last)
            {
                parts.Add(Unescape(text[last..group.Index]));
            }

            var expression = group.Value[2..^2].Trim();
            if (rewrite is not null)
            {
                expression = rewrite(expression);
            }

            if (expression.Length == 0)
            {
                throw new PolicyCompileException($"'{text}' has an empty variable '{{{{}}}}'.", "Put a JMESPath expression between the braces.");
            }

            parts.Add(JmesPathRuntime.Shared.Compile(expression));
            last = group.Index + group.Length;
        }

        if (last < text.Length)
        {
            parts.Add(Unescape(text[last..]));
        }

        return new StringTemplate(parts.ToArray(), text);
    }

    public static string Unescape(string text) => text.Contains("\\{{", StringComparison.Ordinal) ? text.Replace("\\{{", "{{", StringComparison.Ordinal) : text;

    /// <summary>The typed value of a lone variable, else the text with every variable spliced in.</summary>
    public object? Evaluate(IQueryScope scope)
    {
        if (_parts.Length == 1 && _parts[0] is CompiledQuery only)
        {
            return only.Evaluate(scope);
        }

        var builder = new StringBuilder();
        foreach (var part in _parts)
        {
            if (part is string literal)
            {
                builder.Append(literal);
                continue;
            }

            var value = ((CompiledQuery)part).Evaluate(scope);
            builder.Append(QueryValue.AsString(value) ?? JsonBridge.GoJson(QueryValue.ToResultToken(value)));
        }

        return new JValue(builder.ToString());
    }

    public string EvaluateToString(IQueryScope scope)
    {
        var value = Evaluate(scope);
        return QueryValue.AsString(value) ?? JsonBridge.GoJson(QueryValue.ToResultToken(value));
    }

    [GeneratedRegex(@"(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})")]
    private static partial Regex VariableRegex();
}

/// <summary>A JSON value (condition key/value, pattern) whose strings may hold variables; constant when none do.</summary>
internal sealed class JsonTemplate
{
    private readonly JToken? _constant;
    private readonly Func<IQueryScope, object?>? _build;

    private JsonTemplate(JToken? constant, Func<IQueryScope, object?>? build)
    {
        _constant = constant;
        _build = build;
    }

    public bool IsConstant => _build is null;

    public static JsonTemplate Compile(JsonNode? node, Func<string, string>? rewrite = null)
    {
        var build = CompileNode(node, rewrite);
        return build is null ? new JsonTemplate(Unescaped(JsonBridge.ToToken(node)) is { } constant ? QueryValue.Freeze(constant) : null, null) : new JsonTemplate(null, build);
    }

    /// <summary>The value as engine values (a lone variable keeps its type); C# null for JSON null.</summary>
    public object? Evaluate(IQueryScope scope) => _build is null ? _constant : _build(scope);

    /// <summary>The value as a Json.NET token (shared constants included, so callers only read it); null for JSON null.</summary>
    public JToken? EvaluateToken(IQueryScope scope) => QueryValue.ToResultToken(Evaluate(scope));

    /// <summary>The value of a constant template.</summary>
    public JToken? Constant => _build is null ? _constant : throw new InvalidOperationException("the template has variables");

    private static JToken? Unescaped(JToken token)
    {
        switch (token)
        {
            case JValue { Type: JTokenType.String } s when ((string)s.Value!).Contains("\\{{", StringComparison.Ordinal):
                return new JValue(StringTemplate.Unescape((string)s.Value!));
            case JContainer container:
                foreach (var child in container.DescendantsAndSelf().OfType<JValue>().Where(v => v.Type == JTokenType.String).ToList())
                {
                    child.Value = StringTemplate.Unescape((string)child.Value!);
                }

                return container;
            case JValue { Type: JTokenType.Null }:
                return null;
            default:
                return token;
        }
    }

    private static Func<IQueryScope, object?>? CompileNode(JsonNode? node, Func<string, string>? rewrite)
    {
        switch (node)
        {
            case JsonObject obj:
            {
                var children = obj.Select(p => (p.Key, Template: CompileNode(p.Value, rewrite), Constant: QueryValue.Freeze(JsonBridge.ToToken(p.Value)))).ToArray();
                if (children.All(c => c.Template is null))
                {
                    return null;
                }

                return scope =>
                {
                    var result = new JObject();
                    foreach (var (key, template, constant) in children)
                    {
                        result[key] = template is null ? constant : QueryValue.ToResultToken(template(scope)) ?? JValue.CreateNull();
                    }

                    return result;
                };
            }

            case JsonArray array:
            {
                var children = array.Select(item => (Template: CompileNode(item, rewrite), Constant: QueryValue.Freeze(JsonBridge.ToToken(item)))).ToArray();
                if (children.All(c => c.Template is null))
                {
                    return null;
                }

                return scope =>
                {
                    var result = new JArray();
                    foreach (var (template, constant) in children)
                    {
                        result.Add(template is null ? constant : QueryValue.ToResultToken(template(scope)) ?? JValue.CreateNull());
                    }

                    return result;
                };
            }

            case JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String:
            {
                var template = StringTemplate.TryCompile(value.GetValue<string>(), rewrite);
                return template is null ? null : template.Evaluate;
            }

            default:
                return null;
        }
    }
}
