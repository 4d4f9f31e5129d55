using System.Collections.Concurrent;
using DevLab.JmesPath;
using DevLab.JmesPath.Expressions;
using DevLab.JmesPath.Interop;
using DevLab.JmesPath.Utils;
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
/// JMESPath with Kyverno's function library. Expressions are parsed and checked once per policy. JmesPath.Net's
/// parsed expressions and function objects keep per-call state, so each thread evaluates with its own library
/// instance and its own parse of each expression; no lock is taken while evaluating.
/// </summary>
internal sealed class JmesPathRuntime
{
    // The library hands out shared null/true/false tokens; once they have a parent, Json.NET copies them
    // instead of re-parenting them, so concurrent evaluations never write to the shared instances.
    private static readonly JToken[] SharedLibraryTokens = [QueryValue.Freeze(JTokens.Null), QueryValue.Freeze(JTokens.True), QueryValue.Freeze(JTokens.False)];

    public static readonly JmesPathRuntime Shared = new();

    [ThreadStatic]
    private static ThreadEvaluator? t_evaluator;

    private readonly JmesPath _compiler = NewLibrary();
    private readonly object _compileGate = new();
    private readonly ConcurrentDictionary<string, CompiledQuery> _cache = new(StringComparer.Ordinal);

    private JmesPathRuntime()
    {
    }

    public CompiledQuery Compile(string expression)
    {
        if (_cache.TryGetValue(expression, out var cached))
        {
            return cached;
        }

        JmesPathExpression parsed;
        lock (_compileGate)
        {
            try
            {
                parsed = _compiler.Parse(expression);
            }
            catch (Exception ex)
            {
                throw CompileError(expression, ex);
            }
        }

        return _cache.GetOrAdd(expression, new CompiledQuery(expression, NodeQuery.TryCompile(parsed)));
    }

    private static PolicyCompileException CompileError(string expression, Exception ex)
    {
        var message = ex.Message;
        var unknown = message.IndexOf("no function named ", StringComparison.Ordinal);
        if (unknown >= 0)
        {
            var name = message[(unknown + "no function named ".Length)..].Split(' ')[0];
            return new PolicyCompileException($"the JMESPath function '{name}' in '{expression}' is not supported by Handoff's policy engine.",
                "Use one of the standard JMESPath functions or Kyverno's documented ones (to_upper, split, regex_match, semver_compare, ...).");
        }

        return new PolicyCompileException($"'{expression}' is not a valid JMESPath expression ({message.Trim()}).",
            "Check the brackets, quotes and dots of the expression.");
    }

    private static JmesPath NewLibrary()
    {
        var library = new JmesPath();
        KyvernoFunctions.RegisterAll(library.FunctionRepository);
        return library;
    }

    /// <summary>This thread's library instance (functions) and parses.</summary>
    internal static ThreadEvaluator Current => t_evaluator ??= new ThreadEvaluator(NewLibrary());

    internal sealed class ThreadEvaluator(JmesPath library)
    {
        private readonly Dictionary<string, JmesPathExpression> _parsed = new(StringComparer.Ordinal);

        public IFunctionRepository Functions { get; } = (IFunctionRepository)library.FunctionRepository;

        public JmesPathExpression Parsed(string expression)
        {
            if (!_parsed.TryGetValue(expression, out var parsed))
            {
                parsed = library.Parse(expression);
                _parsed[expression] = parsed;
            }

            return parsed;
        }
    }
}

/// <summary>
/// One JMESPath expression, parsed and checked. Evaluates on resource nodes directly when it has a
/// <see cref="NodeQuery"/>, otherwise with JmesPath.Net on the Json.NET form of the data.
/// </summary>
internal sealed class CompiledQuery
{
    private readonly NodeQuery? _nodeQuery;

    internal CompiledQuery(string text, NodeQuery? nodeQuery)
    {
        Text = text;
        _nodeQuery = nodeQuery;
    }

    public string Text { get; }

    /// <summary>True when the expression is evaluated on nodes without converting the data for the library.</summary>
    public bool HasNodeQuery => _nodeQuery is not null;

    /// <summary>The expression over the variables of <paramref name="scope"/>; C# null for any JSON null.</summary>
    public object? Evaluate(IQueryScope scope) =>
        _nodeQuery is not null && scope.NodeQueriesAllowed ? EvaluateNodes(scope.Root, scope.Library) : EvaluateLibrary(scope.TokenRoot, scope.Library);

    /// <summary>The expression over one value (a context variable's <c>jmesPath</c> applied to its <c>value</c>).</summary>
    public object? EvaluateOn(object? input, IQueryScope scope) =>
        _nodeQuery is not null ? EvaluateNodes(input, scope.Library) : EvaluateLibrary(QueryValue.ToArgumentToken(input), scope.Library);

    /// <summary>Evaluation by JmesPath.Net itself: the reference the node queries are tested against.</summary>
    internal JToken? EvaluateLibrary(JToken root, JmesPathRuntime.ThreadEvaluator library)
    {
        try
        {
            var result = library.Parsed(Text).Transform(root).AsJToken();
            return result is null || result.Type == JTokenType.Null ? null : result;
        }
        catch (Exception ex) when (ex is not EvaluationException)
        {
            throw Failure(ex);
        }
    }

    internal object? EvaluateNodes(object? input, JmesPathRuntime.ThreadEvaluator library)
    {
        try
        {
            return _nodeQuery!.Evaluate(input, library.Functions);
        }
        catch (Exception ex) when (ex is not EvaluationException)
        {
            throw Failure(ex);
        }
    }

    private EvaluationException Failure(Exception ex) => new($"JMESPath query '{Text}' failed: {ex.Message}", ex);
}

/// <summary>The variables a query reads: as engine values for node queries, and as one Json.NET object for the library.</summary>
internal interface IQueryScope
{
    /// <summary>The root object (<c>request</c>, <c>element</c>, context variables...) as engine values.</summary>
    object Root { get; }

    /// <summary>The same variables as a Json.NET object, built on first use.</summary>
    JToken TokenRoot { get; }

    /// <summary>False while <see cref="Root"/> does not reflect the variables (a variable was written into resource data).</summary>
    bool NodeQueriesAllowed { get; }

    /// <summary>The evaluating thread's JmesPath.Net instance (its functions and parsed expressions).</summary>
    JmesPathRuntime.ThreadEvaluator Library { get; }
}
