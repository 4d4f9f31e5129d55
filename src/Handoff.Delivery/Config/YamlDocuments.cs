using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Handoff.Delivery.Config;

/// <summary>Loads a configuration file's YAML documents, turning every parser failure into a located error.</summary>
internal static class YamlDocuments
{
    public static YamlStream Load(string text, string file, string fix)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new InputFileException(file, (int)ex.Start.Line, (int)ex.Start.Column, $"not valid YAML: {ex.Message}", fix, ex);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this on some truncated inputs, such as an unclosed '[' at the end.
            throw new InputFileException(file, 0, 0, "not valid YAML: the parser stopped before the end of the file.", "Look for an unclosed '[', '{' or quote.", ex);
        }

        return stream;
    }
}
