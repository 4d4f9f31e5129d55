using Handoff.Delivery.Config;
using Handoff.DeliveryValidation.Rendering;
using Handoff.DeliveryValidation.Repository;

namespace Handoff.DeliveryValidation.Scope;

/// <summary>
/// The repository paths (files, and folders standing for everything under them) whose content can
/// change what a target deploys: its pin file, the Argo CD Application it is read from, and what
/// <see cref="Handoff.Rendering.RenderInputs"/> finds for its render (chart and local dependencies,
/// values files, kustomize bases and components, plain manifests) — the same inputs the render cache hashes.
/// </summary>
internal sealed class TargetInputs
{
    private readonly List<string> _paths;

    private TargetInputs(List<string> paths)
    {
        _paths = paths;
    }

    public IReadOnlyList<string> Paths => _paths;

    /// <summary>True when <paramref name="file"/> is one of the inputs or lies under an input folder.</summary>
    public bool Contains(string file)
    {
        foreach (var path in _paths)
        {
            if (file.Length == path.Length ? file == path : file.Length > path.Length && file[path.Length] == '/' && file.StartsWith(path, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public static TargetInputs For(Target target, DeliveryRepository repository)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal) { target.Pin.File };
        if (target.App.Render.TryGetValue(target.Environment.Name, out var configured) && configured.Tool == RenderTool.ArgoCd)
        {
            paths.Add(configured.Path);
        }

        if (target.Render is { } render)
        {
            var source = RenderPlanner.Plan(target, render, repository.Root, new ClusterVersion(null, []));
            paths.UnionWith(Handoff.Rendering.RenderInputs.Of(source)
                .Where(p => p.StartsWith(repository.Root, StringComparison.Ordinal))
                .Select(repository.Relative));
        }

        var minimal = paths.Where(p => !paths.Any(other => other != p && p.StartsWith(other + "/", StringComparison.Ordinal))).ToList();
        return new TargetInputs(minimal);
    }
}
