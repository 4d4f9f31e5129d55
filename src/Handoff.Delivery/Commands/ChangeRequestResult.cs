using Handoff.Delivery.Scm;

namespace Handoff.Delivery.Commands;

public enum ChangeOutcome
{
    /// <summary>A new request (or, with the branch SCM, a new branch) was opened.</summary>
    Opened,
    /// <summary>The open request for the stable branch now shows the new change.</summary>
    Updated,
    /// <summary>The open request already showed exactly this change; nothing was written.</summary>
    UpToDate,
    /// <summary>Nothing to change (the environment already runs the digest, already frozen, ...).</summary>
    NothingToDo,
}

/// <summary>The request a command opened or updated, and a one-line message for the log.</summary>
public sealed record ChangeRequestResult(
    ChangeOutcome Outcome,
    string Message,
    string? Branch,
    string? BaseBranch,
    PullRequestDraft? Request,
    int? Number,
    string? Url,
    string? DescriptionFile,
    string? Commit)
{
    internal static ChangeRequestResult From(Promotion.ChangeResult result, DeliveryOptions options)
    {
        if (result.Plan is Promotion.NoChange none)
        {
            return new ChangeRequestResult(ChangeOutcome.NothingToDo, none.Message, null, result.BaseBranch, null, null, null, null, null);
        }

        var change = (Promotion.FileChange)result.Plan;
        var published = result.Request!;
        var outcome = published.Outcome switch
        {
            PullRequestOutcome.Opened => ChangeOutcome.Opened,
            PullRequestOutcome.Updated => ChangeOutcome.Updated,
            _ => ChangeOutcome.UpToDate,
        };
        var what = options.Scm switch
        {
            ScmKind.GitHub => $"pull request #{published.Number} ({published.Url})",
            ScmKind.GitLab => published.Url is { } url ? $"merge request {url}" : $"merge request for {change.Branch}",
            _ => $"branch {change.Branch}",
        };
        var verb = outcome switch
        {
            ChangeOutcome.Opened => "Opened",
            ChangeOutcome.Updated => "Updated",
            _ => "Already up to date:",
        };
        var message = $"{verb} {what}: {change.Draft.Title}";
        if (options.Scm != ScmKind.GitHub && published.DescriptionFile is { } file)
        {
            message += $". Description in {file}";
        }

        if (options.Scm == ScmKind.Branch)
        {
            message += $". Merge it with ./build.sh --target=MergePromotion --delivery-repo={options.DeliveryRepo} --branch={change.Branch}";
        }

        return new ChangeRequestResult(outcome, Secrets.Redact(message), change.Branch, result.BaseBranch, change.Draft, published.Number, published.Url, published.DescriptionFile, result.Commit);
    }
}

/// <summary>The outcome of OpenPromotionPr, Promote or Rollback.</summary>
public sealed record PromotionResult(ChangeRequestResult Request, string App, string Environment, Digest Digest, Digest? PreviousDigest)
{
    public ChangeOutcome Outcome => Request.Outcome;
    public string Message => Request.Message;
}
