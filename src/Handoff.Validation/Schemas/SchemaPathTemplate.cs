using System.Text;
using System.Text.RegularExpressions;

namespace Handoff.Validation.Schemas;

/// <summary>
/// A kubeconform-style location template such as
/// <c>https://example.com/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json</c>.
/// Only field references are supported (that is all kubeconform's documented templates use).
/// </summary>
public sealed partial class SchemaPathTemplate
{
    private static readonly string[] Fields = ["ResourceKind", "ResourceAPIVersion", "Group", "KindSuffix", "NormalizedKubernetesVersion", "StrictSuffix"];

    private readonly List<(string Text, string? Field)> _parts;

    private SchemaPathTemplate(string text, List<(string, string?)> parts)
    {
        Text = text;
        _parts = parts;
    }

    public string Text { get; }

    public bool UsesStrictSuffix => _parts.Any(p => p.Field == "StrictSuffix");

    public static SchemaPathTemplate Parse(string template)
    {
        var parts = new List<(string, string?)>();
        var position = 0;
        foreach (Match match in Placeholder().Matches(template))
        {
            if (match.Index > position)
            {
                parts.Add((template[position..match.Index], null));
            }

            var body = match.Groups["body"].Value;
            var field = body.StartsWith('.') ? body[1..] : "";
            if (!Fields.Contains(field))
            {
                throw new HandoffException(
                    $"Schema location '{template}': '{match.Value}' is not a supported template field. Use {string.Join(", ", Fields.Select(f => "{{ ." + f + " }}"))}.");
            }

            parts.Add(("", field));
            position = match.Index + match.Length;
        }

        var rest = template[position..];
        if (rest.Contains("{{", StringComparison.Ordinal) || rest.Contains("}}", StringComparison.Ordinal))
        {
            throw new HandoffException($"Schema location '{template}': unbalanced '{{{{' or '}}}}'. Write fields as {{{{ .ResourceKind }}}}.");
        }

        if (rest.Length > 0)
        {
            parts.Add((rest, null));
        }

        return new SchemaPathTemplate(template, parts);
    }

    public string Render(SchemaTemplateValues values)
    {
        var builder = new StringBuilder(Text.Length + 32);
        foreach (var (text, field) in _parts)
        {
            builder.Append(field is null ? text : values[field]);
        }

        return builder.ToString();
    }

    public override string ToString() => Text;

    [GeneratedRegex(@"\{\{-?\s*(?<body>[^}]*?)\s*-?\}\}")]
    private static partial Regex Placeholder();
}
