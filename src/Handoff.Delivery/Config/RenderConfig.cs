namespace Handoff.Delivery.Config;

/// <summary>How a GitOps controller turns an app's files into manifests in one environment.</summary>
public enum RenderTool
{
    /// <summary><c>helm template</c> of a chart in the repository, with values files in order.</summary>
    Helm,
    /// <summary><c>kustomize build</c> of an overlay folder.</summary>
    Kustomize,
    /// <summary>Plain manifests: one file, or every .yaml/.yml/.json file under a folder.</summary>
    Plain,
    /// <summary>Whatever the Argo CD Application in <see cref="RenderSettings.Path"/> says; resolved when validating.</summary>
    ArgoCd,
}

/// <summary>
/// What ValidateDelivery renders for one app in one environment, with <c>{env}</c> and <c>{app}</c>
/// already replaced and per-environment overrides applied. Paths are relative to the repository root.
/// </summary>
/// <param name="Path">The chart folder (helm), overlay folder (kustomize), file or folder (plain), or Application manifest (argocd).</param>
/// <param name="DefinedAt">The render: entry these settings come from (the environment's override when it has one).</param>
public sealed record RenderSettings(RenderTool Tool, string Path, ConfigLocation DefinedAt)
{
    /// <summary>Helm release name; default the app name (Argo CD: the Application name).</summary>
    public string? ReleaseName { get; init; }

    /// <summary>The namespace the controller deploys into: helm --namespace, and the namespace of resources that set none.</summary>
    public string? Namespace { get; init; }

    /// <summary>Helm values files after the chart's own values.yaml, in order (later files win).</summary>
    public IReadOnlyList<string> ValuesFiles { get; init; } = [];

    /// <summary>ArgoCd: the <c>metadata.name</c> of the Application to read; default <c>{app}-{env}</c>.</summary>
    public string? Application { get; init; }

    /// <summary>
    /// Helm: leave out the chart's <c>crds/</c> folder. Argo CD (<c>helm.skipCrds</c>) and Flux
    /// (<c>install.crds: Skip</c>) install it by default, so rendering includes it unless this is set.
    /// </summary>
    public bool SkipCrds { get; init; }

    /// <summary>
    /// Plain folders: also read subfolders. handoff.yaml's <c>plain:</c> does; an Argo CD directory source
    /// only does with <c>directory.recurse: true</c>.
    /// </summary>
    public bool Recurse { get; init; } = true;
}

/// <summary>
/// The <c>validation:</c> settings of handoff.yaml: how ValidateDelivery checks rendered manifests.
/// Command options (schema locations, strict, kube version) override them.
/// </summary>
public sealed record ValidationConfig
{
    public const string DefaultPoliciesPath = "policies";

    public static ValidationConfig Default { get; } = new();

    /// <summary>MAJOR.MINOR.PATCH (normalised, no "v"): helm --kube-version and the schema version; null: helm's default and "master" schemas.</summary>
    public string? KubeVersion { get; init; }

    /// <summary>helm --api-versions: API versions (or version/Kind) the cluster serves beyond the built-in ones.</summary>
    public IReadOnlyList<string> ApiVersions { get; init; } = [];

    /// <summary>kubeconform-style locations: repository-relative folders or templates, http(s) URLs, or <c>default</c>.</summary>
    public IReadOnlyList<string> SchemaLocations { get; init; } = [];

    /// <summary>Unknown properties are schema errors.</summary>
    public bool Strict { get; init; }

    /// <summary>Kinds (or apiVersion/Kind) that are not schema-validated.</summary>
    public IReadOnlyList<string> SkipKinds { get; init; } = [];

    /// <summary>A kind with no schema anywhere is skipped instead of being an error.</summary>
    public bool IgnoreMissingSchemas { get; init; }

    /// <summary>Repository-relative files or folders of CustomResourceDefinitions whose schemas validate custom resources.</summary>
    public IReadOnlyList<string> Crds { get; init; } = [];

    /// <summary>The folder of Kyverno policies, relative to the repository root.</summary>
    public string Policies { get; init; } = DefaultPoliciesPath;

    /// <summary>True when handoff.yaml names the policies folder (a missing folder is then an error, not "no policies").</summary>
    public bool PoliciesConfigured { get; init; }

    /// <summary>Policy names left out of the gate (e.g. a mutate policy the offline engine cannot run).</summary>
    public IReadOnlyList<string> SkipPolicies { get; init; } = [];

    /// <summary>Where validation: is, for errors about its values; null when handoff.yaml has none.</summary>
    public ConfigLocation? DefinedAt { get; init; }
}
