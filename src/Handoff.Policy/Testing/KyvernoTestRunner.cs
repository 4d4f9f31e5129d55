using System.Text.Json.Nodes;
using Handoff.Policy.Loading;

namespace Handoff.Policy.Testing;

/// <summary>The verdict on one expectation (one resource of one results entry).</summary>
public sealed record TestCaseResult(string TestFile, string Policy, string Rule, string Resource, string Expected, string Actual, bool Passed, string Detail)
{
    public override string ToString() =>
        $"{(Passed ? "PASS" : "FAIL")} {Policy}/{Rule} {Resource}: expected {Expected} -> actual {Actual}{(Detail.Length > 0 ? " (" + Detail + ")" : "")}";
}

/// <summary>The results of one kyverno-test.yaml.</summary>
public sealed record TestFileResult(string TestFile, string Name, IReadOnlyList<TestCaseResult> Cases, string? Error)
{
    public int Passed => Cases.Count(c => c.Passed);
    public int Failed => Cases.Count(c => !c.Passed) + (Error is null ? 0 : 1);
}

/// <summary>Runs kyverno-test.yaml files: loads policies, resources and values, evaluates, compares with results[].</summary>
public static class KyvernoTestRunner
{
    /// <summary>kyverno-test.yaml files under <paramref name="path"/> (also in <c>.kyverno-test</c> folders), or the file itself.</summary>
    public static IReadOnlyList<string> FindTestFiles(string path)
    {
        if (File.Exists(path))
        {
            return [Path.GetFullPath(path)];
        }

        if (!Directory.Exists(path))
        {
            throw new HandoffException($"{path}: no such file or folder. Pass the folder that holds kyverno-test.yaml files.");
        }

        return Directory.EnumerateFiles(path, "kyverno-test.yaml", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(path, "kyverno-test.yml", SearchOption.AllDirectories))
            .Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToList();
    }

    public static TestFileResult Run(string testFile)
    {
        KyvernoTestFile test;
        try
        {
            test = KyvernoTestFile.Load(testFile);
        }
        catch (HandoffException ex)
        {
            return new TestFileResult(testFile, testFile, [], ex.Message);
        }

        try
        {
            return Run(test);
        }
        catch (HandoffException ex)
        {
            return new TestFileResult(testFile, test.Name, [], ex.Message);
        }
    }

