using Handoff.Delivery.Freeze;
using Handoff.Delivery.Pins;
using Handoff.Delivery.Promotion;

namespace Handoff.Delivery.Commands;

/// <summary>One app's pin in one environment on the base branch.</summary>
public sealed record EnvironmentPin(string App, string Environment, string? Digest, string? Tag, string File, bool Frozen);

public sealed record DeliveryStatus(string BaseBranch, string BaseCommit, IReadOnlyList<EnvironmentPin> Pins)
{
    /// <summary>A plain-text table (environment → digest) for logs and the Demo.</summary>
    public string ToTable()
    {
        var rows = Pins.Select(p => (p.App, p.Environment, Digest: p.Digest ?? "(none)", Tag: p.Tag ?? "", Frozen: p.Frozen ? "frozen" : "")).ToList();
        int Width(Func<(string App, string Environment, string Digest, string Tag, string Frozen), string> column, string header) => Math.Max(header.Length, rows.Count == 0 ? 0 : rows.Max(r => column(r).Length));
        var (wa, we, wd, wt) = (Width(r => r.App, "app"), Width(r => r.Environment, "environment"), Width(r => r.Digest, "digest"), Width(r => r.Tag, "tag"));
        var lines = new List<string>
        {
            $"{"app".PadRight(wa)}  {"environment".PadRight(we)}  {"digest".PadRight(wd)}  {"tag".PadRight(wt)}",
            $"{new string('-', wa)}  {new string('-', we)}  {new string('-', wd)}  {new string('-', wt)}",
        };
        lines.AddRange(rows.Select(r => $"{r.App.PadRight(wa)}  {r.Environment.PadRight(we)}  {r.Digest.PadRight(wd)}  {r.Tag.PadRight(wt)}  {r.Frozen}".TrimEnd()));
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>Reads which digest every app runs in every environment on the base branch (one shallow clone).</summary>
public static class StatusCommand
{
    public static async Task<DeliveryStatus> RunAsync(DeliveryOptions options, string? app = null, CancellationToken cancellationToken = default)
    {
        var location = Git.DeliveryRepoLocation.Parse(options.DeliveryRepo, options.WorkingDirectory);
        var remote = await ChangeRunner.CreateScm(options, location, _ => { }).ResolveAsync(cancellationToken);
        using var clone = await ChangeRunner.OpenAsync(options with { CloneDepth = 1 }, remote, options.GitSettings(remote.Credentials), fullHistory: false, cancellationToken);
        var config = await ChangeRunner.ReadConfigAsync(clone, options, cancellationToken);
        var apps = app is null ? config.Apps : [config.App(app)];
        var now = options.Clock.GetUtcNow();
        var pins = new List<EnvironmentPin>();
        foreach (var environment in config.Environments)
        {
            var frozen = FreezeGuard.Read(clone, environment).IsActive(now);
            foreach (var appConfig in apps.Where(a => a.Pins.ContainsKey(environment.Name)))
            {
                var current = PinChangePlanner.ReadPin(clone, config, appConfig.Name, environment.Name);
                pins.Add(new EnvironmentPin(appConfig.Name, environment.Name, PinAccess.DigestOf(current.State)?.ToString(), current.State.Tag, current.Location.File, frozen));
            }
        }

        return new DeliveryStatus(clone.BaseBranch, clone.BaseCommit, pins);
    }
}
