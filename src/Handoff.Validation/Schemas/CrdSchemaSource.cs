using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Validation.Loading;

namespace Handoff.Validation.Schemas;

/// <summary>A schema generated from a CustomResourceDefinition for one served version.</summary>
public sealed record CrdSchema(SchemaKey Key, JsonObject Schema, string Origin);

/// <summary>
/// Turns CustomResourceDefinitions (<c>apiextensions.k8s.io/v1</c>, and the older v1beta1) into JSON
/// schemas for their custom resources: one per served version, from its <c>openAPIV3Schema</c> (or the
/// v1beta1 top-level <c>validation</c>). The implicit <c>apiVersion</c>, <c>kind</c> and
/// <c>metadata</c> are added so strict mode does not reject them.
/// </summary>
public static class CrdSchemaGenerator
{
    public static bool IsCustomResourceDefinition(ResourceIdentity identity) =>
        identity.Kind == "CustomResourceDefinition" && identity.ApiVersion is "apiextensions.k8s.io/v1" or "apiextensions.k8s.io/v1beta1";

    public static IReadOnlyList<CrdSchema> Generate(JsonElement crd, string origin)
    {
        if (!crd.TryGetProperty("spec", out var spec) || spec.ValueKind != JsonValueKind.Object
            || !TryString(spec, "group", out var group)
            || !spec.TryGetProperty("names", out var names) || !TryString(names, "kind", out var kind))
        {
            return [];
        }

        JsonElement? shared = spec.TryGetProperty("validation", out var validation) && validation.TryGetProperty("openAPIV3Schema", out var legacy) ? legacy : null;
        var schemas = new List<CrdSchema>();
        if (spec.TryGetProperty("versions", out var versions) && versions.ValueKind == JsonValueKind.Array)
        {
            foreach (var version in versions.EnumerateArray())
            {
                if (!TryString(version, "name", out var name) || (version.TryGetProperty("served", out var served) && served.ValueKind == JsonValueKind.False))
                {
                    continue;
                }

                var own = version.TryGetProperty("schema", out var schema) && schema.TryGetProperty("openAPIV3Schema", out var openApi) ? openApi : shared;
                schemas.Add(Build(group, name, kind, own, origin));
            }
        }
        else if (TryString(spec, "version", out var single))
        {
            schemas.Add(Build(group, single, kind, shared, origin));
        }

        return schemas;
    }

    private static CrdSchema Build(string group, string version, string kind, JsonElement? openApi, string origin)
    {
        var schema = openApi is { ValueKind: JsonValueKind.Object } element
            ? JsonObject.Create(element)!.DeepClone().AsObject()
            : new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        var properties = schema["properties"] as JsonObject;
        if (properties is not null || !IsTrue(schema, "x-kubernetes-preserve-unknown-fields"))
        {
            properties ??= (JsonObject)(schema["properties"] = new JsonObject());
            properties.TryAdd("apiVersion", new JsonObject { ["type"] = "string" });
            properties.TryAdd("kind", new JsonObject { ["type"] = "string" });
            properties.TryAdd("metadata", new JsonObject { ["type"] = "object" });
        }

        return new CrdSchema(new SchemaKey($"{group}/{version}", kind), schema, origin);
    }

    private static bool TryString(JsonElement element, string property, out string value)
    {
        value = element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        return value.Length > 0;
    }

    private static bool IsTrue(JsonObject schema, string keyword) => schema[keyword] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;
}

/// <summary>Schemas generated from CRDs found among the inputs or in extra folders; consulted before other locations.</summary>
public sealed class CrdSchemaSource : ISchemaSource
{
    private readonly ConcurrentDictionary<SchemaKey, CrdSchema> _schemas = new();

    public string Description => "CustomResourceDefinitions";

    public int Count => _schemas.Count;

    public bool Contains(SchemaKey key) => _schemas.ContainsKey(key);

    /// <summary>Adds the CRDs among <paramref name="documents"/>; a later CRD for the same group/version/kind replaces an earlier one.</summary>
    /// <returns>The resource types that got a schema.</returns>
    internal List<SchemaKey> Add(IEnumerable<ManifestDocument> documents)
    {
        var added = new List<SchemaKey>();
        foreach (var document in documents)
        {
            if (CrdSchemaGenerator.IsCustomResourceDefinition(document.Identity))
            {
                foreach (var schema in CrdSchemaGenerator.Generate(document.Element, $"CustomResourceDefinition {document.Identity.Name} ({document.File}:{document.Line})"))
                {
                    _schemas[schema.Key] = schema;
                    added.Add(schema.Key);
                }
            }
        }

        return added;
    }

    public SchemaFetchResult Fetch(SchemaKey key, SchemaTemplateValues values) =>
        _schemas.TryGetValue(key, out var schema)
            ? new SchemaFetchResult(SchemaFetchStatus.Found, schema.Origin, schema.Schema.DeepClone())
            : SchemaFetchResult.NotFound(Description);
}
