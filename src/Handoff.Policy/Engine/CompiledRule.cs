using System.Text.Json.Nodes;
using Handoff.Policy.Conditions;
using Handoff.Policy.Matching;
using Handoff.Policy.Patterns;
using Handoff.Policy.Variables;

namespace Handoff.Policy.Engine;

/// <summary>A condition (<c>key</c>, <c>operator</c>, <c>value</c>) with its variables compiled.</summary>
internal sealed class Condition(JsonTemplate key, ConditionOperator op, JsonTemplate value, string? message)
{
    public string? Message { get; } = message;

    public bool Evaluate(IQueryScope scope) => ConditionOperators.Evaluate(op, key.EvaluateToken(scope), value.EvaluateToken(scope));
}

/// <summary><c>any</c>/<c>all</c> condition lists; several blocks (the legacy list form) must all hold.</summary>
internal sealed class ConditionBlock(Condition[]? any, Condition[] all)
{
    /// <summary>Whether the block holds; messages of failed conditions are collected when <paramref name="collect"/> is set.</summary>
    public bool Evaluate(IQueryScope scope, bool collect, ref List<string>? messages)
    {
        var anyResult = true;
        if (any is not null)
        {
            anyResult = false;
            foreach (var condition in any)
            {
                if (condition.Evaluate(scope))
                {
                    anyResult = true;
                    break;
                }

                if (collect && condition.Message is { Length: > 0 } m)
                {
                    (messages ??= []).Add(m);
                }
            }
        }

        foreach (var condition in all)
        {
            if (!condition.Evaluate(scope))
            {
                if (collect && condition.Message is { Length: > 0 } m)
                {
                    (messages ??= []).Add(m);
                }

                return false;
            }
        }

        return anyResult;
    }

    public bool Evaluate(IQueryScope scope)
    {
        List<string>? none = null;
        return Evaluate(scope, collect: false, ref none);
    }
}

/// <summary>A pattern compiled once, or per evaluation when it holds variables.</summary>
internal sealed class PatternSource
{
    private readonly PatternNode? _static;
    private readonly JsonTemplate? _template;

    public PatternSource(JsonNode? pattern, Func<string, string>? rewrite)
    {
        var template = JsonTemplate.Compile(pattern, rewrite);
        if (template.IsConstant)
        {
            _static = PatternCompiler.Compile(JsonBridge.ToNode(template.Constant));
        }
        else
        {
            _template = template;
        }
    }

    public bool NeedsContext => _template is not null;

    public PatternNode Resolve(IQueryScope? scope) => _static ?? PatternCompiler.Compile(JsonBridge.ToNode(_template!.EvaluateToken(scope!)));
}

/// <summary>A <c>context</c> entry of kind <c>variable</c>.</summary>
internal sealed class ContextVariable(string name, JsonTemplate? value, CompiledQuery? jmesPath, JsonTemplate? @default)
{
    public string Name { get; } = name;

    /// <summary>The variable's value as an engine value (see <see cref="QueryValue"/>).</summary>
    public object Resolve(IQueryScope scope)
    {
        var fallback = @default?.Evaluate(scope);
        var output = fallback;
        if (value is not null)
        {
            var raw = value.Evaluate(scope);
            output = jmesPath is null ? raw : (raw is null ? null : jmesPath.EvaluateOn(raw, scope)) ?? fallback;
        }
        else if (jmesPath is not null)
        {
            output = jmesPath.Evaluate(scope) ?? fallback;
        }

        return output ?? throw new EvaluationException($"context variable '{Name}' evaluated to null; give it a value, a jmesPath that resolves, or a default.");
    }
}

/// <summary>The checks of a <c>validate</c> block or of one <c>foreach</c> entry.</summary>
internal sealed class ValidationBody
{
    public PatternSource? Pattern { get; init; }
    public PatternSource[]? AnyPattern { get; init; }
    public ConditionBlock? Deny { get; init; }
    public ForeachEntry[]? Foreach { get; init; }
}

internal sealed class ForeachEntry
{
    public required CompiledQuery List { get; init; }
    public ContextVariable[] Context { get; init; } = [];
    public ConditionBlock? Preconditions { get; init; }
    public required ValidationBody Body { get; init; }
    public bool? ElementScope { get; init; }
}

/// <summary>A rule ready to run: match/exclude, context, preconditions and the validation it performs.</summary>
internal sealed class CompiledRule
{
    private string? _passedMessage;

    public required string Name { get; init; }

    /// <summary>The message of a passing result, made once per rule rather than once per resource.</summary>
    public string PassedMessage => _passedMessage ??= $"validation rule '{Name}' passed.";

    public bool IsAutogen { get; init; }
    public required MatchBlock Match { get; init; }
    public MatchBlock? Exclude { get; init; }
    public ContextVariable[] Context { get; init; } = [];
    public ConditionBlock? Preconditions { get; init; }
    public ValidationBody? Validation { get; init; }
    public StringTemplate? MessageTemplate { get; init; }
    public string Message { get; init; } = "";
    public FailureAction? FailureAction { get; init; }
    public (FailureAction Action, string[] Namespaces)[] FailureActionOverrides { get; init; } = [];

    /// <summary>Why the rule cannot be evaluated here (mutate, generate, CEL...); matching resources get an error result.</summary>
    public string? Unsupported { get; init; }

    public string[] MatchKinds { get; init; } = [];
}
