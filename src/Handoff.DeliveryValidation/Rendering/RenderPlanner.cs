using Handoff.Delivery.Config;
using Handoff.DeliveryValidation.Scope;
using Handoff.Rendering;

namespace Handoff.DeliveryValidation.Rendering;

/// <summary>The Kubernetes version and extra API versions a target is rendered and validated for.</summary>
internal sealed record ClusterVersion(string? KubeVersion, IReadOnlyList<string> ApiVersions)
{
    public static ClusterVersion For(Target target, ValidationConfig validation, string? overrideVersion) => new(
        overrideVersion ?? target.Environment.KubeVersion ?? validation.KubeVersion,
        validation.ApiVersions.Concat(target.Environment.ApiVersions).Distinct(StringComparer.Ordinal).ToList());
}

/// <summary>
/// Turns a target's render settings into what <see cref="ManifestRenderer"/> runs, rooted at a tree on
/// disk (the checkout, or a materialised older commit). Inputs that do not exist are reported with the
/// handoff.yaml line that names them instead of being handed to the tool.
/// </summary>
internal static class RenderPlanner
{
    public static RenderSource Plan(Target target, RenderSettings render, string root, ClusterVersion version)
    {
        var kind = render.Tool switch
        {
            RenderTool.Helm => RenderKind.Helm,
            RenderTool.Kustomize => RenderKind.Kustomize,
            _ => RenderKind.Plain,
        };

        return new RenderSource(target.Scope, kind, Path.Combine(root, render.Path))
        {
            ReleaseName = kind == RenderKind.Helm ? render.ReleaseName ?? target.App.Name : null,
            Namespace = kind == RenderKind.Helm ? render.Namespace : null,
            ValuesFiles = render.ValuesFiles.Select(v => Path.Combine(root, v)).ToList(),
            KubeVersion = kind == RenderKind.Helm ? version.KubeVersion : null,
            ApiVersions = kind == RenderKind.Helm ? version.ApiVersions : [],
            IncludeCrds = !render.SkipCrds,
            Recurse = render.Recurse,
        };
    }

    /// <summary>The first input named in handoff.yaml that is missing under <paramref name="root"/>, as a located problem; null when all exist.</summary>
    public static InputFileException? MissingInput(RenderSettings render, string root, string configFile)
    {
        var at = render.DefinedAt;
        var what = render.Tool switch
        {
            RenderTool.Helm => "chart folder",
            RenderTool.Kustomize => "kustomize folder",
            _ => "manifest file or folder",
        };
        var main = Path.Combine(root, render.Path);
        if (render.Tool is RenderTool.Helm or RenderTool.Kustomize ? !Directory.Exists(main) : !Directory.Exists(main) && !File.Exists(main))
        {
            return new InputFileException(at.File, at.Line, at.Column, $"the {what} {render.Path} does not exist.", $"Create it, or fix the render: entry in {configFile}.");
        }

        if (render.Tool == RenderTool.Helm && !File.Exists(Path.Combine(main, "Chart.yaml")))
        {
            return new InputFileException(at.File, at.Line, at.Column, $"{render.Path} is not a Helm chart (it has no Chart.yaml).", "Point chart: at the folder holding Chart.yaml.");
        }

        // The tools read these first; a syntax error is reported here with its line rather than as a tool crash.
        var descriptor = render.Tool switch
        {
            RenderTool.Helm => render.Path + "/Chart.yaml",
            RenderTool.Kustomize => KustomizationFile.FindIn(root, render.Path),
            _ => null,
        };
        if (descriptor is not null && SyntaxError(Path.Combine(root, descriptor), descriptor) is { } syntax)
        {
            return syntax;
        }

        foreach (var values in render.ValuesFiles)
        {
            if (!File.Exists(Path.Combine(root, values)))
            {
                return new InputFileException(at.File, at.Line, at.Column, $"the values file {values} does not exist.", $"Create it, or fix valuesFiles in the render: entry of {configFile}.");
            }
        }

        return null;
    }

    private static InputFileException? SyntaxError(string path, string display)
    {
        try
        {
            new YamlDotNet.RepresentationModel.YamlStream().Load(new StringReader(File.ReadAllText(path)));
            return null;
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            return new InputFileException(display, (int)ex.Start.Line, (int)ex.Start.Column, $"not valid YAML: {ex.Message}", "Fix the syntax at that position.");
        }
        catch (InvalidOperationException)
        {
            return new InputFileException(display, 0, 0, "not valid YAML: the parser stopped before the end of the file.", "Look for an unclosed '[', '{' or quote.");
        }
    }
}
