namespace Handoff.Yaml;

/// <summary>What a promotion writes: the digest always, the tag and repository only when given.</summary>
public sealed record ImagePin(Handoff.Digest Digest, string? Tag = null, string? Repository = null);

/// <summary>The values currently in the file; null when the key is absent.</summary>
public sealed record ImagePinState(string? Repository, string? Tag, string? Digest);

/// <summary>The edited text; <see cref="ChangedLines"/> are 1-based line numbers in the new text.</summary>
public sealed record YamlEdit(string Text, bool Changed, IReadOnlyList<int> ChangedLines);
