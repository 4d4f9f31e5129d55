using Handoff.Delivery.Config;
using Handoff.Delivery.Pins;
using Handoff.Yaml;

namespace Handoff.DeliveryValidation.Repository;

/// <summary>
/// An app's pin in one environment as one version of its file holds it, read exactly as promotions
/// read it. A file that is missing or unreadable is a state too (<see cref="Problem"/>), not an exception.
/// </summary>
internal sealed record PinState(PinLocation Location, ImagePinState? Image, string? Problem)
{
    /// <summary>The pinned digest when the file holds a valid one.</summary>
    public Digest? Digest => PinAccess.DigestOf(Image);

    /// <summary>The digest text as written, valid or not (empty counts as none).</summary>
    public string? DigestText => Image?.Digest is { Length: > 0 } text ? text : null;

    /// <summary>The image repository as written (Helm repository, Kustomize newName or image name, or the reference's name).</summary>
    public string? Repository => Location.Kind == PinKind.Kustomize
        ? Image?.Repository is { Length: > 0 } newName ? newName : Location.Key
        : Image?.Repository is { Length: > 0 } repository ? repository : null;

    public static PinState Read(PinLocation location, string? text)
    {
        if (text is null)
        {
            return new PinState(location, null, $"{location.File} does not exist");
        }

        try
        {
            return PinAccess.Read(location, text) is { } image
                ? new PinState(location, image, null)
                : new PinState(location, null, $"{location.Describe()} holds no image");
        }
        catch (HandoffException ex)
        {
            return new PinState(location, null, ex.Message);
        }
    }

    /// <summary>The 1-based line of the first occurrence of <paramref name="value"/> in <paramref name="text"/>, else 0.</summary>
    public static int LineOf(string? text, string? value)
    {
        if (text is null || string.IsNullOrEmpty(value))
        {
            return 0;
        }

        var index = text.IndexOf(value, StringComparison.Ordinal);
        if (index < 0)
        {
            return 0;
        }

        var line = 1;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }
}
