using System.Text;

namespace Handoff.Delivery.Promotion;

/// <summary>One commit of the change-log excerpt in a promotion request.</summary>
public sealed record ChangeLogEntry(string Commit, string Subject, string Author);

/// <summary>The title and Markdown body of a promotion request: what changes, where it came from, how it was tested.</summary>
internal static class PromotionBody
{
    public static string Title(string app, string env, PromotionSubject subject) =>
        $"Promote {app} to {env}: {subject.Digest.Short}{(subject.ShortCommit is { } c ? $" ({c})" : "")}";

    public static string RollbackTitle(string app, string env, PromotionSubject subject) =>
        $"Roll back {app} in {env} to {subject.Digest.Short}{(subject.ShortCommit is { } c ? $" ({c})" : "")}";

    /// <param name="artifactLinkTemplate">handoff.yaml <c>links.artifact</c>: turns the SBOM and provenance references into links.</param>
    public static string Render(string heading, string app, string env, string? currentDigest, PromotionSubject subject, string location, IReadOnlyList<ChangeLogEntry>? changeLog, string? changeLogNote, string? artifactLinkTemplate = null)
    {
        var body = new StringBuilder();
        body.Append("## ").Append(heading).Append("\n\n");
        body.Append("| | |\n|---|---|\n");
        Row(body, "App", Code(app));
        Row(body, "Environment", Code(env));
        Row(body, "Digest", $"{(string.IsNullOrEmpty(currentDigest) ? "_(none)_" : Code(currentDigest))} → {Code(subject.Digest.ToString())}");
        if (subject.ImageName is { } image)
        {
            Row(body, "Image", Code($"{image}@{subject.Digest}"));
        }

        if (subject.Tag is { } tag)
        {
            Row(body, "Tag", Code(tag));
        }

        if (subject.SourceCommit is { } commit)
        {
            Row(body, "Source commit", CommitLink(subject.SourceRepository, commit));
        }

        if (subject.Run is { } run)
        {
            Row(body, "CI run", IsWebUrl(run)
                ? $"[{Escape(subject.Release?.Build.CiSystem ?? "run")}]({run})"
                : run == Git.HandoffTrailers.LocalRun ? $"{Code(run)} (built outside CI)" : Code(run));
        }

        Row(body, "Promoted from", Code(subject.PromotedFrom));
        Row(body, "File", Code(location));

        if (subject.Release?.Tests is { } tests)
        {
            body.Append("\n### Tests\n\n")
                .Append(tests.Failed == 0 ? "✅ " : "❌ ")
                .Append($"{tests.Passed} passed, {tests.Failed} failed, {tests.Skipped} skipped\n");
        }

        if (subject.Release is { } release && (release.Scan is not null || release.Attestations is not null))
        {
            // SBOM and provenance by digest, the verify command, and the scan gate's table.
            body.Append('\n').Append(Handoff.SupplyChain.PromotionEvidence.ToMarkdown(release, artifactLinkTemplate).TrimEnd()).Append('\n');
        }

        if (changeLog is { Count: > 0 })
        {
            body.Append("\n### Changes\n\n");
            foreach (var entry in changeLog)
            {
                body.Append("- ").Append(CommitLink(subject.SourceRepository, entry.Commit)).Append(' ').Append(Escape(entry.Subject));
                if (entry.Author.Length > 0)
                {
                    body.Append(" (").Append(Escape(entry.Author)).Append(')');
                }

                body.Append('\n');
            }
        }

        if (changeLogNote is not null)
        {
            body.Append(changeLog is { Count: > 0 } ? "\n" : "\n### Changes\n\n").Append('_').Append(Escape(changeLogNote)).Append("_\n");
        }

        body.Append("\n<sub>Opened by Handoff. Merging this request deploys the digest above; close it to discard.</sub>\n");
        return Secrets.Redact(body.ToString());
    }

    /// <summary>
    /// The request in one line, for SCMs that cannot take the Markdown body (GitLab push options
    /// cannot hold line breaks): the facts a reviewer checks first, with plain URLs GitLab turns into links.
    /// </summary>
    public static string Summary(string app, string env, string? currentDigest, PromotionSubject subject, string location, string? extra = null)
    {
        var parts = new List<string>
        {
            $"App {app}",
            $"environment {env}",
            $"digest {subject.Digest} (previously {(string.IsNullOrEmpty(currentDigest) ? "none" : currentDigest)})",
        };
        if (subject.Tag is { Length: > 0 } tag)
        {
            parts.Add($"tag {tag}");
        }

        if (subject.SourceCommit is { } commit)
        {
            parts.Add($"source commit {CommitUrl(subject.SourceRepository, commit) ?? commit}");
        }

        if (subject.Run is { } run)
        {
            parts.Add(IsWebUrl(run) ? $"CI run {run}" : run == Git.HandoffTrailers.LocalRun ? "built outside CI" : $"CI run {run}");
        }

        // A rollback's subject comes from the environment itself: "from prod" would say nothing.
        if (subject.PromotedFrom != env)
        {
            parts.Add(subject.PromotedFrom == Git.HandoffTrailers.FromRelease ? "from the release" : $"promoted from {subject.PromotedFrom}");
        }

        parts.Add($"file {location}");
        if (!string.IsNullOrWhiteSpace(extra))
        {
            parts.Add(extra.Trim());
        }

        return string.Join(" · ", parts).ReplaceLineEndings(" ");
    }

    private static bool IsWebUrl(string text) => Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    /// <summary>The commit's page on the app repo's web host when the repository is an http(s) URL.</summary>
    private static string? CommitUrl(string? repository, string commit) =>
        repository is not null && IsWebUrl(repository)
            ? $"{(repository.EndsWith(".git", StringComparison.Ordinal) ? repository[..^4] : repository.TrimEnd('/'))}/commit/{commit}"
            : null;

    private static void Row(StringBuilder body, string name, string value) => body.Append("| ").Append(name).Append(" | ").Append(value).Append(" |\n");

    private static string Code(string text) => "`" + text.Replace("`", "'", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal) + "`";

    /// <summary>Keeps text from other people (commit subjects) from breaking tables or injecting mentions and HTML.</summary>
    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ReplaceLineEndings(" "))
        {
            if (c is '|' or '<' or '>' or '*' or '_' or '[' or ']' or '`' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c == '@' ? "@\u200B" : c.ToString());
        }

        return builder.ToString();
    }

    /// <summary>A link to the commit on the app repo's web page when it is an http(s) URL, else the short id.</summary>
    private static string CommitLink(string? repository, string commit)
    {
        var shortId = commit.Length >= 7 ? commit[..7] : commit;
        return CommitUrl(repository, commit) is { } url ? $"[`{shortId}`]({url})" : Code(shortId);
    }
}
