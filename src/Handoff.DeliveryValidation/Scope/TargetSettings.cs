using Handoff.Delivery.Config;
using Handoff.DeliveryValidation.Rendering;

namespace Handoff.DeliveryValidation.Scope;

/// <summary>One setting that decides how a target is pinned or rendered, where it is written, and its value as comparable text.</summary>
internal sealed record TargetSetting(string Name, string Value, ConfigLocation At);

/// <summary>
/// Everything besides file contents that decides what a target deploys: where its image is pinned, the
/// render: settings in handoff.yaml, what they resolve to (an Argo CD Application's source and destination
/// included) and the cluster version it is rendered for. Two versions of a target with equal settings
/// render the same files the same way; a difference means the change edits how the environment is deployed.
/// </summary>
internal static class TargetSettings
{
    public static IReadOnlyList<TargetSetting> Of(Target target, ClusterVersion version)
    {
        var pin = target.Pin;
        var settings = new List<TargetSetting>
        {
            new("pin", $"{pin.Describe()}{(pin.Kind == PinKind.Yaml ? $", value: {pin.Value.ToString().ToLowerInvariant()}" : "")}", pin.DefinedAt),
        };

        var configured = target.App.Render.GetValueOrDefault(target.Environment.Name);
        var configuredAt = configured?.DefinedAt ?? target.App.DefinedAt;
        if (configured is { Tool: RenderTool.ArgoCd })
        {
            settings.Add(new("render.argocd", $"file {configured.Path}, application {configured.Application}", configuredAt));
        }

        if (target.RenderProblem is { } problem)
        {
            settings.Add(new("render", "unresolved: " + problem.Problem, new ConfigLocation(problem.File, problem.Line, problem.Column)));
        }
        else if (target.Render is not { } render)
        {
            settings.Add(new("render", "none", configuredAt));
        }
        else
        {
            // Read from an Argo CD Application, the settings are written there; otherwise in handoff.yaml.
            var at = render.DefinedAt;
            settings.Add(new("render", render.Tool.ToString().ToLowerInvariant(), at));
            settings.Add(new(render.Tool == RenderTool.Helm ? "chart" : "path", render.Path, at));
            settings.Add(new("releaseName", render.ReleaseName ?? "", at));
            settings.Add(new("namespace", render.Namespace ?? "", at));
            settings.Add(new("valuesFiles", "[" + string.Join(", ", render.ValuesFiles) + "]", at));
            settings.Add(new("skipCrds", render.SkipCrds ? "true" : "false", at));
            settings.Add(new("recurse", render.Recurse ? "true" : "false", at));
        }

        if (target.ArgoSource is { } source)
        {
            settings.Add(new("the Argo CD Application's spec.source/destination", source, target.Render?.DefinedAt ?? configuredAt));
        }

        settings.Add(new("kubeVersion", version.KubeVersion ?? "", target.Environment.DefinedAt));
        settings.Add(new("apiVersions", "[" + string.Join(", ", version.ApiVersions) + "]", target.Environment.DefinedAt));
        return settings;
    }

    /// <summary>The settings that differ between <paramref name="before"/> and <paramref name="now"/>, described; empty when none.</summary>
    public static IReadOnlyList<TargetSetting> Changed(IReadOnlyList<TargetSetting> before, IReadOnlyList<TargetSetting> now)
    {
        var old = before.GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);
        var changed = now.Where(s => !old.TryGetValue(s.Name, out var value) || value != s.Value).ToList();
        return changed
            .Concat(before.Where(s => now.All(n => n.Name != s.Name)).Select(s => s with { Value = "(removed)" }))
            .ToList();
    }

    /// <summary>"valuesFiles [a] → [b]"-style text; long values (an Application's source) are only named.</summary>
    public static string Describe(IReadOnlyList<TargetSetting> before, TargetSetting changed)
    {
        var old = before.FirstOrDefault(s => s.Name == changed.Name)?.Value ?? "(not set)";
        return old.Length + changed.Value.Length > 160 ? $"{changed.Name} changed" : $"{changed.Name} {Show(old)} → {Show(changed.Value)}";
    }

    private static string Show(string value) => value.Length == 0 ? "(default)" : value;
}
