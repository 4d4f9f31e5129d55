using System.Text.RegularExpressions;
using Handoff.Delivery.Config;
using Handoff.DeliveryValidation.Reporting;
using Handoff.DeliveryValidation.Scope;
using Handoff.Rendering;
using Handoff.Reports;
using Handoff.Validation.Loading;

namespace Handoff.DeliveryValidation.Rendering;

/// <summary>
/// Renders targets in parallel (through <see cref="ManifestRenderer"/>, cached by input hash) and loads
/// each rendered stream once. With a collector, every target that cannot be rendered becomes a finding
/// that names the tool's error, the chart and the values files, at the template or handoff.yaml line.
/// </summary>
internal sealed partial class RenderStage(ManifestRenderer renderer, ManifestLoader loader, ValidationConfig validation, string? kubeVersion, string configFile, int maxParallel)
{
    public async Task<IReadOnlyList<RenderedTarget>> RenderAsync(IReadOnlyList<ScopedTarget> targets, string root, FindingCollector? findings, CancellationToken cancellationToken)
    {
        var planned = new List<(ScopedTarget Target, RenderSource Source)>();
        var results = new Dictionary<ScopedTarget, RenderedTarget>();
        foreach (var scoped in targets)
        {
            var target = scoped.Target;
            if (target.Render is not { } render)
            {
                results[scoped] = new RenderedTarget(scoped, null, SourceLocator.Generated(root, target, ""));
                if (target.RenderProblem is { } problem)
                {
                    findings?.Add(CheckKinds.Render, "argocd-application", problem, target.App.Name, target.Environment.Name);
                }

                continue;
            }

            if (RenderPlanner.MissingInput(render, root, configFile) is { } missing)
            {
                results[scoped] = new RenderedTarget(scoped, null, SourceLocator.Generated(root, target, ""));
                findings?.Add(CheckKinds.Render, "missing-input", missing, target.App.Name, target.Environment.Name);
                continue;
            }

            planned.Add((scoped, RenderPlanner.Plan(target, render, root, ClusterVersion.For(target, validation, kubeVersion))));
        }

        var outcomes = new RenderOutcome[planned.Count];
        await Parallel.ForAsync(0, planned.Count, new ParallelOptions { MaxDegreeOfParallelism = maxParallel, CancellationToken = cancellationToken }, (i, _) =>
        {
            outcomes[i] = RenderOne(planned[i].Source);
            return ValueTask.CompletedTask;
        });
        for (var i = 0; i < planned.Count; i++)
        {
            var rendered = Load(planned[i].Target, outcomes[i], root, findings);
            results[planned[i].Target] = rendered;
            if (findings is not null && rendered.Load is { } load)
            {
                ReportLoadErrors(rendered, load, findings);
                findings.Run(CheckKinds.Render, rendered.Target.Scope, rendered.Documents.Count);
            }
        }

        return targets.Select(t => results[t]).ToList();
    }

