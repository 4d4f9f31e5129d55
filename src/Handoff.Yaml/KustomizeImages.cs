using Handoff.Yaml.Editing;
using Handoff.Yaml.Paths;
using Handoff.Yaml.Tree;
using YamlDotNet.Core;

namespace Handoff.Yaml;

/// <summary>
/// The <c>images:</c> list of a kustomization.yaml. A missing entry (or list) is added rather than refused:
/// that is how <c>kustomize edit set image</c> pins an image, and an overlay often starts without one.
/// </summary>
internal static class KustomizeImages
{
    private static readonly PathSegment[] ImagesPath = [new KeySegment("images")];

    public static YamlEdit Set(string text, string imageName, ImagePin pin, string fileName)
    {
        RequireName(imageName);
        var writes = Writes(pin);
        var file = YamlFile.Parse(text, fileName);
        var found = file.Find(ImagesPath, forWrite: true, document: null, out var deepest);
        NodeEditor editor;
        Node target;
        if (found is null)
        {
            var document = SingleDocument(file, deepest);
            editor = file.Editor(document);
            target = document.Root;
            AddImagesList(editor, document, fileName, imageName, writes);
        }
        else
        {
            editor = file.Editor(found.Document);
            target = found.Target.Value;
            SetInImagesList(editor, found, fileName, imageName, writes);
        }

        var edit = editor.Edits.Apply();
        return EditCheck.ReadsBack(edit, target, fileName, $"images[name={imageName}]",
            result => Read(result, imageName, fileName) is { } state && ImagePinEditor.Holds(state, pin));
    }

    public static ImagePinState? Read(string text, string imageName, string fileName)
    {
        RequireName(imageName);
        var file = YamlFile.Parse(text, fileName);
        if (file.Find(ImagesPath, forWrite: false, document: null, out _) is not { } found)
        {
            return null;
        }

        var display = $"images[name={imageName}]";
        switch (MappingLookup.Dereference(found.Target.Value))
        {
            case SequenceNode list:
                if (FindEntry(list, imageName, found.Document, fileName, forWrite: false) is not { } entry)
                {
                    return null;
                }

                var mapping = (MappingNode)MappingLookup.Dereference(entry);
                return new ImagePinState(
                    ValueReader.Key(mapping, "newName", display, fileName),
                    ValueReader.Key(mapping, "newTag", display, fileName),
                    ValueReader.Key(mapping, "digest", display, fileName));
            case ScalarNode { IsNull: true }:
                return null;
            case var other:
                throw NotAList(other, fileName);
        }
    }

    private static void SetInImagesList(NodeEditor editor, Found found, string fileName, string imageName, IReadOnlyList<EntryWrite> writes)
    {
        var images = found.Target.Value;
        var parentIsFlow = YamlFile.ParentIsFlow(found);
        switch (images)
        {
            case SequenceNode list when FindEntry(list, imageName, found.Document, fileName, forWrite: true) is { } entry:
                editor.SetEntries(new PathStep(null, entry, $"images[name={imageName}]"), list.IsFlow, writes);
                break;
            case SequenceNode { IsFlow: true } list when list.Items.Count > 0:
                editor.Edits.Insert(list.Items[^1].ContentEnd, ", " + FlowItem(imageName, writes));
                break;
            case SequenceNode { IsFlow: true } list when parentIsFlow:
                editor.Edits.Insert(list.FlowEnd, FlowItem(imageName, writes));
                break;
            case SequenceNode { IsFlow: true } list:
                var open = editor.Edits.Source.Body.LastIndexOf('[', list.FlowEnd);
                editor.Edits.Replace(editor.Layout.SpaceBefore(open), list.FlowEnd + 1, "");
                AddBlockListAfterKey(editor, found.Target.Key!, list.ContentEnd, imageName, writes);
                break;
            case SequenceNode list:
                AppendBlockItem(editor, list, imageName, writes);
                break;
            case ScalarNode { IsNull: true } empty when parentIsFlow:
                var flow = "[" + FlowItem(imageName, writes) + "]";
                editor.Edits.Replace(empty.TextStart, empty.End, empty.TextStart == empty.End ? " " + flow : flow);
                break;
            case ScalarNode { IsNull: true } empty:
                if (empty.TextStart != empty.End)
                {
                    editor.Edits.Replace(editor.Layout.SpaceBefore(empty.TextStart), empty.End, "");
                }

                AddBlockListAfterKey(editor, found.Target.Key!, Math.Max(empty.ContentEnd, found.Target.Key!.ContentEnd), imageName, writes);
                break;
            default:
                throw NotAList(images, fileName);
        }
    }

    private static void AddImagesList(NodeEditor editor, DocumentTree document, string fileName, string imageName, IReadOnlyList<EntryWrite> writes)
    {
        if (document.Root is not MappingNode { IsFlow: false } root)
        {
            throw new YamlEditException(fileName, document.Root.Line, document.Root.Column,
                $"is not a kustomization: its top level is {WriteGuard.Describe(document.Root)}, not a mapping of keys such as `resources:` and `images:`.",
                "Fix: point the promotion at the overlay's kustomization.yaml, or write it as a mapping (`resources:`, `images:`), then run again.");
        }

        var keyColumn = root.Entries[0].Key.Column;
        var dashColumn = keyColumn + editor.Indent.SequenceIndent;
        var slot = editor.Layout.After(root.ContentEnd, keyColumn);
        var lines = new List<string> { BlockLayout.Indent(keyColumn - 1) + "images:" };
        lines.AddRange(ItemLines(dashColumn, dashColumn + 2, imageName, writes));
        editor.Edits.Insert(slot.Offset, editor.Layout.Lines(slot, lines));
    }

