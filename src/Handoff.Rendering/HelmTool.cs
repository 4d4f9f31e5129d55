using Cake.Core;
using Cake.Core.IO;
using Path = System.IO.Path;
using Cake.Core.Tooling;

namespace Handoff.Rendering;

public sealed class HelmTemplateSettings : ToolSettings
{
    public required string ReleaseName { get; set; }
    public required string Chart { get; set; }
    public string? Namespace { get; set; }
    public IList<string> ValuesFiles { get; } = new List<string>();
    public string? KubeVersion { get; set; }
    public IList<string> ApiVersions { get; } = new List<string>();

    /// <summary><c>--include-crds</c>: Argo CD and Flux install a chart's <c>crds/</c> folder, which plain <c>helm template</c> leaves out.</summary>
    public bool IncludeCrds { get; set; } = true;
}

/// <summary><c>helm template</c> and <c>helm dependency build</c>, as a Cake tool.</summary>
public sealed class HelmTool(CakeTooling tooling) : CliTool<ToolSettings>(tooling)
{
    protected override string GetToolName() => "helm";

    protected override IEnumerable<string> GetToolExecutableNames() => ["helm"];

    protected override string InstallHint => "Install Helm (https://helm.sh/docs/intro/install/) or put the binary in tools/bin (tools/install-test-deps.sh does).";

    /// <summary>Renders a chart; a failing render throws <see cref="RenderException"/> with helm's stderr, the chart and the values files.</summary>
    public string Template(HelmTemplateSettings settings)
    {
        var args = new ProcessArgumentBuilder().Append("template").AppendQuoted(settings.ReleaseName).AppendQuoted(settings.Chart);
        if (settings.Namespace is not null)
        {
            args.Append("--namespace").AppendQuoted(settings.Namespace);
        }

        foreach (var values in settings.ValuesFiles)
        {
            args.Append("--values").AppendQuoted(values);
        }

        if (settings.KubeVersion is not null)
        {
            args.Append("--kube-version").AppendQuoted(settings.KubeVersion);
        }

        foreach (var api in settings.ApiVersions)
        {
            args.Append("--api-versions").AppendQuoted(api);
        }

        if (settings.IncludeCrds)
        {
            args.Append("--include-crds");
        }

        var output = Execute(settings, args);
        if (output.ExitCode != 0)
        {
            var values = settings.ValuesFiles.Count == 0 ? "no values files" : "values " + string.Join(", ", settings.ValuesFiles);
            throw new RenderException($"helm template of chart {settings.Chart} ({values}) failed with exit code {output.ExitCode}:\n{output.StandardError.Trim()}", settings.Chart, output.StandardError);
        }

        return output.StandardOutput;
    }

    /// <summary>Fetches/links chart dependencies into charts/ (needed before template when Chart.yaml lists dependencies).</summary>
    public void DependencyBuild(string chart)
    {
        var output = Execute(new ToolSettings(), new ProcessArgumentBuilder().Append("dependency").Append("build").AppendQuoted(chart));
        if (output.ExitCode != 0)
        {
            throw new RenderException($"helm dependency build of {chart} failed with exit code {output.ExitCode}:\n{output.StandardError.Trim()}", chart, output.StandardError);
        }
    }

    /// <summary>The executable and <c>helm version --short</c>: a render cache key part.</summary>
    public string Version()
    {
        var settings = new ToolSettings();
        var version = Execute(settings, new ProcessArgumentBuilder().Append("version").Append("--short")).StandardOutput.Trim();
        return $"{settings.ToolPath?.FullPath} {version}";
    }
}

public sealed class KustomizeSettings : ToolSettings
{
    public required string Directory { get; set; }
    /// <summary>Lets kustomize inflate helmCharts: (needs helm 3 on PATH).</summary>
    public bool EnableHelm { get; set; }
}

/// <summary><c>kustomize build</c> when the standalone binary exists, else <c>kubectl kustomize</c> (kustomize built in).</summary>
public sealed class KustomizeTool(CakeTooling tooling) : CliTool<KustomizeSettings>(tooling)
{
    protected override string GetToolName() => "kustomize";

    protected override IEnumerable<string> GetToolExecutableNames() => ["kustomize", "kubectl"];

    protected override string InstallHint => "Install kubectl (it has kustomize built in) or kustomize, or put the binary in tools/bin.";

    public string Build(KustomizeSettings settings)
    {
        var executable = ResolveExecutable(settings);
        settings.ToolPath = new FilePath(executable);
        var args = Path.GetFileNameWithoutExtension(executable) == "kubectl"
            ? new ProcessArgumentBuilder().Append("kustomize").AppendQuoted(settings.Directory)
            : new ProcessArgumentBuilder().Append("build").AppendQuoted(settings.Directory);
        if (settings.EnableHelm)
        {
            args.Append("--enable-helm");
        }

        var output = Execute(settings, args);
        if (output.ExitCode != 0)
        {
            throw new RenderException($"kustomize build of {settings.Directory} failed with exit code {output.ExitCode}:\n{output.StandardError.Trim()}", settings.Directory, output.StandardError);
        }

        return output.StandardOutput;
    }

    /// <summary>The executable and its version (kubectl's embedded kustomize shows in <c>kubectl version --client</c>): a render cache key part.</summary>
    public string Version()
    {
        var executable = ResolveExecutable(new KustomizeSettings { Directory = "." });
        var settings = new KustomizeSettings { Directory = ".", ToolPath = new FilePath(executable) };
        var args = Path.GetFileNameWithoutExtension(executable) == "kubectl"
            ? new ProcessArgumentBuilder().Append("version").Append("--client")
            : new ProcessArgumentBuilder().Append("version");
        var output = Execute(settings, args);
        return $"{executable} {output.StandardOutput.Trim()}";
    }
}

public sealed class RenderException(string message, string source, string toolError) : HandoffException(message)
{
    public string SourcePath { get; } = source;
    public string ToolError { get; } = toolError;
}
