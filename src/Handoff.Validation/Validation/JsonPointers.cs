using System.Text.Json;

namespace Handoff.Validation.Validation;

/// <summary>RFC 6901 pointer helpers over <see cref="JsonElement"/>.</summary>
internal static class JsonPointers
{
    public static IEnumerable<string> Segments(string pointer)
    {
        if (pointer.Length == 0)
        {
            yield break;
        }

        foreach (var raw in pointer[1..].Split('/'))
        {
            yield return raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
        }
    }

    public static JsonElement? Navigate(JsonElement root, string pointer)
    {
        var current = root;
        foreach (var segment in Segments(pointer))
        {
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var child))
            {
                current = child;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, out var index) && index >= 0 && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    public static string LastSegment(string pointer) => Segments(pointer).LastOrDefault() ?? "";

    public static string Parent(string pointer) => pointer.Length == 0 ? "" : pointer[..pointer.LastIndexOf('/')];
}
