using Handoff.Delivery.Config;
using Handoff.Delivery.Freeze;
using Handoff.Delivery.Git;
using Handoff.Delivery.Pins;
using Handoff.Delivery.Scm;
using Handoff.Yaml;

namespace Handoff.Delivery.Promotion;

/// <summary>The state of one app's pin in one environment, read from the clone.</summary>
internal sealed record CurrentPin(AppConfig App, EnvironmentConfig Environment, PinLocation Location, string Text, ImagePinState State)
{
    public Digest? Digest => PinAccess.DigestOf(State);
}

/// <summary>
/// Plans the edit of one app's pin in one environment: checks the freeze, reads the current pin,
/// writes the new one through the surgical YAML editor and verifies it reads back.
/// </summary>
internal static class PinChangePlanner
{
    public static CurrentPin ReadPin(DeliveryClone clone, HandoffConfig config, string app, string environment)
    {
        var appConfig = config.App(app);
        var envConfig = config.Environment(environment);
        var location = config.Pin(appConfig, envConfig);
        if (!clone.Exists(location.File))
        {
            throw new HandoffException($"{location.File} does not exist in the delivery repository on {clone.BaseBranch}, but {config.File}:{location.DefinedAt.Line}:{location.DefinedAt.Column} pins {app} in {environment} there. Create the file, or fix the file: entry in {config.File}.");
        }

        var text = clone.ReadText(location.File);
        var state = PinAccess.Read(location, text) ?? throw MissingKey(config, location, app, environment);
        return new CurrentPin(appConfig, envConfig, location, text, state);
    }

    private static HandoffException MissingKey(HandoffConfig config, PinLocation location, string app, string environment)
    {
        var fix = location.Kind switch
        {
            PinKind.Helm => $"Add a mapping '{location.Key}:' with repository: and tag: to {location.File}",
            PinKind.Kustomize => $"Add an images: entry with name: {location.Key} to {location.File}",
            _ => $"Add the field at '{location.Key}' to {location.File}",
        };
        return new HandoffException($"{location.Describe()} has no image for {app} in {environment} ({config.File}:{location.DefinedAt.Line}:{location.DefinedAt.Column} points there). {fix}, or fix the entry in {config.File}.");
    }

    /// <summary>Writes the subject's digest into the pin; null when the environment already runs it.</summary>
    public static string? Apply(DeliveryClone clone, CurrentPin current, PromotionSubject subject)
    {
        if (current.Digest == subject.Digest)
        {
            return null;
        }

        var pin = new ImagePin(subject.Digest, subject.Tag, current.App.WriteRepository ? subject.Repository : null);
        var edit = PinAccess.Write(current.Location, current.Text, pin, current.State);
        var written = PinAccess.DigestOf(PinAccess.Read(current.Location, edit.Text));
        if (!edit.Changed || written != subject.Digest)
        {
            throw new HandoffException($"{current.Location.Describe()}: writing {subject.Digest} did not produce a file that reads back as that digest; nothing was pushed. Check the entry in handoff.yaml points at the mapping that holds the image.");
        }

        clone.WriteText(current.Location.File, edit.Text);
        return current.Location.File;
    }

    public static void CheckFreeze(DeliveryClone clone, EnvironmentConfig environment, string kind, DeliveryOptions options) =>
        FreezeGuard.Check(clone, environment, kind, options.Clock.GetUtcNow());

    /// <summary>The trailers every pin change carries, so history can answer "what ran where, from which commit".</summary>
    public static List<KeyValuePair<string, string>> Trailers(string app, string environment, PromotionSubject subject)
    {
        var trailers = new List<KeyValuePair<string, string>>
        {
            new(HandoffTrailers.App, app),
            new(HandoffTrailers.Env, environment),
            new(HandoffTrailers.Digest, subject.Digest.ToString()),
        };
        Add(trailers, HandoffTrailers.Tag, subject.Tag);
        Add(trailers, HandoffTrailers.SourceCommit, subject.SourceCommit);
        trailers.Add(new(HandoffTrailers.PromotedFrom, subject.PromotedFrom));
        // Always present (with a stand-in when no run is known) so every promotion commit carries the same set of trailers.
        trailers.Add(new(HandoffTrailers.Run, string.IsNullOrWhiteSpace(subject.Run) ? HandoffTrailers.UnknownRun : subject.Run));
        return trailers;
    }

    private static void Add(List<KeyValuePair<string, string>> trailers, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            trailers.Add(new(key, value));
        }
    }

    public static PullRequestDraft Draft(string title, string body, EnvironmentConfig environment, string kindLabel) =>
        new("", "", title, body,
            [kindLabel, $"env:{environment.Name}", .. environment.Labels.Where(l => l != kindLabel)],
            environment.Reviewers,
            environment.TeamReviewers);
}
