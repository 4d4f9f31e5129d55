using System.Text;

namespace Handoff.Delivery.Scm;

/// <summary>
/// Writes a request's title and body to artifacts/promotion-pr.md, for the SCMs that do not take a
/// Markdown body over an API: a human (or a later CI step) opens the request from it.
/// </summary>
internal static class DescriptionFile
{
    public const string Name = "promotion-pr.md";

    public static string Write(string artifactsDirectory, PullRequestDraft draft)
    {
        var text = new StringBuilder()
            .Append("# ").Append(draft.Title).Append('\n').Append('\n')
            .Append("Branch: `").Append(draft.Branch).Append("` → `").Append(draft.BaseBranch).Append("`  \n");
        if (draft.Labels.Count > 0)
        {
            text.Append("Labels: ").Append(string.Join(", ", draft.Labels.Select(l => $"`{l}`"))).Append("  \n");
        }

        var reviewers = draft.Reviewers.Select(r => "@" + r).Concat(draft.TeamReviewers.Select(t => "@" + t + " (team)")).ToList();
        if (reviewers.Count > 0)
        {
            text.Append("Reviewers: ").Append(string.Join(", ", reviewers)).Append("  \n");
        }

        text.Append('\n').Append(draft.Body.TrimEnd()).Append('\n');
        var path = Path.Combine(artifactsDirectory, Name);
        AtomicFile.WriteAllText(path, Secrets.Redact(text.ToString()));
        return path;
    }
}
