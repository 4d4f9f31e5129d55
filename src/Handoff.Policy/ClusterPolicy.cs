using System.Text.Json.Nodes;
using Handoff.Policy.Engine;
using Handoff.Policy.Loading;

namespace Handoff.Policy;

/// <summary>
/// A Kyverno policy (<c>kyverno.io/v1</c> ClusterPolicy, or namespaced Policy) compiled for evaluation:
/// patterns, JMESPath expressions and match blocks are parsed once, pod-controller rules auto-generated.
/// </summary>
public sealed class ClusterPolicy
{
    internal ClusterPolicy(string name, string? @namespace, string kind, JsonObject source, IReadOnlyList<CompiledRule> rules,
        FailureAction failureAction, IReadOnlyList<(FailureAction Action, string[] Namespaces)> overrides, bool scored, string? sourceFile)
    {
        Name = name;
        Namespace = @namespace;
        Kind = kind;
        Source = source;
        CompiledRules = rules.ToArray();
        FailureAction = failureAction;
        FailureActionOverrides = overrides;
        Scored = scored;
        SourceFile = sourceFile;
        RuleNames = rules.Select(r => r.Name).ToArray();
        Unsupported = rules.Where(r => r.Unsupported is not null && !r.IsAutogen).Select(r => r.Unsupported!).ToArray();
    }

    public string Name { get; }

    /// <summary>The namespace of a namespaced <c>Policy</c> (it only applies there); null for a ClusterPolicy.</summary>
    public string? Namespace { get; }

    /// <summary><c>ClusterPolicy</c> or <c>Policy</c>.</summary>
    public string Kind { get; }

    public string? SourceFile { get; }

    /// <summary>The policy-wide default (<c>spec.validationFailureAction</c>), Audit when unset.</summary>
    public FailureAction FailureAction { get; }

    /// <summary>False when the policy is annotated <c>policies.kyverno.io/scored: "false"</c>: its failures are warnings.</summary>
    public bool Scored { get; }

    /// <summary>Every rule that runs, including auto-generated <c>autogen-…</c> rules.</summary>
    public IReadOnlyList<string> RuleNames { get; }

    /// <summary>Constructs this engine cannot evaluate (mutate, generate, verifyImages, apiCall context, CEL…), one message each; matching resources also get an error result.</summary>
    public IReadOnlyList<string> Unsupported { get; }

    internal JsonObject Source { get; }
    internal CompiledRule[] CompiledRules { get; }
    internal IReadOnlyList<(FailureAction Action, string[] Namespaces)> FailureActionOverrides { get; }

    /// <summary>Compiles a policy document; <paramref name="sourceFile"/> is named in errors.</summary>
    public static ClusterPolicy Parse(JsonNode document, string? sourceFile = null) => PolicyParser.Parse(document, null, sourceFile);

    /// <summary>Every Kyverno policy in a YAML file, a directory (recursively) or a kustomization directory.</summary>
    public static IReadOnlyList<ClusterPolicy> Load(string path) => PolicyLoader.Load(path);

    /// <summary>Like <see cref="Load"/>, and also the other admission policies found there, which this engine does not evaluate.</summary>
    public static PolicyLoadResult LoadAll(string path) => PolicyLoader.LoadAll(path);

    public override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";
}
