using System.Collections.Concurrent;
using Handoff.Delivery.Config;
using Handoff.Delivery.Git;

namespace Handoff.DeliveryValidation.Repository;

/// <summary>One commit of a range and whether it carries <c>Handoff-Rollback: true</c>.</summary>
internal sealed record RangeCommit(string Commit, bool IsRollback);

/// <summary>
/// What the delivery repository's history says: which digests an environment has run, and which
/// commits of a change touch given files. Promotion trailers answer most questions in one git call;
/// the pin file's own history settles the rest (hand edits, the first pin), so nothing that really
/// ran is missed.
/// </summary>
internal sealed class DeliveryHistory(DeliveryRepository repository)
{
    /// <summary>Older history than this many commits of one pin file is not searched.</summary>
    public const int MaxFileHistory = 1000;

    private readonly ConcurrentDictionary<(string Revision, string App, string Env), Lazy<Task<HashSet<string>>>> _trailerDigests = new();
    private readonly ConcurrentDictionary<(string Revision, string File, string Key), Lazy<Task<HashSet<string>>>> _fileDigests = new();

    /// <summary>True when <paramref name="digest"/> was pinned for <paramref name="app"/> in <paramref name="location"/>'s environment at some commit reachable from <paramref name="revision"/>.</summary>
    public async Task<bool> EverPinnedAsync(string revision, string app, string environment, PinLocation location, Digest digest, CancellationToken cancellationToken)
    {
        var text = digest.ToString();
        var trailers = await _trailerDigests.GetOrAdd((revision, app, environment), key => new Lazy<Task<HashSet<string>>>(async () =>
        {
            var records = await PromotionHistory.ReadAsync(repository.Git, key.Revision, key.App, key.Env, cancellationToken);
            return records.Select(r => r.Digest).OfType<string>().ToHashSet(StringComparer.Ordinal);
        })).Value;
        if (trailers.Contains(text))
        {
            return true;
        }

        var pinned = await _fileDigests.GetOrAdd((revision, location.File, location.Key), _ => new Lazy<Task<HashSet<string>>>(() => FileDigestsAsync(revision, location, cancellationToken))).Value;
        return pinned.Contains(text);
    }

    /// <summary>Every digest the pin file held at any commit that changed it.</summary>
    private async Task<HashSet<string>> FileDigestsAsync(string revision, PinLocation location, CancellationToken cancellationToken)
    {
        var commits = await repository.GitAsync("Cannot read the history of " + location.File,
            ["log", $"--max-count={MaxFileHistory}", "--format=%H", revision, "--", location.File], cancellationToken);
        var digests = new HashSet<string>(StringComparer.Ordinal);
        foreach (var commit in commits.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var content = await repository.TryGitAsync(["cat-file", "blob", $"{commit}:{location.File}"], cancellationToken);
            if (content.Succeeded && PinState.Read(location, content.StandardOutput).Digest is { } digest)
            {
                digests.Add(digest.ToString());
            }
        }

        return digests;
    }

    /// <summary>The non-merge commits of <c>from..HEAD</c> that change any of <paramref name="paths"/>, newest first.</summary>
    public async Task<IReadOnlyList<RangeCommit>> CommitsTouchingAsync(string from, IReadOnlyCollection<string> paths, CancellationToken cancellationToken)
    {
        if (paths.Count == 0)
        {
            return [];
        }

        var output = await repository.GitAsync("Cannot read the commits of the change",
            ["log", "--no-merges", $"--format=%H%x1f%(trailers:key={HandoffTrailers.Rollback},valueonly,separator=%x2C)", $"{from}..HEAD", "--", .. paths], cancellationToken);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\x1f'))
            .Where(fields => fields.Length == 2)
            .Select(fields => new RangeCommit(fields[0].Trim(), fields[1].Split(',').Any(v => string.Equals(v.Trim(), "true", StringComparison.OrdinalIgnoreCase))))
            .ToList();
    }
}
