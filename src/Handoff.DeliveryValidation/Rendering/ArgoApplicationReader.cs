using System.Text.Json;
using Handoff.Delivery.Config;
using Handoff.Validation.Loading;

namespace Handoff.DeliveryValidation.Rendering;

/// <summary>
/// Turns <c>render: {argocd: …}</c> into the helm, kustomize or plain render the Argo CD Application
/// describes: <c>spec.source.path</c>, <c>helm.releaseName</c> and <c>helm.valueFiles</c> (relative to the
/// path, as Argo CD reads them) and <c>destination.namespace</c>. What Argo CD would fetch from elsewhere
/// (charts from Helm repositories, other sources, inline values) is refused with the reason.
/// </summary>
internal static class ArgoApplicationReader
{
    public static RenderSettings Resolve(RenderSettings argo, string root, string app)
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

        var path = Normalize(Text(source, "path") ?? "") ?? throw Unsupported("/spec/source/path", $"Application {argo.Application} has no spec.source.path inside the repository.", "Set spec.source.path to the chart or manifest folder.");
        var folder = Path.Combine(root, path);
        var ns = spec.TryGetProperty("destination", out var destination) && destination.ValueKind == JsonValueKind.Object ? Text(destination, "namespace") : null;
        var location = new ConfigLocation(file, document.Line, document.Column);
        if (source.TryGetProperty("helm", out var helm) && helm.ValueKind == JsonValueKind.Object || File.Exists(Path.Combine(folder, "Chart.yaml")))
        {
            var values = new List<string>();
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
            }

            return new RenderSettings(RenderTool.Helm, path, location)
            {
                ReleaseName = helm.ValueKind == JsonValueKind.Object ? Text(helm, "releaseName") ?? argo.Application : argo.Application,
                Namespace = ns,
                ValuesFiles = values,
            };
        }

        var kustomize = source.TryGetProperty("kustomize", out _) || new[] { "kustomization.yaml", "kustomization.yml", "Kustomization" }.Any(n => File.Exists(Path.Combine(folder, n)));
        return new RenderSettings(kustomize ? RenderTool.Kustomize : RenderTool.Plain, path, location) { Namespace = ns };
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