    private static void AddBlockListAfterKey(NodeEditor editor, Node key, int lineContentEnd, string imageName, IReadOnlyList<EntryWrite> writes)
    {
        var slot = editor.Layout.SlotAfterLine(editor.Layout.LineOf(Math.Max(lineContentEnd - 1, 0)));
        var dashColumn = key.Column + editor.Indent.SequenceIndent;
        editor.Edits.Insert(slot.Offset, editor.Layout.Lines(slot, ItemLines(dashColumn, dashColumn + 2, imageName, writes)));
    }

    private static void AppendBlockItem(NodeEditor editor, SequenceNode list, string imageName, IReadOnlyList<EntryWrite> writes)
    {
        var dashColumn = IndentStyle.DashColumn(editor.Edits.Source.Body, list) ?? list.Column;
        var keyColumn = list.Items[0] is MappingNode { IsFlow: false, Entries.Count: > 0 } first ? first.Entries[0].Key.Column : dashColumn + 2;
        var slot = editor.Layout.After(list.ContentEnd, dashColumn);
        editor.Edits.Insert(slot.Offset, editor.Layout.Lines(slot, ItemLines(dashColumn, keyColumn, imageName, writes)));
    }

    private static IEnumerable<string> ItemLines(int dashColumn, int keyColumn, string imageName, IReadOnlyList<EntryWrite> writes)
    {
        var gap = Math.Max(keyColumn - dashColumn - 1, 1);
        var keyIndent = BlockLayout.Indent(dashColumn + gap);
        yield return BlockLayout.Indent(dashColumn - 1) + "-" + BlockLayout.Indent(gap) + "name: " + ScalarWriter.Write(imageName, ScalarStyle.Plain, inFlow: false);
        foreach (var write in writes)
        {
            yield return keyIndent + write.Key + ": " + ScalarWriter.Write(write.Value, ScalarStyle.Plain, inFlow: false);
        }
    }

    private static string FlowItem(string imageName, IReadOnlyList<EntryWrite> writes) =>
        "{name: " + ScalarWriter.Write(imageName, ScalarStyle.Plain, inFlow: true)
        + string.Concat(writes.Select(w => ", " + w.Key + ": " + ScalarWriter.Write(w.Value, ScalarStyle.Plain, inFlow: true))) + "}";

    /// <summary>The list item whose <c>name</c> is <paramref name="imageName"/>; two such items are an error.</summary>
    private static Node? FindEntry(SequenceNode list, string imageName, DocumentTree document, string fileName, bool forWrite)
    {
        Node? match = null;
        var display = $"images[name={imageName}]";
        foreach (var item in list.Items)
        {
            if (MappingLookup.Dereference(item) is not MappingNode mapping
                || MappingLookup.Find(mapping, "name", out _) is not { Value: var nameNode }
                || MappingLookup.Dereference(nameNode) is not ScalarNode { Value: var name }
                || name != imageName)
            {
                continue;
            }

            if (match is not null)
            {
                throw new YamlEditException(fileName, item.Line, item.Column,
                    $"`images` has two entries with `name: {imageName}` (lines {match.Line} and {item.Line}); kustomize would apply only one of them.",
                    $"Fix: merge them into one `- name: {imageName}` entry, then run again.");
            }

            match = item;
        }

        if (forWrite && match is not null && WriteGuard.Check(document, match, display, fileName) is { } error)
        {
            throw error;
        }

        return match;
    }

    private static DocumentTree SingleDocument(YamlFile file, Missing? deepest)
    {
        if (file.Documents.Count == 1)
        {
            return file.Documents[0];
        }

        throw file.Documents.Count == 0
            ? DocumentSelector.NotFound(deepest, "images", file.FileName)
            : new YamlEditException(file.FileName, 1, 1,
                $"has {file.Documents.Count} YAML documents and none has an `images:` list, so it is unclear which one is the kustomization.",
                "Fix: keep the kustomization in a file of its own (kustomization.yaml holds one document), or add `images: []` to it.");
    }

    private static EntryWrite[] Writes(ImagePin pin)
    {
        ArgumentNullException.ThrowIfNull(pin);
        if (pin.Digest.Algorithm is null)
        {
            throw new ArgumentException("The pin has no digest (default Digest).", nameof(pin));
        }

        var writes = new List<EntryWrite>(3);
        if (pin.Repository is not null)
        {
            writes.Add(new EntryWrite("newName", pin.Repository, "name"));
        }

        if (pin.Tag is not null)
        {
            writes.Add(new EntryWrite("newTag", pin.Tag, "newName"));
        }

        writes.Add(new EntryWrite("digest", pin.Digest.ToString(), "newTag"));
        return [.. writes];
    }

    private static void RequireName(string imageName) =>
        ArgumentException.ThrowIfNullOrWhiteSpace(imageName);

    private static YamlEditException NotAList(Node node, string fileName) =>
        new(fileName, node.Line, node.Column,
            $"`images` is {WriteGuard.Describe(node)}, not a list of `- name: ...` entries.",
            "Fix: write `images:` as a list, e.g. `images:` then `- name: app` and `  digest: sha256:...`, then run again.");
}
