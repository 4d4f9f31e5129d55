namespace Handoff.DeliveryValidation.Repository;

/// <summary>
/// What a change under review is made of: the base it will merge into (its tip, which holds the
/// current freezes, keys and promotion history), the merge base it diverged from, and every file
/// that differs between the merge base and the checkout (committed, staged, unstaged or untracked).
/// </summary>
internal sealed record ChangeSet(string BaseRef, string BaseCommit, string MergeBase, IReadOnlySet<string> Files, IReadOnlySet<string> Uncommitted)
{
    public string Describe() =>
        $"base {BaseRef} ({BaseCommit[..7]}), merge base {MergeBase[..7]}, {Files.Count} changed file{(Files.Count == 1 ? "" : "s")}";

    /// <param name="ignored">Repository-relative folders whose files are not part of the change (this run's own reports and schema cache).</param>
    public static async Task<ChangeSet> ReadAsync(DeliveryRepository repository, string baseRef, IReadOnlyCollection<string> ignored, CancellationToken cancellationToken)
    {
        if (!repository.IsGitRepository)
        {
            throw new HandoffException($"--base={baseRef} needs git history, but {repository.Root} is not a git repository. Run ValidateDelivery in a clone of the delivery repository, or leave out --base to audit the files as they are.");
        }

        var baseCommit = await ResolveAsync(repository, baseRef, cancellationToken)
                         ?? throw new HandoffException(
                             $"--base={baseRef} is not a branch, tag or commit of the delivery repository checkout. Fetch it first (git fetch origin {baseRef}), " +
                             "or in GitHub Actions check out with fetch-depth: 0 and pass --base=origin/${{ github.base_ref }}.");
        var mergeBase = await repository.TryGitAsync(["merge-base", baseCommit, "HEAD"], cancellationToken);
        if (!mergeBase.Succeeded)
        {
            var shallow = (await repository.TryGitAsync(["rev-parse", "--is-shallow-repository"], cancellationToken)).StandardOutput.Trim() == "true";
            throw new HandoffException(shallow
                ? $"HEAD and {baseRef} have no common commit in this shallow clone, so the change cannot be told apart. Fetch the full history (actions/checkout with fetch-depth: 0, or git fetch --unshallow)."
                : $"HEAD and {baseRef} have no common history, so there is no change to validate against it. Pass the branch this change will merge into as --base.");
        }

        var fork = mergeBase.StandardOutput.Trim();
        bool Kept(string name) => !ignored.Any(folder => name == folder || name.StartsWith(folder + "/", StringComparison.Ordinal));
        var changed = (await NamesAsync(repository, ["diff", "--name-only", "--no-renames", "-z", fork], cancellationToken)).Where(Kept);
        var untracked = (await NamesAsync(repository, ["ls-files", "--others", "--exclude-standard", "-z"], cancellationToken)).Where(Kept).ToList();
        var uncommitted = (await NamesAsync(repository, ["diff", "--name-only", "--no-renames", "-z", "HEAD"], cancellationToken)).Where(Kept);
        return new ChangeSet(
            baseRef,
            baseCommit,
            fork,
            new SortedSet<string>(changed.Concat(untracked), StringComparer.Ordinal),
            new HashSet<string>(uncommitted.Concat(untracked), StringComparer.Ordinal));
    }

    /// <summary>The commit <paramref name="reference"/> names; a bare branch name also finds origin/NAME, as CI checkouts only have that.</summary>
    private static async Task<string?> ResolveAsync(DeliveryRepository repository, string reference, CancellationToken cancellationToken)
    {
        if (reference.StartsWith('-') || reference.Length == 0)
        {
            return null;
        }

        foreach (var candidate in reference.Contains('/') ? [reference] : new[] { reference, "origin/" + reference })
        {
            var result = await repository.TryGitAsync(["rev-parse", "--verify", "--quiet", "--end-of-options", candidate + "^{commit}"], cancellationToken);
            if (result.Succeeded)
            {
                return result.StandardOutput.Trim();
            }
        }

        return null;
    }

    private static async Task<IEnumerable<string>> NamesAsync(DeliveryRepository repository, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var output = await repository.GitAsync("Cannot list the changed files", arguments, cancellationToken);
        return output.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(name => name.Trim('\n', '\r')).Where(name => name.Length > 0);
    }
}
