using Handoff.Delivery.Config;
using Handoff.Delivery.Freeze;
using Handoff.Delivery.Git;
using Handoff.Delivery.Promotion;

namespace Handoff.Delivery.Commands;

public sealed record MergePromotionOptions
{
    public required DeliveryOptions Delivery { get; init; }

    /// <summary>The request branch, e.g. handoff/dev/myapp.</summary>
    public required string Branch { get; init; }

    /// <summary>Delete the branch once merged, as a merged pull request would.</summary>
    public bool DeleteBranch { get; init; } = true;
}

public enum MergeOutcome
{
    Merged,
    /// <summary>The branch was already part of the base branch; only the leftover branch was deleted.</summary>
    AlreadyMerged,
}

public sealed record MergeResult(MergeOutcome Outcome, string Branch, string BaseBranch, string MergeCommit, string Message);

/// <summary>
/// MergePromotion: merges a request branch into the base branch with a merge commit, the local
/// stand-in for pressing Merge on a pull request (the Demo, local and offline delivery repos).
/// The freeze is checked again at merge time, as branch protection would.
/// </summary>
public static class MergePromotionCommand
{
    public static async Task<MergeResult> RunAsync(MergePromotionOptions options, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        log ??= _ => { };
        var delivery = options.Delivery;
        var branch = options.Branch.StartsWith("refs/heads/", StringComparison.Ordinal) ? options.Branch["refs/heads/".Length..] : options.Branch;
        if (branch.Length == 0 || branch.Contains("..", StringComparison.Ordinal) || branch.StartsWith('-'))
        {
            throw new HandoffException($"--branch '{options.Branch}' is not a branch name. Pass the request branch, e.g. --branch=handoff/dev/myapp.");
        }

        var location = DeliveryRepoLocation.Parse(delivery.DeliveryRepo, delivery.WorkingDirectory);
        var remote = await ChangeRunner.CreateScm(delivery, location, log).ResolveAsync(cancellationToken);
        var settings = delivery.GitSettings(remote.Credentials);
        var attempts = Math.Max(1, delivery.MaxPushAttempts);
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            using var clone = await ChangeRunner.OpenAsync(delivery, remote, settings, fullHistory: true, cancellationToken);
            var config = await ChangeRunner.ReadConfigAsync(clone, delivery, cancellationToken);
            var head = await clone.FetchBranchAsync(branch, cancellationToken) ?? throw await NoSuchBranchAsync(clone, branch, cancellationToken);
            var leases = new Dictionary<string, string?> { [$"refs/heads/{clone.BaseBranch}"] = clone.BaseCommit, [$"refs/heads/{branch}"] = head };
            var deletion = options.DeleteBranch ? new[] { $":refs/heads/{branch}" } : [];

            var alreadyMerged = (await clone.Git.TryAsync(["merge-base", "--is-ancestor", head, "HEAD"], cancellationToken)).Succeeded;
            if (alreadyMerged)
            {
                if (deletion.Length > 0 && (await clone.PushAsync(deletion, leases.Where(l => l.Key.EndsWith(branch, StringComparison.Ordinal)).ToDictionary(), [], atomic: true, cancellationToken)).Outcome == PushOutcome.Rejected)
                {
                    continue;
                }

                var note = $"{branch} is already merged into {clone.BaseBranch}{(deletion.Length > 0 ? "; deleted the leftover branch" : "")}.";
                log(note);
                return new MergeResult(MergeOutcome.AlreadyMerged, branch, clone.BaseBranch, clone.BaseCommit, note);
            }

            await CheckFreezeAsync(clone, config, head, delivery, cancellationToken);
            var subject = await clone.Git.RunAsync("Cannot read the branch", ["log", "-1", "--format=%s", head], cancellationToken);
            var merge = await clone.Git.TryAsync(["merge", "--no-ff", "--no-edit", "-m", $"Merge {branch}: {subject}", head], cancellationToken);
            if (!merge.Succeeded)
            {
                throw new HandoffException($"{branch} does not merge cleanly into {clone.BaseBranch} ({FirstConflict(merge)}). It was opened on an older {clone.BaseBranch}: run the command that opened it again (OpenPromotionPr, Promote, Rollback or Freeze) to rebuild it on the current {clone.BaseBranch}, then merge.");
            }

            var mergeCommit = await clone.Git.RunAsync("Cannot read the merge commit", ["rev-parse", "HEAD"], cancellationToken);
            var (outcome, _) = await clone.PushAsync([$"HEAD:refs/heads/{clone.BaseBranch}", .. deletion], leases, [], atomic: true, cancellationToken);
            if (outcome == PushOutcome.Rejected)
            {
                log($"Push of {clone.BaseBranch} was rejected: it moved while merging (attempt {attempt} of {attempts}); merging again on the new {clone.BaseBranch}.");
                continue;
            }

            var message = $"Merged {branch} into {clone.BaseBranch} ({mergeCommit[..7]}): {subject}";
            log(message);
            return new MergeResult(MergeOutcome.Merged, branch, clone.BaseBranch, mergeCommit, Secrets.Redact(message));
        }

        throw new HandoffException($"Gave up merging {branch} after {attempts} attempts: the base branch kept moving in {remote.DisplayName}. Run again when other merges have finished.");
    }

    /// <summary>Promotions into a frozen environment wait; rollbacks pass when allowed, and freeze changes always pass.</summary>
    private static async Task CheckFreezeAsync(DeliveryClone clone, HandoffConfig config, string head, DeliveryOptions options, CancellationToken cancellationToken)
    {
        foreach (var record in await PromotionHistory.ReadRangeAsync(clone.Git, $"HEAD..{head}", cancellationToken))
        {
            if (config.Environments.FirstOrDefault(e => e.Name == record.Env) is { } environment)
            {
                FreezeGuard.Check(clone, environment, record.IsRollback ? FreezeGuard.RollbackKind : FreezeGuard.PromotionKind, options.Clock.GetUtcNow());
            }
        }
    }

    private static async Task<HandoffException> NoSuchBranchAsync(DeliveryClone clone, string branch, CancellationToken cancellationToken)
    {
        var heads = await clone.Git.TryAsync(["ls-remote", "--heads", "origin", "handoff/*"], cancellationToken);
        var open = heads.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t').Last().Replace("refs/heads/", "", StringComparison.Ordinal))
            .ToList();
        return new HandoffException($"The delivery repository {clone.Request.DisplayName} has no branch '{branch}' (already merged and deleted, or never pushed). " +
                                    (open.Count > 0 ? $"Open request branches: {string.Join(", ", open)}." : "There are no open Handoff request branches."));
    }

    private static string FirstConflict(ExecResult merge) =>
        (merge.StandardOutput + "\n" + merge.StandardError).Split('\n').FirstOrDefault(l => l.Contains("CONFLICT", StringComparison.Ordinal))?.Trim() ?? "merge failed";
}
