using Handoff.Yaml.Text;
using Handoff.Yaml.Tree;

namespace Handoff.Yaml.Editing;

/// <summary>
/// How a file indents, learned from the file itself so new blocks look like their neighbours:
/// <see cref="Step"/> for a nested mapping, <see cref="SequenceIndent"/> for the dash of a list under a
/// key (0 for Kubernetes-style "indentless" lists). The most common choice in the document wins.
/// </summary>
internal sealed record IndentStyle(int Step, int SequenceIndent)
{
    public const int DefaultStep = 2;

    // kustomize writes lists indentless (`images:` then `- name:`), so a new list there matches its own tools.
    public const int DefaultSequenceIndent = 0;

    public static IndentStyle Infer(DocumentTree document, string text)
    {
        var steps = new Dictionary<int, int>();
        var sequenceIndents = new Dictionary<int, int>();
        var pending = new Stack<Node>();
        pending.Push(document.Root);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case MappingNode { IsFlow: false } mapping:
                    foreach (var (key, value) in mapping.Entries)
                    {
                        if (value is MappingNode { IsFlow: false, Entries.Count: > 0 } child && child.Entries[0].Key.Column > key.Column)
                        {
                            Count(steps, child.Entries[0].Key.Column - key.Column);
                        }
                        else if (value is SequenceNode { IsFlow: false, Items.Count: > 0 } list && DashColumn(text, list) is { } dash && dash >= key.Column)
                        {
                            Count(sequenceIndents, dash - key.Column);
                        }

                        pending.Push(value);
                    }

                    break;
                case SequenceNode { IsFlow: false } list:
                    foreach (var item in list.Items)
                    {
                        pending.Push(item);
                    }

                    break;
            }
        }

        return new IndentStyle(MostCommon(steps, DefaultStep), MostCommon(sequenceIndents, DefaultSequenceIndent));
    }

    /// <summary>1-based column of the dash of the list's first item, found by looking back from the item.</summary>
    public static int? DashColumn(string text, SequenceNode list)
    {
        if (list.Items.Count == 0)
        {
            return null;
        }

        var i = list.Items[0].Start - 1;
        while (i >= 0 && text[i] is ' ' or '\t' or '\r' or '\n')
        {
            i--;
        }

        if (i < 0 || text[i] != '-')
        {
            return null;
        }

        var lineStart = i;
        while (lineStart > 0 && text[lineStart - 1] is not ('\n' or '\r'))
        {
            lineStart--;
        }

        return i - lineStart + 1;
    }

    private static void Count(Dictionary<int, int> counts, int value) =>
        counts[value] = counts.GetValueOrDefault(value) + 1;

    private static int MostCommon(Dictionary<int, int> counts, int fallback)
    {
        var best = fallback;
        var bestCount = 0;
        foreach (var (value, count) in counts)
        {
            if (count > bestCount || (count == bestCount && value < best))
            {
                best = value;
                bestCount = count;
            }
        }

        return best;
    }
}
