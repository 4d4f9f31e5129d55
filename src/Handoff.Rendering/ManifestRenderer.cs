using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace Handoff.Rendering;

public enum RenderKind
{
    Helm,
    Kustomize,
    Plain,
}

/// <summary>One thing a GitOps controller would render: an app in an environment.</summary>
public sealed record RenderSource(string Id, RenderKind Kind, string Path)
{
    public string? ReleaseName { get; init; }
    public string? Namespace { get; init; }
    public IReadOnlyList<string> ValuesFiles { get; init; } = [];
    public string? KubeVersion { get; init; }
    public IReadOnlyList<string> ApiVersions { get; init; } = [];

    /// <summary>Helm: render the chart's <c>crds/</c> folder too (<c>--include-crds</c>), as Argo CD and Flux install it.</summary>
    public bool IncludeCrds { get; init; } = true;

    /// <summary>Plain folders: read subfolders too.</summary>
    public bool Recurse { get; init; } = true;
}

/// <summary>A rendered stream of manifests. Plain folders keep one entry per file so reports can point at real lines.</summary>
public sealed record RenderedFile(string Path, string Text, bool IsGenerated);

public sealed record RenderOutcome(RenderSource Source, IReadOnlyList<RenderedFile> Files, string InputHash, bool FromCache, TimeSpan Duration, RenderException? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// Renders many sources in parallel and caches each result under the hash of everything that can
/// change it (tool version, arguments, chart/overlay/values bytes), so re-validating an unchanged
/// app costs a file read.
/// </summary>
public sealed class ManifestRenderer
{
    private readonly CakeTooling _tooling;
    private readonly string? _cacheDirectory;
    private readonly int _maxParallel;
    private readonly Lazy<string> _helmVersion;
    private readonly Lazy<string> _kustomizeVersion;
    private readonly object _helmDependencyLock = new();

    public ManifestRenderer(CakeTooling tooling, string? cacheDirectory, int maxParallel = 0)
    {
        _tooling = tooling;
        _cacheDirectory = cacheDirectory;
        _maxParallel = maxParallel > 0 ? maxParallel : Environment.ProcessorCount;
        _helmVersion = new Lazy<string>(() => new HelmTool(_tooling).Version());
        _kustomizeVersion = new Lazy<string>(() => new KustomizeTool(_tooling).Version());
    }

    public async Task<IReadOnlyList<RenderOutcome>> RenderAllAsync(IEnumerable<RenderSource> sources, CancellationToken cancellationToken = default)
    {
        using var gate = new SemaphoreSlim(_maxParallel);
        var tasks = sources.Select(async source =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                return await Task.Run(() => Render(source), cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        });
        return await Task.WhenAll(tasks);
    }

    public RenderOutcome Render(RenderSource source)
    {
        var watch = Stopwatch.StartNew();
        string hash;
        try
        {
            hash = InputHash(source);
        }
        catch (Exception ex) when (ex is IOException or HandoffException or UnauthorizedAccessException)
        {
            return new RenderOutcome(source, [], "", false, watch.Elapsed, new RenderException($"{source.Id}: cannot read the inputs of {source.Path}: {ex.Message}", source.Path, ex.Message));
        }

        if (source.Kind != RenderKind.Plain && TryReadCache(hash) is { } cached)
        {
            return new RenderOutcome(source, [new RenderedFile(GeneratedName(source), cached, true)], hash, true, watch.Elapsed, null);
        }

        try
        {
            IReadOnlyList<RenderedFile> files = source.Kind switch
            {
                RenderKind.Helm => [new RenderedFile(GeneratedName(source), RenderHelm(source), true)],
                RenderKind.Kustomize => [new RenderedFile(GeneratedName(source), new KustomizeTool(_tooling).Build(new KustomizeSettings { Directory = source.Path }), true)],
                _ => PlainFiles(source.Path, source.Recurse).Select(f => new RenderedFile(f, File.ReadAllText(f), false)).ToList(),
            };
            if (source.Kind != RenderKind.Plain)
            {
                WriteCache(hash, files[0].Text);
            }

            return new RenderOutcome(source, files, hash, false, watch.Elapsed, null);
        }
        catch (RenderException ex)
        {
            return new RenderOutcome(source, [], hash, false, watch.Elapsed, ex);
        }
        catch (HandoffException ex)
        {
            return new RenderOutcome(source, [], hash, false, watch.Elapsed, new RenderException($"{source.Id}: {ex.Message}", source.Path, ex.Message));
        }
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or InvalidOperationException)
        {
            // A broken Chart.yaml or kustomization read before the tool runs.
            return new RenderOutcome(source, [], hash, false, watch.Elapsed, new RenderException($"{source.Id}: cannot read the chart or overlay under {source.Path}: {ex.Message}", source.Path, ex.Message));
        }
    }

    private static string GeneratedName(RenderSource source) => source.Kind switch
    {
        RenderKind.Helm => $"{source.Path} (helm template {source.ReleaseName ?? source.Id}{string.Concat(source.ValuesFiles.Select(v => " -f " + v))})",
        _ => $"{source.Path} (kustomize build)",
    };

    private string RenderHelm(RenderSource source)
    {
        var helm = new HelmTool(_tooling);
        if (NeedsDependencyBuild(source.Path))
        {
            // Two environments of one chart would race on charts/; build dependencies one at a time.
            lock (_helmDependencyLock)
            {
                if (NeedsDependencyBuild(source.Path))
                {
                    helm.DependencyBuild(source.Path);
                }
            }
        }

        var settings = new HelmTemplateSettings
        {
            ReleaseName = source.ReleaseName ?? source.Id.Split('/')[0],
            Chart = source.Path,
            Namespace = source.Namespace,
            KubeVersion = source.KubeVersion,
            IncludeCrds = source.IncludeCrds,
        };
        foreach (var values in source.ValuesFiles)
        {
            settings.ValuesFiles.Add(values);
        }

        foreach (var api in source.ApiVersions)
        {
            settings.ApiVersions.Add(api);
        }

        return helm.Template(settings);
    }

    /// <summary>
    /// True when Chart.yaml declares dependencies that charts/ does not hold yet, or local
    /// (<c>file://</c>) ones: their packaged copy in charts/ goes stale when the source folder changes,
    /// and the render cache already decided (by hashing those folders) that a render is due.
    /// </summary>
    public static bool NeedsDependencyBuild(string chart)
    {
        if (RenderInputs.LocalChartDependencies(chart).Count > 0)
        {
            return true;
        }

        var chartFile = Path.Combine(chart, "Chart.yaml");
        if (!File.Exists(chartFile))
        {
            return false;
        }

        var yaml = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(chartFile)))
        {
            yaml.Load(reader);
        }

        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root ||
            !root.Children.TryGetValue(new YamlScalarNode("dependencies"), out var deps) || deps is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            return false;
        }

        var chartsDir = Path.Combine(chart, "charts");
        var present = Directory.Exists(chartsDir) ? Directory.GetFileSystemEntries(chartsDir).Select(Path.GetFileName).ToList() : [];
        return list.Children.OfType<YamlMappingNode>().Any(d =>
        {
            var name = d.Children.TryGetValue(new YamlScalarNode("name"), out var n) ? n.ToString() : "";
            return !present.Any(p => p == name || p!.StartsWith(name + "-", StringComparison.Ordinal));
        });
    }

    private string InputHash(RenderSource source)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => sha.AppendData(Encoding.UTF8.GetBytes(text + "\0"));
        Add(source.Kind.ToString());
        Add(source.ReleaseName ?? "");
        Add(source.Namespace ?? "");
        Add(source.KubeVersion ?? "");
        foreach (var api in source.ApiVersions)
        {
            Add(api);
        }

        Add(source.IncludeCrds ? "include-crds" : "skip-crds");
        Add(source.Recurse ? "recurse" : "top-level");

        // Which binary renders decides the output as much as the inputs do: kustomize (standalone or built
        // into kubectl) changes field order and defaults between releases, so its path and version are part
        // of the key, like helm's.
        if (source.Kind == RenderKind.Helm)
        {
            Add(_helmVersion.Value);
        }
        else if (source.Kind == RenderKind.Kustomize)
        {
            Add(_kustomizeVersion.Value);
        }

        if (!Directory.Exists(source.Path) && !File.Exists(source.Path))
        {
            throw new HandoffException($"{source.Path} does not exist.");
        }

        foreach (var file in RenderInputs.Files(RenderInputs.Of(source)))
        {
            Add(file);
            sha.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    public static IReadOnlyList<string> PlainFiles(string path, bool recurse = true)
    {
        if (File.Exists(path))
        {
            return [Path.GetFullPath(path)];
        }

        if (!Directory.Exists(path))
        {
            throw new HandoffException($"{path} does not exist.");
        }

        return Directory.EnumerateFiles(Path.GetFullPath(path), "*", recurse ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .ToList();
    }

    private string? TryReadCache(string hash)
    {
        if (_cacheDirectory is null)
        {
            return null;
        }

        var path = Path.Combine(_cacheDirectory, hash + ".yaml");
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    private void WriteCache(string hash, string text)
    {
        if (_cacheDirectory is null)
        {
            return;
        }

        AtomicFile.WriteAllText(Path.Combine(_cacheDirectory, hash + ".yaml"), text);
    }
}
