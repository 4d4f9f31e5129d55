using YamlDotNet.RepresentationModel;

namespace Handoff.Delivery.Config;

/// <summary>
/// Typed access to a YAML configuration node that reports every problem as
/// <c>file:line:column: problem fix</c>. Mapping readers also reject unknown keys, since a
/// misspelt key silently ignored is how a promotion ends up in the wrong place.
/// </summary>
internal readonly struct YamlConfigNode
{
    private readonly YamlNode _node;
    private readonly YamlNode? _key;

    public YamlConfigNode(string file, YamlNode node, string path, YamlNode? key = null)
    {
        File = file;
        _node = node;
        Path = path;
        _key = key;
    }

    public string File { get; }

    /// <summary>The dotted path of this node from the document root, for messages.</summary>
    public string Path { get; }

    public ConfigLocation Location => new(File, (int)_node.Start.Line, (int)_node.Start.Column);

    /// <summary>Where the key of this mapping value is (the line a person looks for), else the node itself.</summary>
    public ConfigLocation KeyLocation => _key is null ? Location : new(File, (int)_key.Start.Line, (int)_key.Start.Column);

    public bool IsNull => _node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    public bool IsScalar => _node is YamlScalarNode;

    public InputFileException Error(string problem, string? fix = null) =>
        new(File, (int)_node.Start.Line, (int)_node.Start.Column, problem, fix);

    public string String()
    {
        if (_node is YamlScalarNode scalar && !IsNull)
        {
            return scalar.Value ?? "";
        }

        throw Error($"{Path} must be a string.", $"Write it as {Path.Split('.')[^1]}: VALUE.");
    }

    public bool Boolean()
    {
        if (_node is YamlScalarNode { Value: { } value })
        {
            switch (value)
            {
                case "true" or "True" or "TRUE":
                    return true;
                case "false" or "False" or "FALSE":
                    return false;
            }
        }

        throw Error($"{Path} must be true or false.");
    }

    public int Integer()
    {
        if (_node is YamlScalarNode { Value: { } value } && int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        throw Error($"{Path} must be a whole number.");
    }

    /// <summary>A list of strings; a single scalar is accepted as a one-item list.</summary>
    public IReadOnlyList<string> StringList()
    {
        if (IsNull)
        {
            return [];
        }

        if (_node is YamlScalarNode)
        {
            return [String()];
        }

        return Sequence().Select(item => item.String()).ToList();
    }

    public IEnumerable<YamlConfigNode> Sequence()
    {
        if (_node is not YamlSequenceNode sequence)
        {
            throw Error($"{Path} must be a list.", $"Write each item on its own line starting with '- ' under {Path.Split('.')[^1]}:.");
        }

        var file = File;
        var path = Path;
        return sequence.Children.Select((child, index) => new YamlConfigNode(file, child, $"{path}[{index}]"));
    }

    /// <summary>The mapping's entries in file order; keys outside <paramref name="allowedKeys"/> are errors (null allows any key).</summary>
    public IReadOnlyList<(string Key, YamlConfigNode Value)> Mapping(IReadOnlyCollection<string>? allowedKeys = null)
    {
        if (_node is not YamlMappingNode mapping)
        {
            throw Error($"{(Path.Length == 0 ? "the document" : Path)} must be a mapping (key: value lines).");
        }

        var entries = new List<(string, YamlConfigNode)>(mapping.Children.Count);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var keyReader = new YamlConfigNode(File, keyNode, Path);
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
            {
                throw keyReader.Error($"a key of {(Path.Length == 0 ? "the document" : Path)} is not a plain string.");
            }

            if (allowedKeys is not null && !allowedKeys.Contains(key))
            {
                throw keyReader.Error(
                    $"unknown key '{key}' in {(Path.Length == 0 ? "the document" : Path)}.",
                    $"Allowed keys: {string.Join(", ", allowedKeys)}{Suggest(key, allowedKeys)}.");
            }

            entries.Add((key, new YamlConfigNode(File, valueNode, Path.Length == 0 ? key : $"{Path}.{key}", keyNode)));
        }

        return entries;
    }

    private static string Suggest(string key, IReadOnlyCollection<string> allowed)
    {
        var best = allowed.MinBy(candidate => Distance(key.ToLowerInvariant(), candidate.ToLowerInvariant()));
        return best is not null && Distance(key.ToLowerInvariant(), best.ToLowerInvariant()) <= 2 ? $" (did you mean '{best}'?)" : "";
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
