using System.Text.RegularExpressions;

namespace Handoff.Delivery.Config;

/// <summary>One setting as written, with its node so an error about its final value can point back at it.</summary>
internal readonly record struct Written(string Value, YamlConfigNode Node);

/// <summary>A <c>render:</c> entry as written (app-level default or one environment's override), before placeholders.</summary>
internal sealed record RenderSpec(RenderTool Tool, YamlConfigNode ToolNode, string Path)
{
    public Written? Target { get; init; }
    public Written? ReleaseName { get; init; }
    public Written? Namespace { get; init; }
    public IReadOnlyList<Written>? ValuesFiles { get; init; }
    public Written? Application { get; init; }
    public bool? SkipCrds { get; init; }
}

/// <summary>
/// Reads <c>render:</c> (per app, and per app and environment) and resolves it for one environment:
/// an environment's override with the same tool replaces only the fields it gives, another tool
/// replaces the whole entry. <c>{env}</c> and <c>{app}</c> are replaced, then every path is checked.
/// </summary>
internal static partial class RenderSettingsReader
{
    private static readonly string[] ToolKeys = ["helm", "kustomize", "plain", "argocd"];
    private static readonly string[] HelmKeys = ["chart", "releaseName", "namespace", "valuesFiles", "skipCrds"];
    private static readonly string[] FolderKeys = ["path", "namespace"];
    private static readonly string[] ArgoKeys = ["file", "application"];

    public static RenderSpec Read(YamlConfigNode node)
    {
        var entries = node.Mapping(ToolKeys);
        if (entries.Count != 1)
        {
            throw node.Error(
                entries.Count == 0 ? $"{node.Path} is empty." : $"{node.Path} gives {string.Join(" and ", entries.Select(e => e.Key + ":"))}; only one is allowed.",
                "Give exactly one of helm: {chart, releaseName, namespace, valuesFiles, skipCrds}, kustomize: {path}, plain: {path} or argocd: {file, application}.");
        }

        var (key, value) = entries[0];
        var tool = key switch
        {
            "helm" => RenderTool.Helm,
            "kustomize" => RenderTool.Kustomize,
            "plain" => RenderTool.Plain,
            _ => RenderTool.ArgoCd,
        };
        var spec = new RenderSpec(tool, value, value.Path);
        if (value.IsScalar)
        {
            // Shorthand: helm: CHART, kustomize: PATH, plain: PATH, argocd: FILE.
            return spec with { Target = new Written(value.String(), value) };
        }

        var keys = tool switch
        {
            RenderTool.Helm => HelmKeys,
            RenderTool.ArgoCd => ArgoKeys,
            _ => FolderKeys,
        };
        foreach (var (name, item) in value.Mapping(keys))
        {
            spec = name switch
            {
                "chart" or "path" or "file" => spec with { Target = new Written(item.String(), item) },
                "releaseName" => spec with { ReleaseName = new Written(item.String(), item) },
                "namespace" => spec with { Namespace = new Written(item.String(), item) },
                "application" => spec with { Application = new Written(item.String(), item) },
                "skipCrds" => spec with { SkipCrds = item.Boolean() },
                _ => spec with { ValuesFiles = (item.IsScalar ? [item] : item.Sequence()).Select(v => new Written(v.String(), v)).ToList() },
            };
        }

        return spec;
    }

    public static RenderSettings Resolve(string app, string environment, RenderSpec? appSpec, RenderSpec? environmentSpec)
    {
        var spec = (appSpec, environmentSpec) switch
        {
            (null, null) => throw new InvalidOperationException("nothing to resolve"),
            (_, null) => appSpec!,
            (null, _) => environmentSpec!,
            _ when appSpec!.Tool == environmentSpec!.Tool => environmentSpec with
            {
                Target = environmentSpec.Target ?? appSpec.Target,
                ReleaseName = environmentSpec.ReleaseName ?? appSpec.ReleaseName,
                Namespace = environmentSpec.Namespace ?? appSpec.Namespace,
                ValuesFiles = environmentSpec.ValuesFiles ?? appSpec.ValuesFiles,
                Application = environmentSpec.Application ?? appSpec.Application,
                SkipCrds = environmentSpec.SkipCrds ?? appSpec.SkipCrds,
            },
            _ => environmentSpec,
        };

        var targetKey = spec.Tool switch
        {
            RenderTool.Helm => "chart",
            RenderTool.ArgoCd => "file",
            _ => "path",
        };
        if (spec.Target is not { } target)
        {
            throw spec.ToolNode.Error(
                $"{spec.Path} has no {targetKey}: for {app} in {environment}.",
                $"Add {targetKey}: PATH (relative to the repository root){(appSpec is not null && environmentSpec is not null && appSpec.Tool != environmentSpec.Tool ? $"; an override with another tool than apps.{app}.render does not inherit its settings" : "")}.");
        }

        var settings = new RenderSettings(spec.Tool, RepoPath(target, app, environment), environmentSpec is not null ? environmentSpec.ToolNode.KeyLocation : spec.ToolNode.KeyLocation)
        {
            ReleaseName = spec.ReleaseName is { } release ? Checked(release, app, environment, ReleaseNamePattern(), "a Helm release name", "lowercase letters, digits, '-' and '.', at most 53 characters") : null,
            Namespace = spec.Namespace is { } ns ? Checked(ns, app, environment, NamespacePattern(), "a namespace", "lowercase letters, digits and '-', at most 63 characters") : null,
            ValuesFiles = (spec.ValuesFiles ?? []).Select(v => RepoPath(v, app, environment)).ToList(),
            Application = spec.Application is { } application ? Substitute(application, app, environment) : spec.Tool == RenderTool.ArgoCd ? $"{app}-{environment}" : null,
            SkipCrds = spec.SkipCrds ?? false,
        };

        return settings;
    }

    private static string RepoPath(Written written, string app, string environment) =>
        HandoffConfigReader.CheckRepoRelative(written.Node, Substitute(written, app, environment));

    private static string Checked(Written written, string app, string environment, Regex pattern, string what, string rule)
    {
        var value = Substitute(written, app, environment);
        if (!pattern.IsMatch(value))
        {
            throw written.Node.Error($"'{value}' is not {what}.", $"Use {rule}.");
        }

        return value;
    }

    private static string Substitute(Written written, string app, string environment)
    {
        var value = written.Value.Replace("{env}", environment, StringComparison.Ordinal).Replace("{app}", app, StringComparison.Ordinal);
        if (Placeholder().Match(value) is { Success: true } unknown)
        {
            throw written.Node.Error($"unknown placeholder '{unknown.Value}' in '{written.Value}'.", "Only {env} (the environment name) and {app} (the app name) are replaced.");
        }

        return value;
    }

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex NamespacePattern();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9.]{0,51}[a-z0-9])?$")]
    private static partial Regex ReleaseNamePattern();
}
