using System.Collections.Concurrent;
using Handoff.Delivery.Config;
using Handoff.DeliveryValidation.Scope;
using Handoff.Validation.Loading;

namespace Handoff.DeliveryValidation.Rendering;

/// <summary>A place in the delivery repository: repository-relative file, 1-based line and column (0 when unknown).</summary>
internal readonly record struct RepoLocation(string File, int Line, int Column);

/// <summary>
/// Points a problem found in rendered manifests back at a file a person edits. Plain manifests are
/// their own source. Helm output names each document's template in a <c># Source:</c> comment; the
/// line inside the template is found by following the problem's JSON path through the template's
/// keys in order (best effort: templates are not YAML until rendered). Everything else points at the
/// environment's values file or overlay.
/// </summary>
internal sealed class SourceLocator
{
    private readonly string _root;
    private readonly string _anchor;
    private readonly string? _chart;
    private readonly (int Line, string Template)[] _sections;
    private readonly ConcurrentDictionary<string, string[]?> _templates = new(StringComparer.Ordinal);

    private SourceLocator(string root, string anchor, string? chart, (int, string)[] sections)
    {
        _root = root;
        _anchor = anchor;
        _chart = chart;
        _sections = sections;
    }

    /// <summary>Sources of plain manifests are the files themselves (loaded under their repository-relative names).</summary>
    public bool IsPlain { get; private init; }

    public static SourceLocator Plain(string root, Target target) => new(root, target.AnchorFile, null, []) { IsPlain = true };

    public static SourceLocator Generated(string root, Target target, string renderedText)
    {
        if (target.Render is not { } render)
        {
            return new SourceLocator(root, target.AnchorFile, null, []);
        }

        if (render.Tool == RenderTool.Kustomize)
        {
            var overlay = KustomizationFile.FindIn(root, render.Path) ?? target.AnchorFile;
            return new SourceLocator(root, overlay, null, []);
        }

        return new SourceLocator(root, target.AnchorFile, render.Path, Sections(renderedText));
    }

    /// <summary>Where the node at <paramref name="pointer"/> (JSON pointer, or Kyverno's path form) of the entry at <paramref name="position"/> comes from.</summary>
    public RepoLocation Locate(string entryFile, SourcePosition position, string? pointer)
    {
        if (IsPlain)
        {
            return new RepoLocation(entryFile, Math.Max(0, position.Line), Math.Max(0, position.Column));
        }

        if (_chart is not null && TemplateOf(position.Line) is { } template && Lines(template) is { } lines)
        {
            var (line, column) = Follow(lines, pointer);
            return new RepoLocation(template, line, column);
        }

        return new RepoLocation(_anchor, 0, 0);
    }

    /// <summary>The repository path of the template that produced the rendered line, when it is a file in the repository.</summary>
    private string? TemplateOf(int renderedLine)
    {
        string? source = null;
        foreach (var (line, template) in _sections)
        {
            if (line > renderedLine)
            {
                break;
            }

            source = template;
        }

        // "mychart/templates/x.yaml" is relative to the chart's parent; subcharts are "mychart/charts/sub/templates/x.yaml".
        var slash = source?.IndexOf('/') ?? -1;
        return slash > 0 ? _chart + "/" + source![(slash + 1)..] : null;
    }

    private string[]? Lines(string file) => _templates.GetOrAdd(file, f =>
    {
        var full = Path.Combine(_root, f);
        return File.Exists(full) ? File.ReadAllLines(full) : null;
    });

    /// <summary>
    /// The line where the keys of <paramref name="pointer"/> appear in order (list indexes skipped), stopping
    /// at the deepest key found; the <c>kind:</c> line when there is no path.
    /// </summary>
    internal static (int Line, int Column) Follow(string[] lines, string? pointer)
    {
        var keys = Keys(pointer);
        var found = -1;
        var column = 0;
        var start = 0;
        foreach (var key in keys)
        {
            var match = -1;
            for (var i = start; i < lines.Length; i++)
            {
                if (KeyColumn(lines[i], key) is var at and > 0)
                {
                    match = i;
                    column = at;
                    break;
                }
            }

            if (match < 0)
            {
                break;
            }

            found = match;
            start = match + 1;
        }

        if (found >= 0)
        {
            return (found + 1, column);
        }

        for (var i = 0; i < lines.Length; i++)
        {
            if (KeyColumn(lines[i], "kind") is var at and > 0)
            {
                return (i + 1, at);
            }
        }

        return (1, 1);
    }

    private static IEnumerable<string> Keys(string? pointer)
    {
        if (string.IsNullOrEmpty(pointer))
        {
            yield break;
        }

        foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!segment.All(char.IsAsciiDigit))
            {
                yield return segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            }
        }
    }

    /// <summary>The 1-based column of <paramref name="key"/> when the line is <c>[- ]key:</c> (optionally quoted), else 0.</summary>
    private static int KeyColumn(string line, string key)
    {
        var i = 0;
        while (i < line.Length && line[i] == ' ')
        {
            i++;
        }

        if (i + 1 < line.Length && line[i] == '-' && line[i + 1] == ' ')
        {
            i += 2;
            while (i < line.Length && line[i] == ' ')
            {
                i++;
            }
        }

        var start = i;
        var quote = i < line.Length && line[i] is '"' or '\'' ? line[i] : '\0';
        if (quote != '\0')
        {
            i++;
        }

        if (string.CompareOrdinal(line, i, key, 0, key.Length) != 0)
        {
            return 0;
        }

        i += key.Length;
        if (quote != '\0')
        {
            if (i >= line.Length || line[i] != quote)
            {
                return 0;
            }

            i++;
        }

        while (i < line.Length && line[i] == ' ')
        {
            i++;
        }

        return i < line.Length && line[i] == ':' ? start + 1 : 0;
    }

    /// <summary>The rendered line of every <c># Source: chart/templates/x.yaml</c> comment, in order.</summary>
    private static (int, string)[] Sections(string rendered)
    {
        var sections = new List<(int, string)>();
        var line = 1;
        var start = 0;
        while (start < rendered.Length)
        {
            var end = rendered.IndexOf('\n', start);
            var length = (end < 0 ? rendered.Length : end) - start;
            var span = rendered.AsSpan(start, length).TrimEnd('\r');
            if (span.StartsWith("# Source: ", StringComparison.Ordinal))
            {
                sections.Add((line, span["# Source: ".Length..].Trim().ToString()));
            }

            if (end < 0)
            {
                break;
            }

            start = end + 1;
            line++;
        }

        return [.. sections];
    }
}
