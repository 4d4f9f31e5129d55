using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Validation.Loading;

namespace Handoff.DeliveryValidation.Checks;

/// <summary>
/// Argo CD and Flux apply namespaced objects that name no namespace into the destination namespace,
/// and admission policies see them there. Policies with namespace selectors or exclusions only judge
/// rendered objects correctly when the same default is filled in before they run.
/// </summary>
internal static class NamespaceDefaults
{
    /// <summary>Built-in and common add-on kinds that have no namespace; custom resources are learnt from CRDs among the documents.</summary>
    private static readonly HashSet<string> ClusterScoped = new(StringComparer.Ordinal)
    {
        "Namespace", "Node", "PersistentVolume", "StorageClass", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
        "PriorityClass", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding", "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding", "APIService", "CSIDriver",
        "CSINode", "RuntimeClass", "IngressClass", "VolumeAttachment", "CertificateSigningRequest", "FlowSchema",
        "PriorityLevelConfiguration", "ClusterTrustBundle", "VolumeSnapshotClass", "ClusterPolicy", "ClusterIssuer",
        "ClusterSecretStore", "GatewayClass", "ComponentStatus",
    };

    public static void Apply(IReadOnlyList<ManifestDocument> documents, string @namespace)
    {
        var clusterScoped = ClusterScopedCustomKinds(documents);
        foreach (var document in documents)
        {
            var kind = document.Identity.Kind;
            if (kind is null || document.Identity.Namespace is not null || ClusterScoped.Contains(kind) || clusterScoped.Contains(kind))
            {
                continue;
            }

            if (document.Content is JsonObject resource)
            {
                if (resource["metadata"] is not JsonObject metadata)
                {
                    resource["metadata"] = metadata = new JsonObject();
                }

                metadata["namespace"] ??= @namespace;
            }
        }
    }

    private static HashSet<string> ClusterScopedCustomKinds(IReadOnlyList<ManifestDocument> documents)
    {
        var kinds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            if (document.Identity.Kind == "CustomResourceDefinition"
                && document.Element.TryGetProperty("spec", out var spec) && spec.ValueKind == JsonValueKind.Object
                && spec.TryGetProperty("scope", out var scope) && scope.ValueKind == JsonValueKind.String && scope.GetString() == "Cluster"
                && spec.TryGetProperty("names", out var names) && names.ValueKind == JsonValueKind.Object
                && names.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String)
            {
                kinds.Add(kind.GetString()!);
            }
        }

        return kinds;
    }
}
