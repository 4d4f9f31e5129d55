using DevLab.JmesPath;
using DevLab.JmesPath.Expressions;
using Newtonsoft.Json.Linq;

namespace Handoff.Policy.Variables;

/// <summary>A policy construct that cannot be compiled: names what is wrong so the loader can add file:line.</summary>
internal sealed class PolicyCompileException(string problem, string? fix = null) : Exception(problem)
{
    public string Problem { get; } = problem;
    public string? Fix { get; } = fix;
}

/// <summary>A variable or JMESPath expression failed while evaluating a rule against a resource.</summary>
internal sealed class EvaluationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// JMESPath with Kyverno's function library. Expressions are parsed once per policy; the interpreter's
/// function objects are not thread-safe, so evaluation is serialised on one gate (uncontended in practice).
/// </summary>
internal sealed class JmesPathRuntime
{
    public static readonly JmesPathRuntime Shared = new();

    private readonly JmesPath _jmesPath = new();
    private readonly object _gate = new();
    private readonly Dictionary<string, CompiledQuery> _cache = new(StringComparer.Ordinal);

    private JmesPathRuntime()
    {
        KyvernoFunctions.RegisterAll(_jmesPath.FunctionRepository);
    }

    public CompiledQuery Compile(string expression)
    {
        lock (_gate)
        {
            if (_cache.TryGetValue(expression, out var cached))
            {
                return cached;
            }

            JmesPathExpression parsed;
            try
            {
                parsed = _jmesPath.Parse(expression);
            }
            catch (Exception ex)
            {
                var message = ex.Message;
                var unknown = message.IndexOf("no function named ", StringComparison.Ordinal);
                if (unknown >= 0)
                {
                    var name = message[(unknown + "no function named ".Length)..].Split(' ')[0];
                    throw new PolicyCompileException($"the JMESPath function '{name}' in '{expression}' is not supported by Handoff's policy engine.",
                        "Use one of the standard JMESPath functions or Kyverno's documented ones (to_upper, split, regex_match, semver_compare, ...).");
                }

                throw new PolicyCompileException($"'{expression}' is not a valid JMESPath expression ({message.Trim()}).",
                    "Check the brackets, quotes and dots of the expression.");
            }

            var query = new CompiledQuery(this, parsed, expression);
            _cache[expression] = query;
            return query;
        }
    }

    internal JToken? Evaluate(CompiledQuery query, JToken root)
    {
        lock (_gate)
        {
            try
            {
                var result = query.Expression.Transform(root).AsJToken();
                return result is null || result.Type == JTokenType.Null ? null : result;
            }
            catch (JmesPathFunctionError ex)
            {
                throw new EvaluationException($"JMESPath query '{query.Text}' failed: {ex.Message}", ex);
            }
            catch (Exception ex) when (ex is not EvaluationException)
            {
                throw new EvaluationException($"JMESPath query '{query.Text}' failed: {ex.Message}", ex);
            }
        }
    }
}

internal sealed class CompiledQuery(JmesPathRuntime runtime, JmesPathExpression expression, string text)
{
    public JmesPathExpression Expression { get; } = expression;
    public string Text { get; } = text;

    public JToken? Evaluate(JToken root) => runtime.Evaluate(this, root);
}
