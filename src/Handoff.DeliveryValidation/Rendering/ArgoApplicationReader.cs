using System.Text.Json;
using Handoff.Delivery.Config;
using Handoff.Validation.Loading;

namespace Handoff.DeliveryValidation.Rendering;

/// <summary>An Argo CD Application resolved: what to render, and its source and destination as JSON (compared for freezes).</summary>
internal sealed record ArgoApplication(RenderSettings Settings, string Source);

/// <summary>
/// Turns <c>render: {argocd: …}</c> into the helm, kustomize or plain render the Argo CD Application
/// describes: <c>spec.source.path</c>, <c>helm.releaseName</c>, <c>helm.valueFiles</c> (relative to the
/// path, as Argo CD reads them), <c>helm.skipCrds</c>, <c>directory.recurse</c> and
/// <c>destination.namespace</c>. What Argo CD would fetch from elsewhere (charts from Helm repositories,
/// other sources) or change on the way (inline values, kustomize overrides, directory filters, plugins)
/// is refused with the reason, because rendering without it would validate something else than what
/// Argo CD deploys.
/// </summary>
internal static class ArgoApplicationReader
{
    public static RenderSettings Resolve(RenderSettings argo, string root, string app) => Read(argo, root, app).Settings;

    public static ArgoApplication Read(RenderSettings argo, string root, string app)
    {
        var file = argo.Path;
        var full = Path.Combine(root, file);
        if (!File.Exists(full))
        {
            throw new InputFileException(argo.DefinedAt.File, argo.DefinedAt.Line, argo.DefinedAt.Column,
                $"render.argocd names {file}, which does not exist.", "Point file: at the Argo CD Application manifest, e.g. apps/myapp/app.yaml.");
        }

        var load = new ManifestLoader().LoadBytes(File.ReadAllBytes(full), file);
        if (load.Errors.FirstOrDefault() is { } error)
        {
            throw new InputFileException(file, error.Line, error.Column, error.Message);
        }

        var applications = load.Documents.Where(d => d.Identity.Kind == "Application" && (d.Identity.ApiVersion ?? "").StartsWith("argoproj.io/", StringComparison.Ordinal)).ToList();
        var document = applications.FirstOrDefault(d => d.Identity.Name == argo.Application)
                       ?? throw new InputFileException(argo.DefinedAt.File, argo.DefinedAt.Line, argo.DefinedAt.Column,
                           $"{file} has no Argo CD Application named '{argo.Application}' (it has: {(applications.Count == 0 ? "none" : string.Join(", ", applications.Select(a => a.Identity.Name)))}).",
                           $"Set render.argocd.application to the Application's metadata.name for {app} (default: {{app}}-{{env}}).");

        var spec = document.Element.TryGetProperty("spec", out var s) ? s : default;
        InputFileException Unsupported(string pointer, string problem, string fix)
        {
            var at = document.Locate(pointer).KeyOrValue;
            return new InputFileException(file, at.Line, at.Column, problem, fix);
        }

        if (spec.ValueKind != JsonValueKind.Object || !spec.TryGetProperty("source", out var source) || source.ValueKind != JsonValueKind.Object)
        {
            throw Unsupported("/spec", $"Application {argo.Application} has no spec.source{(spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("sources", out _) ? " (multiple sources are not supported)" : "")}.",
                "Use one source pointing at a path in this repository, or give render: helm:/kustomize:/plain: in handoff.yaml.");
        }

        if (Text(source, "chart") is { } chart)
        {
            throw Unsupported("/spec/source/chart", $"Application {argo.Application} installs chart '{chart}' from a Helm repository, which ValidateDelivery does not download.",
                "Vendor the chart into this repository, or give render: helm: with a local chart in handoff.yaml.");
        }

        if (source.TryGetProperty("plugin", out _))
        {
            throw Unsupported("/spec/source/plugin", $"Application {argo.Application} renders through a config management plugin, which ValidateDelivery cannot run.",
                "Give render: helm:/kustomize:/plain: in handoff.yaml with what the plugin produces, or render with helm or kustomize.");
        }

        var path = Normalize(Text(source, "path") ?? "") ?? throw Unsupported("/spec/source/path", $"Application {argo.Application} has no spec.source.path inside the repository.", "Set spec.source.path to the chart or manifest folder.");
        var folder = Path.Combine(root, path);
        var destination = spec.TryGetProperty("destination", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        var ns = destination.ValueKind == JsonValueKind.Object ? Text(destination, "namespace") : null;
        var location = new ConfigLocation(file, document.Line, document.Column);
        var sourceText = source.GetRawText() + "\n" + (destination.ValueKind == JsonValueKind.Object ? destination.GetRawText() : "{}");
        var hasDirectory = source.TryGetProperty("directory", out var directory) && directory.ValueKind == JsonValueKind.Object;
        if (!hasDirectory && (source.TryGetProperty("helm", out var helm) && helm.ValueKind == JsonValueKind.Object || File.Exists(Path.Combine(folder, "Chart.yaml"))))
        {
            var values = new List<string>();
            var skipCrds = false;
            if (helm.ValueKind == JsonValueKind.Object)
            {
                foreach (var inline in new[] { "values", "valuesObject", "parameters", "fileParameters" })
                {
                    if (helm.TryGetProperty(inline, out _))
                    {
                        throw Unsupported($"/spec/source/helm/{inline}", $"Application {argo.Application} sets helm.{inline}, which ValidateDelivery does not apply.",
                            "Move those values into a values file in this repository and list it in helm.valueFiles.");
                    }
                }

                if (helm.TryGetProperty("valueFiles", out var valueFiles) && valueFiles.ValueKind == JsonValueKind.Array)
                {
                    var index = 0;
                    foreach (var entry in valueFiles.EnumerateArray())
                    {
                        var relative = entry.ValueKind == JsonValueKind.String ? entry.GetString()! : "";
                        values.Add(Normalize(relative.StartsWith('$') ? "" : path + "/" + relative)
                                   ?? throw Unsupported($"/spec/source/helm/valueFiles/{index}", $"values file '{relative}' of Application {argo.Application} is not a file in this repository.",
                                       "List values files relative to spec.source.path, inside the repository."));
                        index++;
                    }
                }

                // Argo CD passes --include-crds unless skipCrds is true.
                skipCrds = helm.TryGetProperty("skipCrds", out var skip) && skip.ValueKind == JsonValueKind.True;
            }

            var helmSettings = new RenderSettings(RenderTool.Helm, path, location)
            {
                ReleaseName = helm.ValueKind == JsonValueKind.Object ? Text(helm, "releaseName") ?? argo.Application : argo.Application,
                Namespace = ns,
                ValuesFiles = values,
                SkipCrds = skipCrds,
            };
            return new ArgoApplication(helmSettings, sourceText);
        }

        if (!hasDirectory && source.TryGetProperty("kustomize", out var kustomizeOptions) && kustomizeOptions.ValueKind == JsonValueKind.Object
            && kustomizeOptions.EnumerateObject().Select(p => p.Name).ToList() is { Count: > 0 } overrides)
        {
            // namePrefix, images, patches, replicas … change the output the way `kustomize edit` would; applying
            // some and not others would validate objects Argo CD never deploys, so none is guessed at.
            throw Unsupported($"/spec/source/kustomize/{overrides[0]}",
                $"Application {argo.Application} sets kustomize options ({string.Join(", ", overrides.Select(o => "kustomize." + o))}), which ValidateDelivery does not apply.",
                $"Move them into {path}/kustomization.yaml (the same fields exist there: namePrefix, images, patches, …) and remove them from the Application.");
        }

        var kustomize = !hasDirectory && (source.TryGetProperty("kustomize", out _) || KustomizationFile.FindIn(folder) is not null);
        if (kustomize)
        {
            return new ArgoApplication(new RenderSettings(RenderTool.Kustomize, path, location) { Namespace = ns }, sourceText);
        }

        var recurse = false;
        if (hasDirectory)
        {
            foreach (var option in directory.EnumerateObject())
            {
                switch (option.Name)
                {
                    case "recurse":
                        recurse = option.Value.ValueKind == JsonValueKind.True;
                        break;
                    case "include" or "exclude" when option.Value.ValueKind == JsonValueKind.String && option.Value.GetString() is not { Length: > 0 }:
                        break;
                    case "jsonnet" when option.Value.ValueKind == JsonValueKind.Object && !option.Value.EnumerateObject().Any():
                        break;
                    default:
                        throw Unsupported($"/spec/source/directory/{option.Name}",
                            $"Application {argo.Application} sets directory.{option.Name}, which ValidateDelivery does not apply (it reads every .yaml, .yml and .json file under {path}{(recurse ? " and its subfolders" : "")}).",
                            option.Name is "include" or "exclude"
                                ? $"Keep only the manifests Argo CD should apply in {path} (move the others out) and remove directory.{option.Name}, or give render: plain: with the file in handoff.yaml."
                                : $"Remove directory.{option.Name}, or give render: in handoff.yaml with what Argo CD renders.");
                }
            }
        }

        // A directory source is not recursive unless directory.recurse says so (Argo CD's default).
        return new ArgoApplication(new RenderSettings(RenderTool.Plain, path, location) { Namespace = ns, Recurse = recurse }, sourceText);
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    /// <summary>A repository-relative path with '.' and '..' resolved, or null when it leaves the repository.</summary>
    internal static string? Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            switch (part)
            {
                case ".":
                    continue;
                case "..":
                    if (parts.Count == 0)
                    {
                        return null;
                    }

                    parts.RemoveAt(parts.Count - 1);
                    continue;
                default:
                    parts.Add(part);
                    break;
            }
        }

        return parts.Count == 0 || path.StartsWith('/') ? null : string.Join('/', parts);
    }
}