    private static TestFileResult Run(KyvernoTestFile test)
    {
        var policies = new List<ClusterPolicy>();
        foreach (var entry in test.Policies)
        {
            policies.AddRange(PolicyLoader.Load(Resolve(test, entry)));
        }

        var resources = new List<JsonNode>();
        var seen = new HashSet<(string, string, string?)>();
        foreach (var entry in test.Resources)
        {
            foreach (var (resource, _) in PolicyLoader.LoadResources(Resolve(test, entry)))
            {
                var identity = ResourceIdentity.Of(resource);
                if (seen.Add((identity.Kind, identity.Name, identity.Namespace)))
                {
                    resources.Add(resource);
                }
            }
        }

        var context = new EvaluationContext().WithNamespacesFrom(resources);
        if (test.Variables is { Length: > 0 } variables)
        {
            KyvernoValuesFile.Apply(Resolve(test, variables), context);
        }

        // Only what the expectations mention is evaluated, as the Kyverno CLI does.
        var wantedPolicies = test.Expectations.Select(e => PolicyKey(e.Policy)).ToHashSet();
        var selectedPolicies = policies.Where(p => wantedPolicies.Contains((p.Namespace, p.Name))).ToList();
        var wantedResources = test.Expectations.SelectMany(e => e.Resources.Select(r => (e.Kind, ResourceName(r)))).ToHashSet();
        var selectedResources = resources.Where(r =>
        {
            var identity = ResourceIdentity.Of(r);
            return wantedResources.Contains((identity.Kind, identity.Name)) || wantedResources.Contains((null, identity.Name));
        }).ToList();

        var results = new List<RuleResult>();
        foreach (var resource in selectedResources)
        {
            results.AddRange(PolicyEngine.Evaluate(selectedPolicies, resource, context));
        }

        var cases = new List<TestCaseResult>();
        foreach (var expectation in test.Expectations)
        {
            var (policyNamespace, policyName) = PolicyKey(expectation.Policy);
            var policy = policies.FirstOrDefault(p => p.Namespace == policyNamespace && p.Name == policyName);
            foreach (var resourceRef in expectation.Resources)
            {
                var label = $"{expectation.Kind ?? "*"}/{resourceRef}";
                if (expectation.IsValidatingAdmissionPolicy)
                {
                    cases.Add(Case(test, expectation, label, "error", "ValidatingAdmissionPolicy tests are not supported"));
                    continue;
                }

                if (policy is null)
                {
                    cases.Add(Case(test, expectation, label, "not found", $"no policy named '{expectation.Policy}' in the test's policies"));
                    continue;
                }

                if (!policy.RuleNames.Any(r => RuleMatches(r, expectation.Rule)))
                {
                    cases.Add(Case(test, expectation, label, "not found", $"policy '{policy.Name}' has no rule '{expectation.Rule}'"));
                    continue;
                }

                var matchingResources = resources.Where(r => ResourceMatches(ResourceIdentity.Of(r), expectation, resourceRef)).ToList();
                if (matchingResources.Count == 0)
                {
                    cases.Add(Case(test, expectation, label, "not found", "no such resource in the test's resources"));
                    continue;
                }

                var found = results.Where(r => r.Policy == policyName && r.PolicyNamespace == policyNamespace && RuleMatches(r.Rule, expectation.Rule)
                    && ResourceMatches(r.Resource, expectation, resourceRef)).ToList();
                if (found.Count == 0)
                {
                    // The rule did not select the resource (match/exclude): Kyverno reports that as a skip.
                    cases.Add(Case(test, expectation, label, "skip", ""));
                    continue;
                }

                foreach (var result in found)
                {
                    var actual = result.Status.ToString().ToLowerInvariant();
                    cases.Add(Case(test, expectation, result.Resource.ToString(), actual, actual == expectation.Result ? "" : result.Message));
                }
            }
        }

        return new TestFileResult(test.Path, test.Name, cases, null);
    }

    private static TestCaseResult Case(KyvernoTestFile test, TestExpectation expectation, string resource, string actual, string detail) =>
        new(test.Path, expectation.Policy, expectation.Rule, resource, expectation.Result, actual, actual == expectation.Result, detail);

    private static string Resolve(KyvernoTestFile test, string entry) => Path.GetFullPath(Path.Combine(test.Directory, entry));

    private static (string? Namespace, string Name) PolicyKey(string policy)
    {
        var slash = policy.IndexOf('/');
        return slash < 0 ? (null, policy) : (policy[..slash], policy[(slash + 1)..]);
    }

    private static string ResourceName(string reference)
    {
        var slash = reference.LastIndexOf('/');
        return slash < 0 ? reference : reference[(slash + 1)..];
    }

    private static bool RuleMatches(string actualRule, string expectedRule) =>
        actualRule == expectedRule || actualRule == "autogen-" + expectedRule || actualRule == "autogen-cronjob-" + expectedRule;

    private static bool ResourceMatches(ResourceIdentity identity, TestExpectation expectation, string reference)
    {
        if (expectation.Kind is { Length: > 0 } kind && kind != identity.Kind)
        {
            return false;
        }

        if (expectation.Namespace is { Length: > 0 } ns && ns != (identity.Namespace ?? ""))
        {
            return false;
        }

        var slash = reference.LastIndexOf('/');
        return slash < 0
            ? reference == identity.Name
            : reference[(slash + 1)..] == identity.Name && reference[..slash] == (identity.Namespace ?? "");
    }
}
