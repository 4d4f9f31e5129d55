using Handoff.Yaml.Tree;

namespace Handoff.Yaml.Paths;

/// <summary>
/// Refuses edits that would not stay local: a node reached through an alias, or an anchored node that
/// aliases elsewhere share. Changing either would silently change other places of the file.
/// </summary>
internal static class WriteGuard
{
    public static YamlEditException? Check(DocumentTree document, Node node, string display, string fileName)
    {
        if (node is AliasNode alias)
        {
            var anchorLine = alias.Target is { } target ? $" (anchored at line {target.Line})" : "";
            return new YamlEditException(fileName, alias.Line, alias.Column,
                $"`{display}` is an alias (*{alias.Name}) of a node defined elsewhere{anchorLine}; an edit through it would change every place that uses &{alias.Name}, not just `{display}`.",
                $"Fix: replace *{alias.Name} under `{display}` with its own copy of the values, then run again.");
        }

        if (document.IsShared(node))
        {
            return new YamlEditException(fileName, node.Line, node.Column,
                $"`{display}` is anchored as &{node.Anchor} and reused elsewhere through *{node.Anchor}; changing it here would also change those places.",
                $"Fix: give the places that use *{node.Anchor} their own copy (or remove the anchor) so `{display}` can change alone, then run again.");
        }

        return null;
    }

    public static YamlEditException Duplicate(MappingLookup.Entry first, MappingLookup.Entry second, string key, string parentDisplay, string fileName) =>
        new(fileName, second.Key.Line, second.Key.Column,
            $"the key `{key}` appears twice in {Where(parentDisplay)} (lines {first.Key.Line} and {second.Key.Line}); YAML tools disagree on which one wins, so the edit would be unreliable.",
            $"Fix: delete one of the two `{key}` entries, then run again.");

    public static YamlEditException Merged(MappingLookup.Entry merge, string key, string parentDisplay, string fileName) =>
        new(fileName, merge.Key.Line, merge.Key.Column,
            $"`{Join(parentDisplay, key)}` is not written in {Where(parentDisplay)}: it comes from the merge key `<<` at line {merge.Key.Line}. Editing the merged node would change every mapping that merges it.",
            $"Fix: write `{key}:` with its own values directly under {Where(parentDisplay)} (an own key overrides the merged one), then run again.");

    public static string Where(string display) => display.Length == 0 ? "the top level of the document" : $"`{display}`";

    public static string Join(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    public static string Describe(Node node) => node switch
    {
        ScalarNode { IsNull: true } => "empty (null)",
        ScalarNode { Value.Length: 0 } => "an empty string",
        ScalarNode s => $"the scalar '{Shorten(s.Value)}'",
        _ => node.KindName,
    };

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..57] + "...";
}
