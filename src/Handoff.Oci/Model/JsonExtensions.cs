using System.Text.Encodings.Web;
using System.Text.Json;

namespace Handoff.Oci;

internal static class JsonExtensions
{
    /// <summary>
    /// Writer options for manifests we create: compact, and with '+' in media types written as is
    /// (the default encoder writes \u002B), so our bytes look like every other tool's.
    /// </summary>
    public static readonly JsonWriterOptions CompactWriter = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static readonly JsonDocumentOptions Reader = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow };

    public static string? GetStringOrNull(this JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static JsonElement? GetPropertyOrNull(this JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public static IReadOnlyDictionary<string, string>? ReadStringMap(this JsonElement element, string property)
    {
        if (element.GetPropertyOrNull(property) is not { ValueKind: JsonValueKind.Object } map)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in map.EnumerateObject())
        {
            if (entry.Value.ValueKind == JsonValueKind.String)
            {
                result[entry.Name] = entry.Value.GetString()!;
            }
        }

        return result;
    }

    public static void WriteStringMap(this Utf8JsonWriter writer, string property, IReadOnlyDictionary<string, string>? map)
    {
        if (map is null || map.Count == 0)
        {
            return;
        }

        writer.WriteStartObject(property);
        // Sorted so that equal annotations always give equal bytes, hence equal digests.
        foreach (var (key, value) in map.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, CompactWriter))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
