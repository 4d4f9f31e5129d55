namespace Handoff.Delivery.Config;

/// <summary>A place in handoff.yaml, so a later error about a setting can point back at it.</summary>
public sealed record ConfigLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>How an app's image is referenced in one environment's file.</summary>
public enum PinKind
{
    /// <summary>A Helm values mapping holding <c>repository</c>/<c>tag</c>/<c>digest</c>.</summary>
    Helm,
    /// <summary>A kustomization.yaml <c>images:</c> entry (<c>newName</c>/<c>newTag</c>/<c>digest</c>).</summary>
    Kustomize,
    /// <summary>One scalar in any manifest, at a path.</summary>
    Yaml,
}

/// <summary>What a <see cref="PinKind.Yaml"/> scalar holds.</summary>
public enum YamlPinValue
{
    /// <summary>A full image reference; promotions rewrite it to <c>name[:tag]@digest</c>.</summary>
    Reference,
    /// <summary>Only the digest (e.g. a Flux HelmRelease's <c>spec.values.image.digest</c>).</summary>
    Digest,
}

/// <summary>Where one app's image is pinned in one environment.</summary>
public sealed record PinLocation(PinKind Kind, string File, string Key, YamlPinValue Value, ConfigLocation DefinedAt)
{
    /// <summary>
    /// The 0-based document of a multi-document file that holds the pin (handoff.yaml <c>document:</c>);
    /// null searches every document and requires the key or path to be in exactly one.
    /// </summary>
    public int? Document { get; init; }

    public string Describe() => Kind switch
    {
        PinKind.Helm => $"{File} (Helm values key '{Key}'{InDocument})",
        PinKind.Kustomize => $"{File} (Kustomize image '{Key}')",
        _ => $"{File} (path '{Key}'{InDocument})",
    };

    private string InDocument => Document is { } index ? $" in document index {index}" : "";
}

public sealed record EnvironmentConfig(
    string Name,
    int Order,
    IReadOnlyList<string> Reviewers,
    IReadOnlyList<string> TeamReviewers,
    IReadOnlyList<string> Labels,
    string FreezeFile,
    ConfigLocation DefinedAt)
{
    /// <summary>This cluster's Kubernetes version (MAJOR.MINOR.PATCH), overriding validation.kubeVersion.</summary>
    public string? KubeVersion { get; init; }

    /// <summary>Extra API versions this cluster serves (helm --api-versions), added to validation.apiVersions.</summary>
    public IReadOnlyList<string> ApiVersions { get; init; } = [];
}

public sealed record AppConfig(
    string Name,
    string? Image,
    bool WriteRepository,
    IReadOnlyDictionary<string, PinLocation> Pins,
    ConfigLocation DefinedAt)
{
    /// <summary>How the app is rendered, per environment (only environments it is pinned in); empty when handoff.yaml says nothing.</summary>
    public IReadOnlyDictionary<string, RenderSettings> Render { get; init; } = new Dictionary<string, RenderSettings>();
}

public sealed record AppProvenance(string? SourceRepository, string? BuilderId)
{
    /// <summary>The key this app's pipeline signs with (a repository path), overriding provenance.publicKey.</summary>
    public string? PublicKey { get; init; }

    /// <summary>Where provenance.apps.&lt;app&gt; is, for findings about it.</summary>
    public ConfigLocation? DefinedAt { get; init; }
}

/// <summary>Inputs for provenance verification (consumed by the validation side, not by promotions).</summary>
public sealed record ProvenanceConfig(string? PublicKey, string? BuilderId, IReadOnlyDictionary<string, AppProvenance> Apps)
{
    /// <summary>The registry (host[:port]) holding images whose pinned repository names none, e.g. <c>handoff/myapp</c>.</summary>
    public string? Registry { get; init; }

    public ConfigLocation? DefinedAt { get; init; }

    /// <summary>The public key file <paramref name="app"/>'s digests are verified with: its own, else provenance.publicKey; null: not verified.</summary>
    public string? KeyFor(string app) => Apps.GetValueOrDefault(app)?.PublicKey ?? PublicKey;

    /// <summary>True when some app's digests are verified (a key is configured at the top or for an app).</summary>
    public bool VerifiesAny => PublicKey is not null || Apps.Values.Any(a => a.PublicKey is not null);
}

