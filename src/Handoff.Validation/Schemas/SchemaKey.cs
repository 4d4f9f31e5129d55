namespace Handoff.Validation.Schemas;

/// <summary>What a schema is looked up by: the resource's apiVersion and kind, exactly as written.</summary>
public readonly record struct SchemaKey(string ApiVersion, string Kind)
{
    public override string ToString() => $"{ApiVersion}/{Kind}";
}

/// <summary>
/// The variables of a kubeconform schema location template, computed exactly as kubeconform does:
/// <c>ResourceKind</c> is the lowercased kind, <c>ResourceAPIVersion</c> the version part,
/// <c>Group</c> the part before the slash (the whole apiVersion for core kinds, e.g. "v1"),
/// <c>KindSuffix</c> "-" + first label of the group (lowercased) + "-" + version (so
/// <c>deployment-apps-v1</c>, <c>service-v1</c>), <c>NormalizedKubernetesVersion</c> "v1.34.0" or
/// "master", <c>StrictSuffix</c> "-strict" in strict mode.
/// </summary>
public sealed record SchemaTemplateValues(string ResourceKind, string ResourceApiVersion, string Group, string KindSuffix, string NormalizedKubernetesVersion, string StrictSuffix)
{
    public static SchemaTemplateValues For(SchemaKey key, string kubernetesVersion, bool strict)
    {
        var groupParts = key.ApiVersion.Split('/');
        var versionParts = groupParts[0].Split('.');
        var kindSuffix = "-" + versionParts[0].ToLowerInvariant();
        if (groupParts.Length > 1)
        {
            kindSuffix += "-" + groupParts[1].ToLowerInvariant();
        }

        return new SchemaTemplateValues(
            key.Kind.ToLowerInvariant(),
            groupParts[^1],
            groupParts[0],
            kindSuffix,
            NormalizeKubernetesVersion(kubernetesVersion),
            strict ? "-strict" : "");
    }

    public static string NormalizeKubernetesVersion(string version) => version == "master" ? "master" : "v" + version;

    public string this[string field] => field switch
    {
        "ResourceKind" => ResourceKind,
        "ResourceAPIVersion" => ResourceApiVersion,
        "Group" => Group,
        "KindSuffix" => KindSuffix,
        "NormalizedKubernetesVersion" => NormalizedKubernetesVersion,
        "StrictSuffix" => StrictSuffix,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "not a schema template field"),
    };
}
