using System.Text.Json;

namespace Handoff.Oci;

/// <summary>The platform an image runs on, e.g. <c>linux/amd64</c> or <c>linux/arm64/v8</c>.</summary>
public sealed record OciPlatform(string Os, string Architecture)
{
    public string? Variant { get; init; }
    public string? OsVersion { get; init; }

    /// <summary>The platform buildx gives attestation manifests inside an index; not a runnable image.</summary>
    public bool IsUnknown => Os == "unknown" && Architecture == "unknown";

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";

    /// <summary>Reads a descriptor's <c>platform</c> object or an image config; an empty object (as the .NET SDK writes) is no platform.</summary>
    internal static OciPlatform? Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var os = element.GetStringOrNull("os");
        var architecture = element.GetStringOrNull("architecture");
        if (string.IsNullOrEmpty(os) || string.IsNullOrEmpty(architecture))
        {
            return null;
        }

        return new OciPlatform(os, architecture)
        {
            Variant = element.GetStringOrNull("variant") is { Length: > 0 } v ? v : null,
            OsVersion = element.GetStringOrNull("os.version") is { Length: > 0 } ov ? ov : null,
        };
    }

    internal void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("architecture", Architecture);
        writer.WriteString("os", Os);
        if (OsVersion is not null)
        {
            writer.WriteString("os.version", OsVersion);
        }

        if (Variant is not null)
        {
            writer.WriteString("variant", Variant);
        }

        writer.WriteEndObject();
    }
}
