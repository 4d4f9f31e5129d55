using System.Text.Json;
using System.Text.Json.Nodes;

namespace Handoff.SupplyChain.Input;

/// <summary>Loads JSON input files; syntax errors name file:line:column.</summary>
internal static class JsonInput
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 };

    public static JsonNode Load(string path, string what, string fix)
    {
        if (!File.Exists(path))
        {
            throw new HandoffException($"{path}: {what} not found. {fix}");
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonNode.Parse(stream, documentOptions: Options)
                   ?? throw new InputFileException(path, 1, 1, $"{what} is the JSON value null.", fix);
        }
        catch (JsonException ex)
        {
            throw new InputFileException(path, (int)(ex.LineNumber ?? 0) + 1, (int)(ex.BytePositionInLine ?? 0) + 1, $"{what} is not valid JSON: {FirstSentence(ex.Message)}", fix, ex);
        }
    }

    public static string? String(JsonNode? node, string property) =>
        node is JsonObject obj && obj.TryGetPropertyValue(property, out var value) && value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static JsonArray? Array(JsonNode? node, string property) =>
        node is JsonObject obj && obj.TryGetPropertyValue(property, out var value) ? value as JsonArray : null;

    public static JsonObject? Object(JsonNode? node, string property) =>
        node is JsonObject obj && obj.TryGetPropertyValue(property, out var value) ? value as JsonObject : null;

    /// <summary>A number that may be written as a JSON number or a numeric string (SARIF's security-severity is a string).</summary>
    public static double? Number(JsonNode? node, string property)
    {
        if (node is not JsonObject obj || !obj.TryGetPropertyValue(property, out var value) || value is not JsonValue v)
        {
            return null;
        }

        if (v.TryGetValue<double>(out var d))
        {
            return d;
        }

        return v.TryGetValue<string>(out var s) && double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out d) ? d : null;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
