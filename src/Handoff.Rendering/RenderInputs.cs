using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Handoff.Rendering;

/// <summary>
/// Everything whose content can change what a <see cref="RenderSource"/> renders, as absolute paths
/// (folders stand for everything under them): the chart and its local <c>file://</c> dependencies
/// and the values files; the kustomize overlay and every local base, component, patch and CRD file it
/// pulls in; the plain manifests. The render cache hashes these, and ValidateDelivery maps a changed
/// file back to the app/environment pairs it affects with them.
/// </summary>
public static class RenderInputs
{
    public static IReadOnlyList<string> Of(RenderSource source)
    {
        var paths = new SortedSet<string>(StringComparer.Ordinal);
        var root = Path.GetFullPath(source.Path);
        switch (source.Kind)
        {
            case RenderKind.Helm:
                AddChart(root, paths, 0);
                paths.UnionWith(source.ValuesFiles.Select(Path.GetFullPath));
                break;
            case RenderKind.Kustomize:
                AddKustomization(root, paths);
                break;
            default:
                paths.Add(root);
                break;
        }

        // A folder covers the files under it; keeping only the outermost keeps lookups and hashing cheap.
        return paths.Where(p => !paths.Any(other => other != p && p.StartsWith(other + Path.DirectorySeparatorChar, StringComparison.Ordinal))).ToList();
    }

    /// <summary>Every file the inputs cover, sorted, for hashing.</summary>
    public static IEnumerable<string> Files(IEnumerable<string> inputs) => inputs
        .SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : File.Exists(p) ? [p] : [])
        .Order(StringComparer.Ordinal);

    /// <summary>The local <c>file://</c> dependencies Chart.yaml declares, as absolute folders.</summary>
    public static IReadOnlyList<string> LocalChartDependencies(string chart)
    {
        if (Root(Path.Combine(chart, "Chart.yaml")) is not { } root ||
            !root.Children.TryGetValue(new YamlScalarNode("dependencies"), out var node) || node is not YamlSequenceNode dependencies)
        {
            return [];
        }

        return dependencies.Children.OfType<YamlMappingNode>()
            .Select(d => d.Children.TryGetValue(new YamlScalarNode("repository"), out var repo) && repo is YamlScalarNode { Value: { } url } && url.StartsWith("file://", StringComparison.Ordinal)
                ? Path.GetFullPath(Path.Combine(chart, url["file://".Length..]))
                : null)
            .OfType<string>()
            .ToList();
    }

    private static void AddChart(string chart, SortedSet<string> paths, int depth)
    {
        // Depth bounds a dependency cycle between local charts.
        if (!paths.Add(chart) || depth > 8)
        {
            return;
        }

        foreach (var dependency in LocalChartDependencies(chart))
        {
            AddChart(dependency, paths, depth + 1);
        }
    }

    private static void AddKustomization(string start, SortedSet<string> paths)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([start]);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            if (!seen.Add(folder))
            {
                continue;
            }

            paths.Add(folder);
            var file = KustomizationFile.FindIn(folder);
            if (file is null || Root(file) is not { } root)
            {
                continue;
            }

            foreach (var key in new[] { "resources", "bases", "components", "patchesStrategicMerge", "crds" })
            {
                if (!root.Children.TryGetValue(new YamlScalarNode(key), out var node) || node is not YamlSequenceNode list)
                {
                    continue;
                }

                foreach (var value in list.Children.OfType<YamlScalarNode>().Select(e => e.Value ?? ""))
                {
                    // Remote bases are fetched by kustomize itself and cannot be hashed from here.
                    if (value.Contains("://", StringComparison.Ordinal) || value.StartsWith("github.com/", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var target = Path.GetFullPath(Path.Combine(folder, value));
                    if (Directory.Exists(target))
                    {
                        pending.Push(target);
                    }
                    else
                    {
                        paths.Add(target);
                    }
                }
            }
        }
    }

    private static YamlMappingNode? Root(string file)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            var yaml = new YamlStream();
            yaml.Load(new StringReader(File.ReadAllText(file)));
            return yaml.Documents.Count > 0 ? yaml.Documents[0].RootNode as YamlMappingNode : null;
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            // A broken Chart.yaml or kustomization fails the render, which reports it with the tool's message.
            return null;
        }
    }
}
