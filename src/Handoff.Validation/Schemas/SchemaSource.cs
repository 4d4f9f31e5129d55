using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Validation.Loading;

namespace Handoff.Validation.Schemas;

public enum SchemaFetchStatus
{
    Found,
    NotFound,
    Failed,
}

/// <summary>The answer of one schema location for one resource type.</summary>
public sealed record SchemaFetchResult(SchemaFetchStatus Status, string Where, JsonNode? Schema = null, string? Problem = null, ManifestErrorKind ErrorKind = ManifestErrorKind.SchemaUnavailable)
{
    public static SchemaFetchResult Found(string where, JsonNode schema) => new(SchemaFetchStatus.Found, where, schema);

    public static SchemaFetchResult NotFound(string where) => new(SchemaFetchStatus.NotFound, where);

    public static SchemaFetchResult Failed(string where, string problem, ManifestErrorKind kind = ManifestErrorKind.SchemaUnavailable) =>
        new(SchemaFetchStatus.Failed, where, null, problem, kind);

    /// <summary>Parses schema text; unparseable text is a failure that names the location.</summary>
    internal static SchemaFetchResult Parse(string where, ReadOnlySpan<byte> json)
    {
        try
        {
            var node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 4096 });
            return node is JsonObject or JsonValue ? Found(where, node) : Failed(where, "the schema is not a JSON object.", ManifestErrorKind.SchemaInvalid);
        }
        catch (JsonException ex)
        {
            return Failed(where, $"the schema is not valid JSON ({ex.Message}).", ManifestErrorKind.SchemaInvalid);
        }
    }
}

/// <summary>One place schemas come from (a folder, a URL template, CRDs). Implementations are thread-safe.</summary>
public interface ISchemaSource
{
    /// <summary>How this location is shown in messages.</summary>
    string Description { get; }

    SchemaFetchResult Fetch(SchemaKey key, SchemaTemplateValues values);
}
