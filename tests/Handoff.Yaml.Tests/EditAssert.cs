using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Handoff.Yaml.Tests;

/// <summary>Checks that an edit changed only what it reports, and that the YAML means what it should.</summary>
internal static partial class EditAssert
{
    /// <summary>Lines with their line endings ("a\r\n", "b\n", "c"), so a changed ending counts as a change.</summary>
    public static List<string> LinesWithEndings(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }

        return lines;
    }

    /// <summary>
    /// Every line of the new text outside ChangedLines equals an original line, in order, and every original
    /// line that has no unchanged counterpart is accounted for by a changed line before the next unchanged one.
    /// </summary>
    public static void OnlyReportedLinesChanged(string original, YamlEdit edit)
    {
        var before = LinesWithEndings(original);
        var after = LinesWithEndings(edit.Text);
        var changed = edit.ChangedLines.ToHashSet();
        Assert.That(changed.All(l => l >= 1 && l <= after.Count), Is.True, $"ChangedLines {string.Join(",", edit.ChangedLines)} outside 1..{after.Count}");
        var j = 0;
        var pending = 0;
        for (var i = 0; i < after.Count; i++)
        {
            if (changed.Contains(i + 1))
            {
                pending++;
                continue;
            }

            var k = j;
            while (k < before.Count && k - j <= pending && before[k] != after[i])
            {
                k++;
            }

            Assert.That(k < before.Count && k - j <= pending, Is.True,
                $"new line {i + 1} {Show(after[i])} is not reported as changed but does not match the original at line {j + 1} {Show(j < before.Count ? before[j] : "<end>")}");
            j = k + 1;
            pending = 0;
        }

        Assert.That(before.Count - j, Is.LessThanOrEqualTo(pending), "original lines at the end were dropped without a reported change");
    }

    /// <summary>Flattens a YAML stream to (path, value) pairs in document order; mappings keep key order.</summary>
    public static List<(string Path, string Value)> Flatten(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text.TrimStart('\uFEFF')));
        var result = new List<(string, string)>();
        for (var d = 0; d < stream.Documents.Count; d++)
        {
            Flatten(stream.Documents[d].RootNode, $"#{d}", result);
        }

        return result;
    }

    private static void Flatten(YamlNode node, string path, List<(string, string)> result)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                if (mapping.Children.Count == 0)
                {
                    result.Add((path, "{}"));
                }

                foreach (var (key, value) in mapping.Children)
                {
                    Flatten(value, path + "." + ((YamlScalarNode)key).Value, result);
                }

                break;
            case YamlSequenceNode list:
                if (list.Children.Count == 0)
                {
                    result.Add((path, "[]"));
                }

                for (var i = 0; i < list.Children.Count; i++)
                {
                    Flatten(list.Children[i], $"{path}[{i}]", result);
                }

                break;
            case YamlScalarNode scalar:
                var plainTyped = scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && NonString().IsMatch(scalar.Value ?? "");
                result.Add((path, (plainTyped ? "typed:" : "str:") + scalar.Value));
                break;
        }
    }

    private static string Show(string line) => "'" + line.Replace("\r", "\\r").Replace("\n", "\\n") + "'";

    // What a YAML 1.1 reader (Helm) would not read as a string; used to prove a tag stays a string.
    [GeneratedRegex(@"^(~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|[-+]?\.[0-9]+([eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|)$")]
    private static partial Regex NonString();
}
