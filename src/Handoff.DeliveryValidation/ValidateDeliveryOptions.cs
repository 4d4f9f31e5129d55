using Handoff.Oci;
using Handoff.Rendering;

namespace Handoff.DeliveryValidation;

/// <summary>
/// Everything <c>./build.sh --target=ValidateDelivery</c> takes. Settings left null come from the
/// delivery repository's handoff.yaml (<c>validation:</c>, <c>provenance:</c>), then from defaults.
/// </summary>
public sealed record ValidateDeliveryOptions
{
    /// <summary>The delivery repository checkout (the folder holding handoff.yaml); what is on disk is what gets validated.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>
    /// <c>--base</c>: the branch the change will merge into (e.g. <c>main</c> or <c>origin/main</c>). Only the
    /// apps and environments that the diff from the merge base touches are validated, and freezes, chain
    /// of custody and provenance judge what changed. Null: audit every app and environment as it is.
    /// </summary>
    public string? Base { get; init; }

    /// <summary><c>--app</c>: validate only this app (within the scope <see cref="Base"/> gives).</summary>
    public string? App { get; init; }

    /// <summary><c>--env</c>: validate only this environment (within the scope <see cref="Base"/> gives).</summary>
    public string? Environment { get; init; }

    /// <summary><c>--schema-location</c> (repeatable): replaces validation.schemaLocations; relative folders are relative to the repository.</summary>
    public IReadOnlyList<string>? SchemaLocations { get; init; }

    /// <summary><c>--strict</c>: overrides validation.strict.</summary>
    public bool? Strict { get; init; }

    /// <summary><c>--kube-version</c>: overrides validation.kubeVersion and every environment's kubeVersion.</summary>
    public string? KubeVersion { get; init; }

    /// <summary><c>--provenance-registry</c>: the registry of pinned images whose repository names none; overrides provenance.registry.</summary>
    public string? ProvenanceRegistry { get; init; }

    /// <summary>Where summary.md, junit.xml, results.sarif (and the GitLab report) go; default REPOSITORY/artifacts/validation.</summary>
    public string? ArtifactsDirectory { get; init; }

    /// <summary>Rendered manifests are cached here by the hash of their inputs; default the user's local application data folder.</summary>
    public string? RenderCacheDirectory { get; init; }

    /// <summary>Downloaded JSON schemas are kept here between runs (the ValidateDelivery target: --schema-cache, default artifacts/.schema-cache); null: not kept.</summary>
    public string? SchemaCacheDirectory { get; init; }

    /// <summary>Per schema download.</summary>
    public TimeSpan SchemaDownloadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How helm, kustomize and kubectl are found (Cake's tool resolution); default tools/bin of the repository, then PATH.</summary>
    public CakeTooling? Tooling { get; init; }

    /// <summary>How registries are reached for provenance (credentials, insecure registries, retries).</summary>
    public RegistryClientOptions? Registry { get; init; }

    /// <summary>The clock freezes (<c>until</c>) and policies' time functions use.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// The CI the run is in: GitHub Actions gets annotations and the step summary, GitLab a code-quality
    /// report. Null: read from <see cref="EnvironmentVariables"/> (GITHUB_ACTIONS, GITLAB_CI, GITHUB_STEP_SUMMARY).
    /// </summary>
    public CiInfo? Ci { get; init; }

    /// <summary>Where environment variables are read from (tests pass their own).</summary>
    public Func<string, string?> EnvironmentVariables { get; init; } = System.Environment.GetEnvironmentVariable;

    public string GitPath { get; init; } = "git";

    /// <summary>Renders, resources and targets processed at once; default the processor count.</summary>
    public int MaxParallelism { get; init; }
}
