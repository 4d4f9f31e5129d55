using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Handoff.Validation.Loading;

/// <summary>
/// Maps JSON pointers back to YAML lines and columns by re-reading one document. Loading does not
/// record positions (that would tax every node of every valid file); problems are rare, so paying a
/// parse of one document when one is reported is the cheaper trade.
/// </summary>
internal static class YamlPointerLocator
{
    public static IReadOnlyDictionary<string, NodePosition> Locate(DocumentSource source, string prefix, IReadOnlyCollection<string> pointers, SourcePosition fallback)
    {
        var targets = new HashSet<string>(StringComparer.Ordinal);
        var ancestors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pointer in pointers)
        {
            var full = prefix + pointer;
            targets.Add(full);
            for (var slash = full.LastIndexOf('/'); slash >= 0; slash = full.LastIndexOf('/', slash - 1))
            {
                if (!ancestors.Add(full[..slash]) || slash == 0)
                {
                    break;
                }
            }
        }

        var found = new Dictionary<string, NodePosition>(StringComparer.Ordinal);
        try
        {
            using var reader = source.Chunk.OpenReader();
            var parser = new Parser(new Scanner(reader, skipComments: true));
            if (MoveToDocument(parser, source.OrdinalInChunk))
            {
                Walk(parser, "", default, source.Chunk, targets, ancestors, found);
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            // The document parsed when it was loaded; if the file changed since, fall back to ancestors.
        }

        var result = new Dictionary<string, NodePosition>(StringComparer.Ordinal);
        foreach (var pointer in pointers)
        {
            result[pointer] = Nearest(prefix + pointer, found, fallback);
        }

        return result;
    }

    private static bool MoveToDocument(Parser parser, int ordinal)
    {
        var seen = -1;
        while (parser.MoveNext())
        {
            if (parser.Current is DocumentStart && ++seen == ordinal)
            {
                return parser.MoveNext();
            }
        }

        return false;
    }

    private static void Walk(Parser parser, string pointer, SourcePosition key, SourceChunk chunk, HashSet<string> targets, HashSet<string> ancestors, Dictionary<string, NodePosition> found)
    {
        var current = parser.Current!;
        if (targets.Contains(pointer) || ancestors.Contains(pointer))
        {
            found[pointer] = new NodePosition(chunk.ToFile(current.Start), key);
        }

        if (!ancestors.Contains(pointer) || current is not (MappingStart or SequenceStart))
        {
            parser.SkipThisAndNestedEvents();
            return;
        }

        parser.MoveNext();
        if (current is SequenceStart)
        {
            for (var index = 0; parser.Current is not SequenceEnd; index++)
            {
                Walk(parser, pointer + "/" + index.ToString(CultureInfo.InvariantCulture), default, chunk, targets, ancestors, found);
            }
        }
        else
        {
            while (parser.Current is not MappingEnd)
            {
                var keyEvent = parser.Current!;
                parser.SkipThisAndNestedEvents();
                var keyText = keyEvent is Scalar scalar && !YamlScalars.IsMergeKey(scalar) ? YamlScalars.KeyText(scalar, out _) : null;
                if (keyText is null)
                {
                    // Merge keys and alias keys have no pointer of their own.
                    parser.SkipThisAndNestedEvents();
                    continue;
                }

                Walk(parser, pointer + "/" + Escape(keyText), chunk.ToFile(keyEvent.Start), chunk, targets, ancestors, found);
            }
        }

        parser.MoveNext();
    }

    private static NodePosition Nearest(string pointer, Dictionary<string, NodePosition> found, SourcePosition fallback)
    {
        for (var candidate = pointer; ; candidate = candidate[..candidate.LastIndexOf('/')])
        {
            if (found.TryGetValue(candidate, out var position))
            {
                return position;
            }

            if (candidate.Length == 0)
            {
                return new NodePosition(fallback, default);
            }
        }
    }

    private static string Escape(string key) =>
        key.Contains('~') || key.Contains('/') ? key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal) : key;
}
