using Handoff.Delivery.Config;
using Handoff.Yaml;

namespace Handoff.Delivery.Pins;

/// <summary>Reads and writes an app's image pin in one file, whichever way handoff.yaml says it is referenced.</summary>
internal static class PinAccess
{
    public static ImagePinState? Read(PinLocation pin, string text) => Guard(pin, () => pin.Kind switch
    {
        PinKind.Helm => ImagePinEditor.ReadImage(text, pin.Key, pin.File, pin.Document),
        PinKind.Kustomize => ImagePinEditor.ReadKustomizeImage(text, pin.Key, pin.File),
        _ => ImagePinEditor.ReadScalar(text, pin.Key, pin.File, pin.Document) is { } value
            ? pin.Value == YamlPinValue.Digest ? new ImagePinState(null, null, value) : ImageReferenceText.Split(value)
            : null,
    });

    public static YamlEdit Write(PinLocation pin, string text, ImagePin value, ImagePinState current) => Guard(pin, () => pin.Kind switch
    {
        PinKind.Helm => ImagePinEditor.SetImage(text, pin.Key, value, pin.File, pin.Document),
        PinKind.Kustomize => ImagePinEditor.SetKustomizeImage(text, pin.Key, value, pin.File),
        _ when pin.Value == YamlPinValue.Digest => ImagePinEditor.SetScalar(text, pin.Key, value.Digest.ToString(), pin.File, pin.Document),
        _ => ImagePinEditor.SetScalar(text, pin.Key, ImageReferenceText.Join(value.Repository ?? current.Repository ?? "", value.Tag, value.Digest), pin.File, pin.Document),
    });

    /// <summary>
    /// YamlDotNet's scanner throws InvalidOperationException on some truncated inputs (an unclosed
    /// flow collection at the end of the file); that is still the user's file being malformed.
    /// </summary>
    private static T Guard<T>(PinLocation pin, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (InvalidOperationException ex)
        {
            throw new InputFileException(pin.File, 0, 0, "is not valid YAML: the parser stopped before the end of the file.", "Look for an unclosed '[', '{' or quote.", ex);
        }
    }

    /// <summary>The digest in a pin state, when it holds a valid one (an empty placeholder counts as none).</summary>
    public static Digest? DigestOf(ImagePinState? state) =>
        state?.Digest is { Length: > 0 } text && Digest.TryParse(text, out var digest) ? digest : null;
}

/// <summary>
/// Splits and joins image references as written in a manifest (<c>name[:tag][@digest]</c>) without
/// normalising the name: a promotion must keep the user's spelling of the registry and path.
/// </summary>
internal static class ImageReferenceText
{
    public static ImagePinState Split(string reference)
    {
        var rest = reference.Trim();
        string? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
        }

        string? tag = null;
        var colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
        }

        return new ImagePinState(rest, tag, digest);
    }

    public static string Join(string name, string? tag, Digest digest) =>
        string.IsNullOrEmpty(tag) ? $"{name}@{digest}" : $"{name}:{tag}@{digest}";
}
