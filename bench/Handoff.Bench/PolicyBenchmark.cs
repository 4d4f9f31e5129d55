using System.Globalization;
using System.Text.Json.Nodes;
using Handoff.Bench.Measurement;
using Handoff.Bench.Synthetic;
using Handoff.Policy;
using Handoff.Policy.Yaml;
using YamlDotNet.Core;

namespace Handoff.Bench;

/// <summary>Options of <c>policy</c>: repository size and shape, measurement effort, which policies.</summary>
public sealed record PolicyBenchmarkOptions(SyntheticRepoOptions Repo, int Warmups, int Runs, string PoliciesPath);

/// <summary>
/// <c>policy</c>: guardrail policy evaluation over a synthetic delivery repository, timed against YamlDotNet parsing
/// the same bytes in the same process, so the ratio holds across machines even where absolute numbers do not.
/// </summary>
public sealed class PolicyBenchmark(PolicyBenchmarkOptions options, TextWriter output)
{
    public int Run()
    {
        var repo = SyntheticDeliveryRepo.Generate(options.Repo);
        var (policies, skipped) = LoadPolicies(options.PoliciesPath);
        var measure = new Measure(options.Warmups, options.Runs);
        var count = repo.ResourceCount;

        WriteHeader(repo, policies, skipped);

        var parse = measure.Time("YamlDotNet parse (all events)", () => ParseEvents(repo));
        var resources = LoadResources(repo);
        var load = measure.Time("YAML -> JsonNode (engine input)", () => LoadResources(repo));
        var context = new EvaluationContext();
        IReadOnlyList<RuleResult> parallelResults = [];
        var all = measure.Time("EvaluateAll (engine default)", () => parallelResults = PolicyEngine.EvaluateAll(policies, resources, context));
        var sequentialResults = new List<RuleResult>();
        var single = measure.Time("Evaluate per resource, 1 thread", () =>
        {
            sequentialResults.Clear();
            foreach (var resource in resources)
            {
                sequentialResults.AddRange(PolicyEngine.Evaluate(policies, resource, context));
            }
        });

        output.WriteLine();
        WriteLine("baseline", parse, count);
        WriteLine("input", load, count);
        WriteLine("policy", all, count);
        WriteLine("policy", single, count);

        output.WriteLine();
        output.WriteLine("per policy, 1 thread (median of {0} runs):", Math.Max(1, options.Runs / 2));
        var perPolicy = new Measure(1, Math.Max(1, options.Runs / 2));
        foreach (var policy in policies)
        {
            var timing = perPolicy.Time(policy.Name, () =>
            {
                foreach (var resource in resources)
                {
                    PolicyEngine.Evaluate([policy], resource, context);
                }
            });
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {policy.Name,-28} {timing.Median.TotalMilliseconds * 1000 / count,8:F2} µs/resource"));
        }

        output.WriteLine();
        WriteResults(parallelResults, sequentialResults, repo);

        output.WriteLine();
        var ratio = all.Median / parse.Median;
        var perSecond = all.PerSecond(count);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio   policy (EvaluateAll) / YamlDotNet parse = {ratio:F2}x   (budget for schema + policy together: <= 3x)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"speed   policy (EvaluateAll) = {perSecond:N0} resources/s   (policy alone should reach >= 10,000/s so schema + policy reach 5,000/s)"));
        return 0;
    }

    private void WriteHeader(SyntheticDeliveryRepo repo, IReadOnlyList<ClusterPolicy> policies, IReadOnlyList<string> skipped)
    {
        var kinds = string.Join(", ", repo.KindCounts.OrderByDescending(k => k.Value).Select(k => $"{k.Value:N0} {k.Key}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"synthetic delivery repo: {repo.ResourceCount:N0} resources ({kinds}) in {repo.Files.Count:N0} files, {repo.ByteCount / 1024.0 / 1024.0:F1} MiB of YAML, {repo.Violations:N0} with a deliberate violation"));
        output.WriteLine($"policies: {string.Join(", ", policies.Select(p => p.Name))} ({options.PoliciesPath})");
        foreach (var reason in skipped)
        {
            output.WriteLine($"  skipped {reason}");
        }

        var build = typeof(PolicyEngine).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "?";
        output.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {build} build; {options.Warmups} warm-up + {options.Runs} timed runs each, median reported");
        if (!string.Equals(build, "Release", StringComparison.OrdinalIgnoreCase))
        {
            output.WriteLine("warning: not a Release build; run with -c Release for meaningful numbers");
        }
    }

    private void WriteLine(string what, Timing timing, int count) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-9}{timing.Name,-34}{timing.Describe()}  {timing.PerSecond(count),9:N0} resources/s  {timing.AllocatedBytesPerRun / (double)count / 1024,6:F1} KiB/resource  gen0 {timing.Gen0PerRun:F0} gen2 {timing.Gen2PerRun:F0}"));

    private void WriteResults(IReadOnlyList<RuleResult> parallel, IReadOnlyList<RuleResult> sequential, SyntheticDeliveryRepo repo)
    {
        var byStatus = parallel.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key.ToString().ToLowerInvariant()} {g.Count():N0}");
        var blocked = parallel.Where(r => r.Severity == ResultSeverity.Error).Select(r => r.Resource).Distinct().Count();
        output.WriteLine($"results: {parallel.Count:N0} rule results ({string.Join(", ", byStatus)}); {blocked:N0} resources blocked, {repo.Violations:N0} generated with a violation");
        var same = parallel.Count == sequential.Count && parallel.Zip(sequential).All(p => p.First == p.Second);
        output.WriteLine($"EvaluateAll results identical to one-by-one evaluation (same order): {(same ? "yes" : "NO")}");
    }

    internal static int ParseEvents(SyntheticDeliveryRepo repo)
    {
        var events = 0;
        foreach (var file in repo.Files)
        {
            var parser = new Parser(new StringReader(file.Yaml));
            while (parser.MoveNext())
            {
                events++;
            }
        }

        return events;
    }

    private static List<JsonNode> LoadResources(SyntheticDeliveryRepo repo)
    {
        var resources = new List<JsonNode>(repo.ResourceCount);
        foreach (var file in repo.Files)
        {
            foreach (var document in YamlJsonReader.Read(file.Yaml, file.RelativePath))
            {
                resources.Add(document.Root);
            }
        }

        if (resources.Count != repo.ResourceCount)
        {
            throw new InvalidOperationException($"the generator wrote {repo.ResourceCount} resources but {resources.Count} were read back");
        }

        return resources;
    }

    /// <summary>Policies the engine can evaluate offline; others (verifyImages, ...) are reported and left out.</summary>
    internal static (IReadOnlyList<ClusterPolicy> Policies, IReadOnlyList<string> Skipped) LoadPolicies(string path)
    {
        var loaded = ClusterPolicy.Load(path);
        var usable = loaded.Where(p => p.Unsupported.Count == 0).ToList();
        var skipped = loaded.Where(p => p.Unsupported.Count > 0).Select(p => $"{p.Name}: {p.Unsupported[0]}").ToList();
        if (usable.Count == 0)
        {
            throw new HandoffException($"{path}: no policy the engine can evaluate offline was found. Point --policies at a folder of Kyverno validate policies.");
        }

        return (usable, skipped);
    }
}
