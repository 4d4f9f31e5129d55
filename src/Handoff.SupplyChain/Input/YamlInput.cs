using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Handoff.SupplyChain.Input;

/// <summary>
/// Reads a small YAML configuration file into YamlDotNet's node model, keeping node positions so
/// every complaint can name file:line:column. Syntax errors become <see cref="InputFileException"/>.
/// </summary>
internal static class YamlInput
{
    /// <summary>The root mapping, or null for an empty file.</summary>
    public static YamlMappingNode? LoadMapping(string path, string fix)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new InputFileException(path, Line(ex.Start), Column(ex.Start), $"not valid YAML: {ex.InnerException?.Message ?? ex.Message}", fix, ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return null;
        }

        var root = stream.Documents[0].RootNode;
        if (root is not YamlMappingNode mapping)
        {
            throw Error(path, root, "the file must be a mapping of keys to values at the top level.", fix);
        }

        return mapping;
    }

    public static int Line(Mark mark) => (int)mark.Line;

    public static int Column(Mark mark) => (int)mark.Column;

    public static InputFileException Error(string path, YamlNode node, string problem, string? fix = null) =>
        new(path, Line(node.Start), Column(node.Start), problem, fix);

    /// <summary>Yields (key, keyNode, value) and rejects keys outside <paramref name="allowed"/> so typos are caught, not ignored.</summary>
    public static IEnumerable<(string Key, YamlScalarNode KeyNode, YamlNode Value)> Entries(string path, YamlMappingNode mapping, IReadOnlyCollection<string> allowed, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } scalarKey)
            {
                throw Error(path, keyNode, $"{what}: keys must be plain words.", $"Use one of: {string.Join(", ", allowed)}.");
            }

            if (!allowed.Contains(key))
            {
                var suggestion = allowed.FirstOrDefault(a => string.Equals(a, key, StringComparison.OrdinalIgnoreCase));
                throw Error(path, keyNode, $"{what}: unknown key '{key}'.",
                    suggestion is not null ? $"Did you mean '{suggestion}'? Keys are case-sensitive." : $"Allowed keys: {string.Join(", ", allowed)}.");
            }

            if (!seen.Add(key))
            {
                throw Error(path, keyNode, $"{what}: '{key}' is given twice.", "Keep one of them.");
            }

            yield return (key, scalarKey, value);
        }
    }

    public static string Scalar(string path, YamlNode node, string what, string fix)
    {
        if (node is YamlScalarNode { Value: { } value } && !string.IsNullOrWhiteSpace(value))
        {
            return value.Trim();
        }

        throw Error(path, node, node is YamlScalarNode ? $"{what} is empty." : $"{what} must be a single value, not a list or mapping.", fix);
    }

    public static bool Boolean(string path, YamlNode node, string what)
    {
        var text = Scalar(path, node, what, "Write true or false.");
        return text switch
        {
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ => throw Error(path, node, $"{what} is '{text}', not a boolean.", "Write true or false."),
        };
    }
}