    /// <summary>
    /// The renderer reports tool failures itself; a chart or overlay file that is not YAML at all surfaces
    /// as a parser exception, which is still the user's input, so it becomes a failed outcome too.
    /// </summary>
    private RenderOutcome RenderOne(RenderSource source)
    {
        try
        {
            return renderer.Render(source);
        }
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or InvalidOperationException or IOException)
        {
            var problem = $"{source.Id}: cannot read the inputs of {source.Path}: {ex.Message}";
            return new RenderOutcome(source, [], "", false, TimeSpan.Zero, new RenderException(problem, source.Path, ex.Message));
        }
    }

    private RenderedTarget Load(ScopedTarget scoped, RenderOutcome outcome, string root, FindingCollector? findings)
    {
        var target = scoped.Target;
        if (outcome.Error is { } error)
        {
            findings?.Add(Failure(target, error, root));
            return new RenderedTarget(scoped, null, SourceLocator.Generated(root, target, ""));
        }

        if (outcome.Source.Kind == RenderKind.Plain)
        {
            var entries = new List<ManifestEntry>();
            var files = new List<string>();
            foreach (var file in outcome.Files)
            {
                var relative = Path.GetRelativePath(root, file.Path).Replace(Path.DirectorySeparatorChar, '/');
                var loaded = loader.LoadBytes(File.ReadAllBytes(file.Path), relative);
                entries.AddRange(loaded.Entries);
                files.AddRange(loaded.Files);
            }

            return new RenderedTarget(scoped, new ManifestLoadResult(entries, files), SourceLocator.Plain(root, target));
        }

        var text = outcome.Files.Count > 0 ? outcome.Files[0].Text : "";
        return new RenderedTarget(scoped, loader.LoadText(text, $"{target.Scope} (rendered)"), SourceLocator.Generated(root, target, text));
    }

    /// <summary>Output the controller could not parse into objects (bad YAML, duplicate keys, alias bombs, bad encoding).</summary>
    private static void ReportLoadErrors(RenderedTarget rendered, ManifestLoadResult load, FindingCollector findings)
    {
        foreach (var error in load.Errors)
        {
            var at = rendered.Locator.Locate(error.File, error.Position, null);
            findings.Add(new Finding
            {
                Check = CheckKinds.Render,
                RuleId = Checks.FindingText.Kebab(error.Kind.ToString()),
                Severity = FindingSeverity.Error,
                Message = error.Message,
                Fix = "kubectl, Argo CD and Flux reject such manifests; fix the file (or the template that writes it).",
                App = rendered.Target.App.Name,
                Environment = rendered.Target.Environment.Name,
                Resource = Checks.FindingText.Resource(error.Identity),
                File = at.File,
                Line = at.Line,
                Column = at.Column,
            });
        }
    }

    private static Finding Failure(Target target, RenderException error, string root)
    {
        var render = target.Render!;
        var message = Scrub(error.Message, root);
        string? file = null;
        int line = 0, column = 0;
        if (render.Tool == RenderTool.Helm && HelmTemplateReference().Match(error.ToolError) is { Success: true } match)
        {
            var template = match.Groups["file"].Value;
            var candidate = render.Path + "/" + template[(template.IndexOf('/') + 1)..];
            if (File.Exists(Path.Combine(root, candidate)))
            {
                file = candidate;
                line = match.Groups["line"].Success ? int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
                column = line > 0 && match.Groups["column"].Success ? int.Parse(match.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            }
        }

        return new Finding
        {
            Check = CheckKinds.Render,
            RuleId = render.Tool switch
            {
                RenderTool.Helm => "helm-template",
                RenderTool.Kustomize => "kustomize-build",
                _ => "read-manifests",
            },
            Severity = FindingSeverity.Error,
            Message = message,
            Fix = render.Tool switch
            {
                RenderTool.Helm => $"Fix the chart or the values ({string.Join(", ", render.ValuesFiles.DefaultIfEmpty("chart defaults"))}) so that `helm template` succeeds; Argo CD / Flux would fail to sync {target.Scope} the same way.",
                RenderTool.Kustomize => $"Fix the overlay so that `kustomize build {render.Path}` succeeds.",
                _ => null,
            },
            App = target.App.Name,
            Environment = target.Environment.Name,
            File = file ?? target.AnchorFile,
            Line = line,
            Column = column,
        };
    }

    /// <summary>Tool messages name the files by absolute path; reports name them from the repository root.</summary>
    private static string Scrub(string text, string root)
    {
        var prefix = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
        return text.Replace(prefix, "", StringComparison.Ordinal);
    }

    /// <summary>The template helm names in an error: "(mychart/templates/x.yaml:37:20)" or "template: mychart/templates/x.yaml:12:3:".</summary>
    [GeneratedRegex(@"(?<file>[A-Za-z0-9_.-]+/(?:charts/[A-Za-z0-9_.-]+/)*templates/[^\s:()""]+)(?::(?<line>\d+))?(?::(?<column>\d+))?")]
    private static partial Regex HelmTemplateReference();
}
