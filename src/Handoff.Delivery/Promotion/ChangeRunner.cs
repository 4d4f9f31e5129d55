using Handoff.Delivery.Config;
using Handoff.Delivery.Git;
using Handoff.Delivery.Scm;

namespace Handoff.Delivery.Promotion;

/// <summary>What a command's planning step decided, with the clone already edited when there is a change.</summary>
internal abstract record PlannedChange;

/// <summary>Nothing to do (e.g. the environment already runs the digest); the message says why.</summary>
internal sealed record NoChange(string Message) : PlannedChange;

/// <summary>Edited files to commit on the request branch, with the commit message, trailers and the request to open.</summary>
internal sealed record FileChange(string Branch, string CommitMessage, IReadOnlyList<KeyValuePair<string, string>> Trailers, IReadOnlyList<string> Files, PullRequestDraft Draft) : PlannedChange;

/// <summary>What a planning step gets: the fresh clone on the base branch, its handoff.yaml, and the settings.</summary>
internal sealed record ChangeContext(DeliveryClone Workspace, HandoffConfig Config, DeliveryOptions Options, GitSettings GitSettings, Action<string> Log);

internal sealed record ChangeResult(PlannedChange Plan, PublishedRequest? Request, string? Commit, string BaseBranch);

/// <summary>
/// The shared life of every change request (promotion, rollback, freeze): resolve the remote, clone
/// the base branch, let the command plan and edit, commit with trailers, push the stable branch with
/// --force-with-lease, and open or update the request. A push rejected because someone else moved
/// the branch starts over from a fresh clone, a bounded number of times; nothing reaches the remote
/// before every edit has succeeded.
/// </summary>
internal static class ChangeRunner
{
    public static async Task<ChangeResult> RunAsync(
        DeliveryOptions options,
        bool fullHistory,
        Func<ChangeContext, CancellationToken, Task<PlannedChange>> plan,
        Action<string> log,
        CancellationToken cancellationToken)
    {
        var location = DeliveryRepoLocation.Parse(options.DeliveryRepo, options.WorkingDirectory);
        var scm = CreateScm(options, location, log);
        var remote = await scm.ResolveAsync(cancellationToken);
        var settings = options.GitSettings(remote.Credentials);
        var attempts = Math.Max(1, options.MaxPushAttempts);
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            using var clone = await OpenAsync(options, remote, settings, fullHistory, cancellationToken);
            var config = await ReadConfigAsync(clone, options, cancellationToken);
            var planned = await plan(new ChangeContext(clone, config, options, settings, log), cancellationToken);
            if (planned is not FileChange change)
            {
                return new ChangeResult(planned, null, null, clone.BaseBranch);
            }

            var branch = change.Branch;
            // Titles and bodies go to a third party; whatever they quote (reasons, commit subjects) is redacted.
            var draft = change.Draft with
            {
                Branch = branch,
                BaseBranch = clone.BaseBranch,
                Title = Secrets.Redact(change.Draft.Title),
                Body = Secrets.Redact(change.Draft.Body),
                Summary = change.Draft.Summary is { } summary ? Secrets.Redact(summary) : null,
            };
            var existingBranch = await clone.FetchBranchAsync(branch, cancellationToken);
            var commit = await clone.CommitAsync(change.CommitMessage, change.Trailers, change.Files, cancellationToken);
            var upToDate = existingBranch is not null && await SameChangeAsync(clone, existingBranch, commit, cancellationToken);
            var existingRequest = await scm.FindAsync(branch, clone.BaseBranch, cancellationToken);
            var remoteOutput = "";
            if (upToDate)
            {
                log($"Branch {branch} already holds this change on top of {clone.BaseBranch}; not pushing.");
                commit = existingBranch!;
            }
            else
            {
                var (outcome, output) = await clone.PushAsync(
                    [$"HEAD:refs/heads/{branch}"],
                    new Dictionary<string, string?> { [$"refs/heads/{branch}"] = existingBranch },
                    scm.PushOptions(draft),
                    atomic: false,
                    cancellationToken);
                if (outcome == PushOutcome.Rejected)
                {
                    log($"Push of {branch} was rejected: the branch moved while this change was prepared (attempt {attempt} of {attempts}); starting again from a fresh clone.");
                    continue;
                }

                remoteOutput = output;
                log($"Pushed {branch} ({commit[..7]}) to {remote.DisplayName}.");
            }

            var published = await scm.PublishAsync(draft, existingRequest, new PushReport(!upToDate, existingBranch is not null, remoteOutput), cancellationToken);
            return new ChangeResult(change with { Draft = draft }, published, commit, clone.BaseBranch);
        }

        throw new HandoffException($"Gave up after {attempts} attempts: each push was rejected because the request branch kept moving in {remote.DisplayName}. Someone else is changing the same app and environment; wait for them and run again.");
    }

    internal static IScm CreateScm(DeliveryOptions options, DeliveryRepoLocation location, Action<string> log) => options.Scm switch
    {
        ScmKind.GitHub => new GitHubScm(location, options.GitHub, log),
        ScmKind.GitLab => new GitLabScm(location, options.GitLab, options.Artifacts),
        _ => new BranchScm(location, options.GitHub.ApiUrl, options.Artifacts),
    };

    internal static Task<DeliveryClone> OpenAsync(DeliveryOptions options, RemoteTarget remote, GitSettings settings, bool fullHistory, CancellationToken cancellationToken) =>
        DeliveryClone.CreateAsync(
            new CloneRequest(remote.CloneUrl, remote.DisplayName, options.BaseBranch ?? remote.DefaultBranch, fullHistory ? 0 : options.CloneDepth, TreeOnlyHistory: fullHistory),
            settings,
            options.TempDirectory,
            cancellationToken);

    /// <summary>Reads handoff.yaml, moving to its baseBranch first when the caller did not name one and it differs.</summary>
    internal static async Task<HandoffConfig> ReadConfigAsync(DeliveryClone clone, DeliveryOptions options, CancellationToken cancellationToken)
    {
        var config = HandoffConfigReader.Load(clone.PathOf(HandoffConfig.FileName), HandoffConfig.FileName);
        if (options.BaseBranch is null && config.BaseBranch is { } configured && configured != clone.BaseBranch)
        {
            await clone.SwitchBaseAsync(configured, cancellationToken);
            config = HandoffConfigReader.Load(clone.PathOf(HandoffConfig.FileName), HandoffConfig.FileName);
        }

        return config;
    }

    /// <summary>True when the remote branch is already exactly this change: same tree, same parent, same message.</summary>
    private static async Task<bool> SameChangeAsync(DeliveryClone clone, string existing, string commit, CancellationToken cancellationToken)
    {
        var format = "--format=%T%x1f%P%x1f%B";
        var theirs = await clone.Git.TryAsync(["show", "--no-patch", format, existing], cancellationToken);
        var ours = await clone.Git.TryAsync(["show", "--no-patch", format, commit], cancellationToken);
        return theirs.Succeeded && ours.Succeeded && theirs.StandardOutput == ours.StandardOutput;
    }
}
