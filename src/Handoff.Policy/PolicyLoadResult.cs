using System.Text.Json.Nodes;
using Handoff.Policy.Yaml;

namespace Handoff.Policy;

/// <summary>What a policy folder holds: the Kyverno policies the engine runs, and the admission policies it cannot run.</summary>
public sealed record PolicyLoadResult(IReadOnlyList<ClusterPolicy> Policies, IReadOnlyList<UnevaluatedPolicy> NotEvaluated);

/// <summary>
/// An admission policy of another API than <c>kyverno.io/v1</c> ClusterPolicy/Policy (Kyverno's CEL
/// <c>ValidatingPolicy</c> family, <c>PolicyException</c>, Kubernetes' <c>ValidatingAdmissionPolicy</c>,
/// Gatekeeper templates and constraints): the cluster enforces it, this engine does not evaluate it, so it
/// must be reported rather than skipped. Bindings are not listed: they only enable the policy they name.
/// </summary>
public sealed record UnevaluatedPolicy(string ApiVersion, string Kind, string? Name, string File, int Line, int Column)
{
    internal static UnevaluatedPolicy? From(YamlJsonDocument document)
    {
        if (document.Root is not JsonObject root || root["apiVersion"]?.GetValueKind() != System.Text.Json.JsonValueKind.String
            || root["kind"]?.GetValueKind() != System.Text.Json.JsonValueKind.String)
        {
            return null;
        }

        var apiVersion = (string)root["apiVersion"]!;
        var kind = (string)root["kind"]!;
        var group = apiVersion.Contains('/') ? apiVersion[..apiVersion.IndexOf('/')] : "";
        var policy = group switch
        {
            // Reports, bindings and Kyverno's internal or data objects are not rules the cluster applies.
            "kyverno.io" or "policies.kyverno.io" => !kind.EndsWith("Report", StringComparison.Ordinal) && !kind.EndsWith("Binding", StringComparison.Ordinal)
                                                    && kind is not ("UpdateRequest" or "GlobalContextEntry"),
            "admissionregistration.k8s.io" => kind is "ValidatingAdmissionPolicy" or "MutatingAdmissionPolicy",
            "templates.gatekeeper.sh" or "constraints.gatekeeper.sh" or "mutations.gatekeeper.sh" => true,
            _ => false,
        };
        if (!policy)
        {
            return null;
        }

        var name = root["metadata"] is JsonObject metadata && metadata["name"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string)metadata["name"]! : null;
        var at = document.Map.Locate(root);
        return new UnevaluatedPolicy(apiVersion, kind, name, document.Map.File, at.Line, at.Column);
    }
}
