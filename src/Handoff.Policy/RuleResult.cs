using System.Text.Json.Nodes;

namespace Handoff.Policy;

/// <summary>Kyverno's rule outcomes (policy report results).</summary>
public enum RuleStatus
{
    Pass,
    Fail,
    Warn,
    Error,
    Skip,
}

/// <summary><c>validationFailureAction</c> / <c>failureAction</c>: Enforce blocks, Audit only reports.</summary>
public enum FailureAction
{
    Audit,
    Enforce,
}

/// <summary>How a result should be reported by a pipeline: nothing, a warning, or an error that blocks.</summary>
public enum ResultSeverity
{
    None,
    Warning,
    Error,
}

/// <summary>The resource a result is about, as <c>Kind/namespace/name</c>.</summary>
public sealed record ResourceIdentity(string ApiVersion, string Kind, string? Namespace, string Name)
{
    public static ResourceIdentity Of(JsonNode resource)
    {
        var metadata = resource["metadata"] as JsonObject;
        return new ResourceIdentity(
            Text(resource["apiVersion"]) ?? "",
            Text(resource["kind"]) ?? "",
            Text(metadata?["namespace"]) is { Length: > 0 } ns ? ns : null,
            Text(metadata?["name"]) ?? Text(metadata?["generateName"]) ?? "");
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public override string ToString() => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";
}

/// <summary>One rule applied to one resource.</summary>
/// <param name="Policy">The policy name.</param>
/// <param name="PolicyNamespace">The namespace of a namespaced <c>Policy</c>; null for a ClusterPolicy.</param>
/// <param name="Rule">The rule name; auto-generated pod-controller rules are named <c>autogen-…</c> / <c>autogen-cronjob-…</c>.</param>
/// <param name="Resource">The resource checked.</param>
/// <param name="Status">Pass, fail, warn (a failing rule of an unscored policy), error or skip.</param>
/// <param name="Message">Kyverno's message: the rule's message plus where it failed, or why it was skipped or errored.</param>
/// <param name="Path">The JSON path (Kyverno form, <c>/spec/containers/0/image/</c>) that failed a pattern, when known.</param>
/// <param name="Action">The failure action in force for this rule and resource.</param>
public sealed record RuleResult(
    string Policy,
    string? PolicyNamespace,
    string Rule,
    ResourceIdentity Resource,
    RuleStatus Status,
    string Message,
    string? Path,
    FailureAction Action)
{
    /// <summary>Enforce failures and errors block; Audit failures and warnings are warnings.</summary>
    public ResultSeverity Severity => Status switch
    {
        RuleStatus.Error => ResultSeverity.Error,
        RuleStatus.Fail => Action == FailureAction.Enforce ? ResultSeverity.Error : ResultSeverity.Warning,
        RuleStatus.Warn => ResultSeverity.Warning,
        _ => ResultSeverity.None,
    };

    /// <summary>The rule name without the <c>autogen-</c> / <c>autogen-cronjob-</c> prefix.</summary>
    public string SourceRule => Rule.StartsWith("autogen-cronjob-", StringComparison.Ordinal) ? Rule["autogen-cronjob-".Length..]
        : Rule.StartsWith("autogen-", StringComparison.Ordinal) ? Rule["autogen-".Length..] : Rule;

    public override string ToString() =>
        $"{Status.ToString().ToLowerInvariant()}: {(PolicyNamespace is null ? "" : PolicyNamespace + "/")}{Policy}/{Rule} on {Resource}{(Message.Length > 0 ? ": " + Message : "")}";
}
