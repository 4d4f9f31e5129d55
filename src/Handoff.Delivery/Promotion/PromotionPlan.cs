using Handoff.Delivery.Freeze;
using Handoff.Delivery.Git;

namespace Handoff.Delivery.Promotion;

/// <summary>The facts a promotion planned on its last attempt, for the command's result.</summary>
internal sealed class PromotionFacts
{
    public string App { get; set; } = "";
    public string Environment { get; set; } = "";
    public Digest Digest { get; set; }
    public Digest? Previous { get; set; }
}

/// <summary>
/// Plans a promotion of one subject into one environment: the pin edit, trailers, change log,
/// and the request's title and body. Used by OpenPromotionPr (subject from release.json) and
/// Promote (subject from the previous environment).
/// </summary>
internal static class PromotionPlan
{
    public static string BranchFor(string environment, string app) => $"handoff/{environment}/{app}";

    public static async Task<PlannedChange> PlanAsync(ChangeContext context, string app, string environment, PromotionSubject subject, string? appRepository, PromotionFacts facts, CancellationToken cancellationToken)
    {
        var current = PinChangePlanner.ReadPin(context.Workspace, context.Config, app, environment);
        facts.App = app;
        facts.Environment = environment;
        facts.Digest = subject.Digest;
        facts.Previous = current.Digest;
        if (current.Digest == subject.Digest)
        {
            return new NoChange($"{environment} already runs {subject.Digest} for {app} ({current.Location.File} on {context.Workspace.BaseBranch}): nothing to promote.");
        }

        PinChangePlanner.CheckFreeze(context.Workspace, current.Environment, FreezeGuard.PromotionKind, context.Options);
        if (subject.SourceRepository is null && context.Config.Provenance?.Apps.GetValueOrDefault(app)?.SourceRepository is { } configured)
        {
            subject = subject with { SourceRepository = configured };
        }

        var file = PinChangePlanner.Apply(context.Workspace, current, subject)!;

        var previousSource = current.Digest is { } running
            ? (await PromotionHistory.ReadAsync(context.Workspace.Git, "HEAD", app, environment, cancellationToken)).FirstOrDefault(r => r.Digest == running.ToString())?.SourceCommit
            : null;
        var (changeLog, note) = await ChangeLog.ReadAsync(context.GitSettings, appRepository, previousSource, subject.SourceCommit, cancellationToken);

        var title = PromotionBody.Title(app, environment, subject);
        var heading = subject.PromotedFrom == HandoffTrailers.FromRelease
            ? $"Promote `{app}` to `{environment}`"
            : $"Promote `{app}` from `{subject.PromotedFrom}` to `{environment}`";
        var body = PromotionBody.Render(heading, app, environment, current.Digest?.ToString(), subject, current.Location.Describe(), changeLog, note, context.Config.Links.Artifact);
        var summary = $"Pin {current.Location.Describe()} to {subject.Digest}{(subject.Tag is { } tag ? $" (tag {tag})" : "")}. Previously: {current.Digest?.ToString() ?? "no digest"}.";
        var message = $"{title}\n\n{summary}";
        return new FileChange(
            BranchFor(environment, app),
            message,
            PinChangePlanner.Trailers(app, environment, subject),
            [file],
            PinChangePlanner.Draft(title, body, current.Environment, "promotion") with { Summary = PromotionBody.Summary(app, environment, current.Digest?.ToString(), subject, current.Location.Describe()) });
    }
}
