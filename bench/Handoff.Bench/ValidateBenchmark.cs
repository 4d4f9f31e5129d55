using System.Globalization;
using Handoff.Bench.Measurement;
using Handoff.Bench.Synthetic;
using Handoff.Policy;
using Handoff.Validation.Loading;
using Handoff.Validation.Schemas;
using Handoff.Validation.Validation;

namespace Handoff.Bench;

public sealed record ValidateBenchmarkOptions(SyntheticRepoOptions Repo, int Warmups, int Runs, string PoliciesPath, string SchemasPath);

/// <summary>
/// <c>validate</c>: what ValidateDelivery spends on a delivery repository's manifests — load (YAML → JSON
/// with positions), JSON Schema validation and the guardrail policies on the same parsed objects — timed
/// against YamlDotNet merely parsing the same files, in the same process.
/// </summary>
public sealed class ValidateBenchmark(ValidateBenchmarkOptions options, TextWriter output)
{
    public int Run()
    {
        if (!Directory.Exists(options.SchemasPath))
        {
            throw new HandoffException($"{options.SchemasPath}: no Kubernetes JSON schemas there. Pass --schemas=DIR (kubeconform's standalone layout, e.g. ../shared/k8s-json-schema/schemas).");
        }

        var repo = SyntheticDeliveryRepo.Generate(options.Repo);
        var root = Path.Combine(Path.GetTempPath(), "handoff-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            repo.WriteTo(root);
            return Measure(repo, root);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private int Measure(SyntheticDeliveryRepo repo, string root)
    {
        var policies = PolicyBenchmark.LoadPolicies(options.PoliciesPath).Policies;
        var loader = new ManifestLoader();
        using var registry = new KubernetesSchemaRegistry(new SchemaRegistryOptions { Locations = [options.SchemasPath], KubernetesVersion = "1.34.0", Strict = true });
        var validator = new ManifestValidator(registry);
        var context = new EvaluationContext();
        var count = repo.ResourceCount;
        var measure = new Measure(options.Warmups, options.Runs);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"synthetic delivery repo: {count:N0} resources in {repo.Files.Count:N0} files ({repo.ByteCount / 1024.0 / 1024.0:F1} MiB) under apps/<app>/<env>/; schemas {options.SchemasPath}; {policies.Count} policies"));
        output.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; {options.Warmups} warm-up + {options.Runs} timed runs each, median reported");

        var parse = measure.Time("YamlDotNet parse (all events)", () => PolicyBenchmark.ParseEvents(repo));
        ManifestLoadResult? loaded = null;
        var load = measure.Time("load (YAML -> JSON, positions)", () => loaded = loader.Load([root]));
        Handoff.Validation.Validation.ValidationReport? schemaReport = null;
        var schema = measure.Time("schema (JsonSchema, strict)", () => schemaReport = validator.Validate(loaded!));
        var nodes = loaded!.Documents.Select(d => d.Content).ToList();
        IReadOnlyList<RuleResult> results = [];
        var policy = measure.Time("policy (guardrails)", () => results = PolicyEngine.EvaluateAll(policies, nodes, context));
        var total = measure.Time("load + schema + policy", () =>
        {
            var l = loader.Load([root]);
            validator.Validate(l);
            PolicyEngine.EvaluateAll(policies, l.Documents.Select(d => d.Content).ToList(), context);
        });

        output.WriteLine();
        foreach (var (what, timing) in new[] { ("baseline", parse), ("stage", load), ("stage", schema), ("stage", policy), ("total", total) })
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{what,-9}{timing.Name,-34}{timing.Describe()}  {timing.PerSecond(count),9:N0} resources/s"));
        }

        var summary = schemaReport!.Summary;
        output.WriteLine();
        output.WriteLine($"schema verdicts: {summary}");
        output.WriteLine($"policy results: {results.Count:N0} ({results.Count(r => r.Severity == ResultSeverity.Error):N0} blocking); {repo.Violations:N0} resources generated with a violation");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"speed   schema + policy validation (load included) = {total.PerSecond(count):N0} resources/s   (target >= 5,000/s)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio   (load + schema + policy) / YamlDotNet parse = {total.Median / parse.Median:F2}x   (target <= 3x)"));
        return 0;
    }
}
