using Handoff.Validation.Loading;
using Handoff.Validation.Output;
using Handoff.Validation.Schemas;
using Handoff.Validation.Validation;

namespace Handoff.Validation;

/// <summary>
/// The <c>ValidateManifests</c> target: load the paths, validate every resource against its schema,
/// print per-resource problems and kubeconform's summary line, and return kubeconform's exit code
/// (0 all valid or skipped, 1 anything invalid or errored). Configuration mistakes (a missing schema
/// folder, a bad template or version) throw <see cref="HandoffException"/> before anything is read.
/// </summary>
public static class ManifestValidationCommand
{
    public static int Run(ManifestValidationOptions options, TextWriter output) => Execute(options, output).ExitCode;

    /// <summary>Same as <see cref="Run"/>, returning the report for callers that also write SARIF, JUnit or Markdown.</summary>
    public static ValidationReport Execute(ManifestValidationOptions options, TextWriter output)
    {
        if (options.Paths.Count == 0 || options.Paths.All(string.IsNullOrWhiteSpace))
        {
            throw new HandoffException("Nothing to validate: pass --path=FILE_OR_DIR (repeat it for several paths).");
        }

        using var registry = new KubernetesSchemaRegistry(new SchemaRegistryOptions
        {
            Locations = options.SchemaLocations.Count > 0 ? options.SchemaLocations : [KubernetesSchemaRegistry.DefaultLocationName],
            KubernetesVersion = options.KubernetesVersion,
            Strict = options.Strict,
            Download = new SchemaDownloadOptions { Timeout = options.SchemaDownloadTimeout, CacheDirectory = options.SchemaCacheDirectory },
        });

        var loader = new ManifestLoader(new ManifestLoaderOptions { DuplicateKeysAreErrors = options.Strict });
        var warnings = AddCrds(registry, loader, options.CrdPaths);
        var validator = new ManifestValidator(registry, new ManifestValidatorOptions
        {
            Skip = new KindFilter(options.Skip),
            Reject = new KindFilter(options.Reject),
            IgnoreMissingSchemas = options.IgnoreMissingSchemas,
        });

        var validated = validator.Validate(loader.Load(options.Paths));
        var report = new ValidationReport(validated.Results, validated.Files, warnings);
        if (options.Output == ManifestOutputFormat.Json)
        {
            JsonReportWriter.Write(report, output, options.Verbose);
        }
        else
        {
            TextReportWriter.Write(report, output, options.Verbose);
        }

        return report;
    }

    private static List<string> AddCrds(KubernetesSchemaRegistry registry, ManifestLoader loader, IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            return [];
        }

        var missing = paths.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            throw new HandoffException($"CRD path {string.Join(", ", missing)} does not exist. Pass files or folders containing CustomResourceDefinitions.");
        }

        var crds = loader.Load(paths);
        registry.AddCustomResourceDefinitions(crds.Documents);
        return crds.Errors.Select(error => $"{error} (ignored while reading CRDs)").ToList();
    }
}
