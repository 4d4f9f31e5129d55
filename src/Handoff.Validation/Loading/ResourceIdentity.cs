using System.Text.Json;

namespace Handoff.Validation.Loading;

/// <summary>What a Kubernetes object says it is: apiVersion, kind, namespace and name (any may be absent in bad input).</summary>
public sealed record ResourceIdentity(string? ApiVersion, string? Kind, string? Namespace, string? Name)
{
    public static ResourceIdentity Unknown { get; } = new(null, null, null, null);

    /// <summary>The API group: "" for the core group (apiVersion "v1"), else the part before the slash.</summary>
    public string Group => ApiVersion is { } v && v.IndexOf('/') is var slash and > 0 ? v[..slash] : "";

    /// <summary><c>apiVersion/Kind</c> (e.g. <c>apps/v1/Deployment</c>, <c>v1/Service</c>), kubeconform's group/version/kind form.</summary>
    public string GroupVersionKind => $"{ApiVersion}/{Kind}";

    /// <summary>"Deployment web" or just "Deployment" for log lines.</summary>
    public string Display => Kind is null ? "" : Name is null ? Kind : $"{Kind} {Name}";

    /// <summary>Reads the identity of an object; non-string values count as absent.</summary>
    public static ResourceIdentity From(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Unknown;
        }

        string? name = null;
        string? ns = null;
        if (element.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            name = StringOrNull(metadata, "name");
            ns = StringOrNull(metadata, "namespace");
            if (name is null && StringOrNull(metadata, "generateName") is { } generateName)
            {
                // The server appends a random suffix; show that the name is generated.
                name = generateName + "*";
            }
        }

        return new ResourceIdentity(StringOrNull(element, "apiVersion"), StringOrNull(element, "kind"), ns, name);
    }

    private static string? StringOrNull(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
