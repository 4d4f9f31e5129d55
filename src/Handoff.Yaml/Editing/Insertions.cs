namespace Handoff.Yaml.Editing;

/// <summary>
/// New entries waiting to be written, grouped by offset so that several keys landing at the same place
/// come out in a sensible order: a key placed after another new key follows it directly, a key placed
/// after an existing entry comes first, a key with no anchor comes last.
/// </summary>
internal sealed class Insertions
{
    private readonly Dictionary<int, Group> _groups = [];
    private readonly Dictionary<string, int> _offsetOfKey = new(StringComparer.Ordinal);

    public bool TryGetOffset(string key, out int offset) => _offsetOfKey.TryGetValue(key, out offset);

    public void AddAfterExisting(int offset, string key, string text) => Add(offset, key, text, 0);

    public void AddAtEnd(int offset, string key, string text) => Add(offset, key, text, int.MaxValue);

    public void AddAfterNew(string anchorKey, string key, string text)
    {
        var offset = _offsetOfKey[anchorKey];
        var index = _groups[offset].Items.FindIndex(i => i.Key == anchorKey);
        Add(offset, key, text, index + 1);
    }

    /// <summary>Each group rendered as one string; <paramref name="render"/> joins the texts of a group.</summary>
    public IEnumerable<(int Offset, string Text)> Render(Func<int, IReadOnlyList<string>, string> render) =>
        _groups.Select(g => (g.Key, render(g.Key, g.Value.Items.ConvertAll(i => i.Text))));

    private void Add(int offset, string key, string text, int index)
    {
        if (!_groups.TryGetValue(offset, out var group))
        {
            _groups[offset] = group = new Group();
        }

        group.Items.Insert(Math.Min(index, group.Items.Count), (key, text));
        _offsetOfKey[key] = offset;
    }

    private sealed class Group
    {
        public List<(string Key, string Text)> Items { get; } = [];
    }
}
