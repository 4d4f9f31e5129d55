using System.Text.RegularExpressions;
using Handoff.Delivery.Git;

namespace Handoff.Delivery.Promotion;

/// <summary>
/// The source commits between what an environment runs and what is being promoted, read from a
/// local clone of the app repository when one is at hand. Best effort: a shallow CI clone or a
/// first promotion yields a note instead of a list.
/// </summary>
internal static partial class ChangeLog
{
    public const int MaxEntries = 30;

    public static async Task<(IReadOnlyList<ChangeLogEntry> Entries, string? Note)> ReadAsync(GitSettings settings, string? appRepository, string? fromCommit, string? toCommit, CancellationToken cancellationToken)
    {
        if (appRepository is null || toCommit is null)
        {
            return ([], null);
        }

        if (fromCommit is null)
        {
            return ([], "First promotion of this app to this environment by Handoff: no earlier source commit to compare with.");
        }

        if (!CommitId().IsMatch(fromCommit) || !CommitId().IsMatch(toCommit))
        {
            return ([], null);
        }

        if (fromCommit == toCommit)
        {
            return ([], "Same source commit as the environment runs now (a rebuild).");
        }

        var git = new GitClient(appRepository, settings);
        foreach (var commit in new[] { fromCommit, toCommit })
        {
            var exists = await git.TryAsync(["cat-file", "-e", commit + "^{commit}"], cancellationToken);
            if (!exists.Succeeded)
            {
                return ([], $"Change log unavailable: commit {commit[..Math.Min(7, commit.Length)]} is not in the local app repository (a shallow clone? fetch with full history to see it).");
            }
        }

        var log = await git.TryAsync(["log", "--no-merges", $"--max-count={MaxEntries + 1}", "--format=%H%x1f%s%x1f%an", $"{fromCommit}..{toCommit}", "--"], cancellationToken);
        if (!log.Succeeded)
        {
            return ([], null);
        }

        var entries = log.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.TrimEnd('\r').Split('\x1f'))
            .Where(fields => fields.Length == 3)
            .Select(fields => new ChangeLogEntry(fields[0], fields[1], fields[2]))
            .ToList();
        if (entries.Count == 0)
        {
            return ([], $"No new commits: {toCommit[..7]} is not ahead of {fromCommit[..7]} (this promotion goes back in history).");
        }

        return entries.Count > MaxEntries
            ? (entries.Take(MaxEntries).ToList(), $"Showing the latest {MaxEntries} commits only.")
            : (entries, null);
    }

    [GeneratedRegex("^[0-9a-f]{7,64}$")]
    private static partial Regex CommitId();
}
