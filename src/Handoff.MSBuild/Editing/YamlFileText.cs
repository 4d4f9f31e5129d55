using System.Text;

namespace Handoff.MSBuild;

/// <summary>
/// A YAML file's exact text. The BOM is kept as a character (the editor keeps it in place) and the
/// text is written back as UTF-8 through a temp file and a rename, so a pinned file differs from the
/// original only where the editor changed it, and a failed write leaves the original.
/// </summary>
internal static class YamlFileText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new HandoffException($"{path}: file not found. Pass the values file, kustomization.yaml or manifest to edit as File.");
        }

        var bytes = File.ReadAllBytes(path);
        try
        {
            // GetString keeps a leading BOM as U+FEFF, unlike File.ReadAllText, so it survives the round trip.
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InputFileException(path, 0, 0, $"is not UTF-8 (invalid byte at offset {ex.Index}).", "Fix: save the file as UTF-8, then run again.");
        }
    }

    public static void Write(string path, string text) => AtomicFile.WriteAllText(path, text);
}
