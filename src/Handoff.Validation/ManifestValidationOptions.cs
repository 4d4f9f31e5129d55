namespace Handoff.Validation;

public enum ManifestOutputFormat
{
    Text,
    Json,
}

/// <summary>Everything <c>ValidateManifests</c> takes, named after its command-line flags.</summary>
public sealed record ManifestValidationOptions
{
    /// <summary>Files and directories (recursive) to validate (<c>--path</c>, repeatable).</summary>
    public required IReadOnlyList<string> Paths { get; init; }

    /// <summary><c>--strict</c>: properties the schema does not define and duplicate keys are errors.</summary>
    public bool Strict { get; init; }

    /// <summary><c>--skip</c>: Kind or apiVersion/Kind entries (comma-separated values allowed).</summary>
    public IReadOnlyList<string> Skip { get; init; } = [];

    /// <summary><c>--reject</c>: Kind or apiVersion/Kind entries that are an error wherever they appear.</summary>
    public IReadOnlyList<string> Reject { get; init; } = [];

    /// <summary><c>--ignore-missing-schemas</c>: a resource type with no schema is skipped, not an error.</summary>
    public bool IgnoreMissingSchemas { get; init; }

    /// <summary><c>--schema-location</c> (repeatable, tried in order); empty means kubeconform's <c>default</c>.</summary>
    public IReadOnlyList<string> SchemaLocations { get; init; } = [];

    /// <summary><c>--crds</c>: extra files or folders with CustomResourceDefinitions whose schemas validate custom resources.</summary>
    public IReadOnlyList<string> CrdPaths { get; init; } = [];

    /// <summary><c>--kube-version</c>: e.g. 1.34.0, or master.</summary>
    public string KubernetesVersion { get; init; } = "master";

    /// <summary><c>--schema-cache</c>: folder where downloaded schemas are kept between runs.</summary>
    public string? SchemaCacheDirectory { get; init; }

    /// <summary><c>--schema-timeout</c>: per schema download.</summary>
    public TimeSpan SchemaDownloadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>--output</c>: text or json.</summary>
    public ManifestOutputFormat Output { get; init; } = ManifestOutputFormat.Text;

    /// <summary><c>--verbose</c>: also list valid and skipped resources.</summary>
    public bool Verbose { get; init; }

    /// <summary>Parses an <c>--output</c> value, with an error that lists the choices.</summary>
    public static ManifestOutputFormat ParseOutput(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "text" => ManifestOutputFormat.Text,
        "json" => ManifestOutputFormat.Json,
        _ => throw new HandoffException($"--output={value} is not supported: use --output=text or --output=json."),
    };
}
