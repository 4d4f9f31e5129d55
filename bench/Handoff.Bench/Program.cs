using Handoff;
using System.Globalization;
using Handoff.Bench;
using Handoff.Bench.Synthetic;

const string Usage = """
    usage: dotnet run -c Release --project bench/Handoff.Bench -- <benchmark> [options]

    benchmarks:
      policy    guardrail policy evaluation vs. YamlDotNet parsing the same synthetic delivery repo
      validate  load + schema + policy validation (what ValidateDelivery does per object) vs. the same parse

    options:
      --resources N   resources to generate (default 10000)
      --runs N        timed runs per measurement, median reported (default 7)
      --warmups N     discarded warm-up runs (default 2)
      --seed N        generator seed (default fixed, so runs compare like with like)
      --policies DIR  Kyverno policies to evaluate (default samples/delivery-repo/policies)
      --schemas DIR   Kubernetes JSON schemas for validate (default ../shared/k8s-json-schema/schemas)
    """;

try
{
    if (args.Length == 0 || args[0] is "-h" or "--help")
    {
        Console.WriteLine(Usage);
        return args.Length == 0 ? 2 : 0;
    }

    var options = BenchArguments.Parse(args.Skip(1).ToArray());
    switch (args[0])
    {
        case "policy":
            return new PolicyBenchmark(
                new PolicyBenchmarkOptions(options.Repo, options.Warmups, options.Runs, options.PoliciesPath),
                Console.Out).Run();
        case "validate":
            return new ValidateBenchmark(
                new ValidateBenchmarkOptions(options.Repo, options.Warmups, options.Runs, options.PoliciesPath, options.SchemasPath),
                Console.Out).Run();
        default:
            Console.Error.WriteLine($"unknown benchmark '{args[0]}'.");
            Console.Error.WriteLine(Usage);
            return 2;
    }
}
catch (HandoffException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

/// <summary>The options every benchmark shares.</summary>
internal sealed record BenchArguments(SyntheticRepoOptions Repo, int Warmups, int Runs, string PoliciesPath, string SchemasPath)
{
    public static BenchArguments Parse(string[] args)
    {
        var repo = new SyntheticRepoOptions();
        var warmups = 2;
        var runs = 7;
        string? policies = null;
        string? schemas = null;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                throw new HandoffException($"{name} needs a value. Run with --help for the options.");
            }

            var value = args[++i];
            switch (name)
            {
                case "--resources":
                    repo = repo with { Resources = Positive(name, value) };
                    break;
                case "--runs":
                    runs = Positive(name, value);
                    break;
                case "--warmups":
                    warmups = Positive(name, value, allowZero: true);
                    break;
                case "--seed":
                    repo = repo with { Seed = Positive(name, value, allowZero: true) };
                    break;
                case "--policies":
                    policies = Path.GetFullPath(value);
                    break;
                case "--schemas":
                    schemas = Path.GetFullPath(value);
                    break;
                default:
                    throw new HandoffException($"unknown option '{name}'. Run with --help for the options.");
            }
        }

        return new BenchArguments(repo, warmups, runs, policies ?? Path.Combine(RepoRoot(), "samples", "delivery-repo", "policies"),
            schemas ?? Path.GetFullPath(Path.Combine(RepoRoot(), "..", "shared", "k8s-json-schema", "schemas")));
    }

    private static int Positive(string name, string value, bool allowZero = false) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && (number > 0 || allowZero && number == 0)
            ? number
            : throw new HandoffException($"{name} '{value}' is not a {(allowZero ? "non-negative" : "positive")} whole number.");

    /// <summary>The repository root (the folder with Build.sln), found from the working directory or the program's location.</summary>
    private static string RepoRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Build.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new HandoffException("cannot find the repository root (a folder with Build.sln) from the working directory; run from the repository or pass --policies DIR.");
    }
}
