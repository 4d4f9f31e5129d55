using Handoff.Yaml.Tree;

namespace Handoff.Yaml.Paths;

/// <summary>
/// Walks a <see cref="YamlPath"/> through one document. For writing, every node at or above the target
/// must be this file's own (no alias, no shared anchor, no merged key); for reading, aliases and merge
/// keys are followed to report the effective value.
/// </summary>
internal sealed class PathResolver(string fileName, bool forWrite)
{
    private const int MaxListedKeys = 12;

    public Resolution Resolve(DocumentTree document, IReadOnlyList<PathSegment> segments)
    {
        var steps = new List<PathStep>(segments.Count + 1) { new(null, document.Root, "") };
        if (Guard(document, document.Root, "") is { } rootError)
        {
            return new Blocked(document, rootError);
        }

        for (var depth = 0; depth < segments.Count; depth++)
        {
            var current = steps[^1];
            var node = forWrite ? current.Value : MappingLookup.Dereference(current.Value);
            var segment = segments[depth];
            var (next, failed) = Step(document, node, current, segment, depth);
            if (failed is not null)
            {
                return failed;
            }

            if (Guard(document, next!.Value, next.Display) is { } error)
            {
                return new Blocked(document, error);
            }

            steps.Add(next);
        }

        return new Found(document, steps);
    }

    private YamlEditException? Guard(DocumentTree document, Node node, string display) =>
        forWrite ? WriteGuard.Check(document, node, display, fileName) : null;

    private StepResult Step(DocumentTree document, Node node, PathStep current, PathSegment segment, int depth)
    {
        switch (node, segment)
        {
            case (MappingNode mapping, KeySegment key):
                return StepKey(document, mapping, current, key.Key, key.Display, depth);
            case (MappingNode mapping, IndexSegment index):
                return StepKey(document, mapping, current, index.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), index.Display, depth);
            case (SequenceNode list, IndexSegment index):
                if (index.Index < list.Items.Count)
                {
                    return new StepResult(new PathStep(null, list.Items[index.Index], current.Display + index.Display), null);
                }

                return Missing(document, depth, current, $"{WriteGuard.Where(current.Display)} has {list.Items.Count} item(s), so there is no item {index.Display}.",
                    "Fix: use an index below the item count, or select the item by a key, e.g. [name=app].");
            case (SequenceNode list, SelectSegment select):
                return StepSelect(document, list, current, select, depth);
            case (SequenceNode, KeySegment key):
                return Missing(document, depth, current, $"{WriteGuard.Where(current.Display)} is a list, not a mapping, so it has no key `{key.Key}`.",
                    $"Fix: pick a list item first, e.g. `{current.Display}[0].{key.Key}` or `{current.Display}[name=...].{key.Key}`.");
            case (MappingNode, SelectSegment select):
                return Missing(document, depth, current, $"{WriteGuard.Where(current.Display)} is a mapping, not a list, so {select.Display} selects nothing.",
                    "Fix: use .key for a mapping; [key=value] picks an item of a list.");
            default:
                return Missing(document, depth, current, $"{WriteGuard.Where(current.Display)} is {WriteGuard.Describe(node)}, so it has no {Describe(segment)}.",
                    $"Fix: check the path; `{current.Display}` must be a {(segment is KeySegment ? "mapping" : "list")} for {segment.Display} to exist.");
        }
    }

    private StepResult StepKey(DocumentTree document, MappingNode mapping, PathStep current, string key, string display, int depth)
    {
        var childDisplay = current.Display.Length == 0 ? display : display.StartsWith('[') ? current.Display + display : current.Display + "." + display;
        if (MappingLookup.Find(mapping, key, out var duplicate) is { } entry)
        {
            if (duplicate is { } second)
            {
                return new StepResult(null, new Blocked(document, WriteGuard.Duplicate(entry, second, key, current.Display, fileName)));
            }

            return new StepResult(new PathStep(entry.Key, entry.Value, childDisplay), null);
        }

        if (MappingLookup.FindMerged(mapping, key) is { } merged)
        {
            if (forWrite)
            {
                return new StepResult(null, new Blocked(document, WriteGuard.Merged(MappingLookup.MergeEntry(mapping)!.Value, key, current.Display, fileName)));
            }

            return new StepResult(new PathStep(merged.Key, merged.Value, childDisplay), null);
        }

        var keys = mapping.Entries.Select(e => e.Key).OfType<ScalarNode>().Select(k => k.Value).ToList();
        var listed = keys.Count == 0 ? "it is empty" : "its keys are " + string.Join(", ", keys.Take(MaxListedKeys)) + (keys.Count > MaxListedKeys ? ", ..." : "");
        var problem = current.Display.Length == 0
            ? $"the document has no top-level key `{key}` ({listed})."
            : $"`{current.Display}` (the deepest existing key, line {current.Key?.Line ?? mapping.Line}) has no key `{key}`; {listed}.";
        return Missing(document, depth, current, problem,
            $"Fix: check the path (keys are case-sensitive; write [a.b] for a key that contains dots), or add `{key}:` under {WriteGuard.Where(current.Display)}.");
    }

    private StepResult StepSelect(DocumentTree document, SequenceNode list, PathStep current, SelectSegment select, int depth)
    {
        PathStep? match = null;
        Node? firstMatch = null;
        var seen = new List<string>();
        for (var i = 0; i < list.Items.Count; i++)
        {
            var item = forWrite ? list.Items[i] : MappingLookup.Dereference(list.Items[i]);
            if (item is not MappingNode mapping || MappingLookup.Find(mapping, select.Key, out _) is not { Value: ScalarNode value })
            {
                continue;
            }

            seen.Add(value.Value);
            if (value.Value != select.Value)
            {
                continue;
            }

            if (match is not null)
            {
                return new StepResult(null, new Blocked(document, new YamlEditException(fileName, item.Line, item.Column,
                    $"{WriteGuard.Where(current.Display)} has more than one item with `{select.Key}: {select.Value}` (lines {firstMatch!.Line} and {item.Line}), so {select.Display} is ambiguous.",
                    $"Fix: make the `{select.Key}` values unique, or select the item by position, e.g. [{i}].")));
            }

            firstMatch = item;
            match = new PathStep(null, list.Items[i], current.Display + select.Display);
        }

        if (match is not null)
        {
            return new StepResult(match, null);
        }

        var listed = seen.Count == 0 ? $"no item has a `{select.Key}` key" : $"the items have `{select.Key}`: " + string.Join(", ", seen.Take(MaxListedKeys));
        return Missing(document, depth, current, $"no item of {WriteGuard.Where(current.Display)} has `{select.Key}: {select.Value}` ({listed}).",
            $"Fix: check the value in {select.Display} (it is case-sensitive), or add an item with `{select.Key}: {select.Value}`.");
    }

    private StepResult Missing(DocumentTree document, int depth, PathStep at, string problem, string fix)
    {
        var node = at.Key ?? at.Value;
        return new StepResult(null, new Missing(document, depth, new YamlEditException(fileName, node.Line, node.Column, problem, fix)));
    }

    /// <summary>Either the next step or why the path stops here.</summary>
    private readonly record struct StepResult(PathStep? Next, Resolution? Failed);

    private static string Describe(PathSegment segment) => segment switch
    {
        KeySegment key => $"key `{key.Key}`",
        IndexSegment index => $"item {index.Display}",
        _ => $"item {segment.Display}",
    };
}
