using Handoff.Delivery.Promotion;

namespace Handoff.Delivery.Commands;

public sealed record OpenPromotionPrOptions
{
    public required DeliveryOptions Delivery { get; init; }

    /// <summary>The environment to pin the release in (normally the first one, e.g. dev).</summary>
    public required string Environment { get; init; }

    /// <summary>The app in handoff.yaml; default: the app whose image matches the release, or the only app.</summary>
    public string? App { get; init; }

    /// <summary>release.json, relative to the working directory; ignored when <see cref="Release"/> is given.</summary>
    public string ReleasePath { get; init; } = "artifacts/release.json";

    /// <summary>The release itself, when the caller already holds it (the Publish chain).</summary>
    public Release? Release { get; init; }

    /// <summary>A local clone of the app repository for the change-log excerpt; default: the working directory when it is a git repository.</summary>
    public string? AppRepository { get; init; }
}

/// <summary>
/// OpenPromotionPr: pins a freshly published release in an environment through a pull request on
/// the stable branch handoff/&lt;env&gt;/&lt;app&gt;, so a newer release supersedes the open one.
/// </summary>
public static class OpenPromotionPrCommand
{
    public static async Task<PromotionResult> RunAsync(OpenPromotionPrOptions options, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        log ??= _ => { };
        var delivery = options.Delivery;
        var release = options.Release ?? Release.Load(Path.GetFullPath(options.ReleasePath, delivery.WorkingDirectory));
        var subject = PromotionSubject.FromRelease(release);
        var appRepository = options.AppRepository ?? (Directory.Exists(Path.Combine(delivery.WorkingDirectory, ".git")) ? delivery.WorkingDirectory : null);
        var facts = new PromotionFacts();
        var result = await ChangeRunner.RunAsync(delivery, fullHistory: false, async (context, ct) =>
        {
            var app = context.Config.ResolveApp(options.App, $"{release.Image.Registry}/{release.Image.Repository}");
            context.Config.Environment(options.Environment);
            return await PromotionPlan.PlanAsync(context, app.Name, options.Environment, subject, appRepository, facts, ct);
        }, log, cancellationToken);
        var request = ChangeRequestResult.From(result, delivery);
        log(request.Message);
        return new PromotionResult(request, facts.App, facts.Environment, facts.Digest, facts.Previous);
    }
}