/// <summary>
/// URL templates that turn references in promotion request bodies into links (<c>links:</c> in handoff.yaml).
/// </summary>
/// <param name="Artifact">
/// A web page for an artifact attached to the image (the SBOM, the signed provenance), with
/// <c>{registry}</c>, <c>{repository}</c> and <c>{digest}</c> placeholders, e.g. a registry UI's
/// manifest page; null shows the pullable references as code.
/// </param>
public sealed record LinksConfig(string? Artifact)
{
    public static LinksConfig None { get; } = new(Artifact: null);
}

/// <summary>
/// The delivery repository's handoff.yaml: apps, environments in promotion order, where each app's
/// image is pinned per environment, and review settings. Lookups fail with messages that name
/// the file and list what exists, because a typo in --app or --env is the most common mistake.
/// </summary>
public sealed class HandoffConfig
{
    public const string FileName = "handoff.yaml";

    public HandoffConfig(string file, string? baseBranch, IReadOnlyList<EnvironmentConfig> environments, IReadOnlyList<AppConfig> apps, ProvenanceConfig? provenance)
    {
        File = file;
        BaseBranch = baseBranch;
        Environments = environments;
        Apps = apps;
        Provenance = provenance;
    }

    public string File { get; }
    public string? BaseBranch { get; }
    public IReadOnlyList<EnvironmentConfig> Environments { get; }
    public IReadOnlyList<AppConfig> Apps { get; }
    public ProvenanceConfig? Provenance { get; }

    /// <summary>Link templates for promotion request bodies (links: in handoff.yaml).</summary>
    public LinksConfig Links { get; init; } = LinksConfig.None;

    /// <summary>How ValidateDelivery checks rendered manifests (validation: in handoff.yaml).</summary>
    public ValidationConfig Validation { get; init; } = ValidationConfig.Default;

    public EnvironmentConfig Environment(string name) =>
        Environments.FirstOrDefault(e => e.Name == name)
        ?? throw new HandoffException($"{File}: unknown environment '{name}'. Environments, in promotion order: {string.Join(" → ", Environments.Select(e => e.Name))}. Pass one of them, or add '{name}' under environments: in {File}.");

    public AppConfig App(string name) =>
        Apps.FirstOrDefault(a => a.Name == name)
        ?? throw new HandoffException($"{File}: unknown app '{name}'. Apps: {string.Join(", ", Apps.Select(a => a.Name))}. Pass one of them with --app, or add '{name}' under apps: in {File}.");

    public PinLocation Pin(AppConfig app, EnvironmentConfig environment) =>
        app.Pins.TryGetValue(environment.Name, out var pin)
            ? pin
            : throw new HandoffException($"{File}:{app.DefinedAt.Line}: app '{app.Name}' is not deployed to '{environment.Name}' (it is deployed to: {string.Join(", ", app.Pins.Keys)}). Add '{environment.Name}' under apps.{app.Name}.environments in {File}.");

    /// <summary>The environment after <paramref name="environment"/> in promotion order, or null for the last one.</summary>
    public EnvironmentConfig? Next(EnvironmentConfig environment) =>
        environment.Order + 1 < Environments.Count ? Environments[environment.Order + 1] : null;

    /// <summary>
    /// The app a release belongs to: the named one, else the one whose image matches the release's
    /// repository, else the only app.
    /// </summary>
    public AppConfig ResolveApp(string? name, string releaseRepository)
    {
        if (!string.IsNullOrEmpty(name))
        {
            var app = App(name);
            if (app.Image is not null && !ImageNames.SameRepository(app.Image, releaseRepository))
            {
                throw new HandoffException($"{File}:{app.DefinedAt.Line}: app '{app.Name}' deploys image '{app.Image}', but the release is for '{releaseRepository}'. Pass the right --app, or fix apps.{app.Name}.image in {File}.");
            }

            return app;
        }

        var matching = Apps.Where(a => a.Image is not null && ImageNames.SameRepository(a.Image, releaseRepository)).ToList();
        if (matching.Count == 1)
        {
            return matching[0];
        }

        if (matching.Count == 0 && Apps.Count == 1)
        {
            return Apps[0];
        }

        throw new HandoffException(matching.Count == 0
            ? $"{File}: no app deploys image '{releaseRepository}' (apps: {string.Join(", ", Apps.Select(a => $"{a.Name} → {a.Image ?? "(no image set)"}"))}). Pass --app=NAME, or set apps.NAME.image in {File}."
            : $"{File}: several apps deploy image '{releaseRepository}' ({string.Join(", ", matching.Select(a => a.Name))}). Pass --app=NAME to choose one.");
    }
}
