namespace Handoff.Yaml.Editing;

/// <summary>
/// Set <see cref="Key"/> to <see cref="Value"/> in a mapping. A new key goes right after the first of
/// <see cref="After"/> that exists there, otherwise after the last entry.
/// </summary>
internal sealed record EntryWrite(string Key, string Value, params string[] After);
