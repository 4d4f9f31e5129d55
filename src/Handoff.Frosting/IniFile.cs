namespace Handoff.Frosting;

/// <summary>
/// Reads one section of an INI file such as cake.config. Cake's own configuration provider folds
/// CAKE_* variables and arguments into the same table; parameters need the file's values alone so
/// that the documented precedence (command line, environment, file) holds.
/// </summary>
public static class IniFile
{
    public static IReadOnlyDictionary<string, string> ReadSection(string path, string section)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path))
        {
            return result;
        }

        string? current = null;
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is ';' or '#')
            {
                continue;
            }

            if (line[0] == '[')
            {
                if (!line.EndsWith(']'))
                {
                    throw new FormatException($"{path}:{lineNumber}: section header '{line}' is missing its closing ']'.");
                }

                current = line[1..^1].Trim();
                continue;
            }

            var eq = line.IndexOf('=');
            if (eq <= 0)
            {
                throw new FormatException($"{path}:{lineNumber}: expected 'key = value', found '{line}'.");
            }

            if (string.Equals(current, section, StringComparison.OrdinalIgnoreCase))
            {
                result[line[..eq].Trim()] = line[(eq + 1)..].Trim();
            }
        }

        return result;
    }
}
