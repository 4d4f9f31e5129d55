using System.Text.Json.Nodes;
using Handoff.Policy.Conditions;
using Handoff.Policy.Matching;
using Handoff.Policy.Patterns;
using Handoff.Policy.Variables;
using Newtonsoft.Json.Linq;

namespace Handoff.Policy.Engine;

/// <summary>A condition (<c>key</c>, <c>operator</c>, <c>value</c>) with its variables compiled.</summary>
internal sealed class Condition(JsonTemplate key, ConditionOperator op, JsonTemplate value, string? message)
{
    public string? Message { get; } = message;

    public bool Evaluate(JToken root) => ConditionOperators.Evaluate(op, key.Evaluate(root), value.Evaluate(root));
}

/// <summary><c>any</c>/<c>all</c> condition lists; several blocks (the legacy list form) must all hold.</summary>
internal sealed class ConditionBlock(Condition[]? any, Condition[] all)
{
    public bool Evaluate(JToken root, List<string>? messages = null)
    {
        var anyResult = true;
        if (any is not null)
        {
            anyResult = false;
            foreach (var condition in any)
            {
                if (condition.Evaluate(root))
                {
                    anyResult = true;
                    break;
                }

                if (condition.Message is { Length: > 0 } m)
                {
                    messages?.Add(m);
                }
            }
        }

        foreach (var condition in all)
        {
            if (!condition.Evaluate(root))
            {
                if (condition.Message is { Length: > 0 } m)
                {
                    messages?.Add(m);
                }

                return false;
            }
        }

        return anyResult;
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
            _static = PatternCompiler.Compile(JsonBridge.ToNode(template.Evaluate(new JObject())));
        }
        else
        {
            _template = template;
        }
    }

    public bool NeedsContext => _template is not null;

    public PatternNode Resolve(JToken? root) => _static ?? PatternCompiler.Compile(JsonBridge.ToNode(_template!.Evaluate(root!)));
}

/// <summary>A <c>context</c> entry of kind <c>variable</c>.</summary>
internal sealed class ContextVariable(string name, JsonTemplate? value, CompiledQuery? jmesPath, JsonTemplate? @default)
{
    public string Name { get; } = name;

    public JToken Resolve(JToken root)
    {
        var fallback = @default?.Evaluate(root);
        JToken? output = fallback;
        if (value is not null)
        {
            var raw = value.Evaluate(root);
            output = jmesPath is null ? raw : (raw is null ? null : jmesPath.Evaluate(raw)) ?? fallback;
        }
        else if (jmesPath is not null)
        {
            output = jmesPath.Evaluate(root) ?? fallback;
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
    public required string Name { get; init; }
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
