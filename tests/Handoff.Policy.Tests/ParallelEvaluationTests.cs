using System.Text.Json.Nodes;
using Handoff.Policy.Variables;
using Handoff.Testing;
using Newtonsoft.Json;

namespace Handoff.Policy.Tests;

/// <summary>
/// EvaluateAll evaluates resources on several threads; results must be exactly those of evaluating the resources
/// one by one, in the same order, whether rules run on nodes or through JmesPath.Net (whose objects keep state).
/// </summary>
public sealed class ParallelEvaluationTests
{
    /// <summary>Rules that need JmesPath.Net itself (slices, expression arguments), context variables, preconditions and a clock.</summary>
    private const string LibraryPolicy = """
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata:
          name: library-paths
        spec:
          validationFailureAction: Audit
          rules:
          - name: first-container-named
            match:
              any:
              - resources:
                  kinds: [Pod]
            context:
            - name: first
              variable:
                jmesPath: request.object.spec.containers[0:1]
            - name: names
              variable:
                jmesPath: sort_by(request.object.spec.containers, &name)[].name
            preconditions:
              all:
              - key: "{{ length(first) }}"
                operator: GreaterThan
                value: 0
            validate:
              message: "{{ request.object.metadata.name }}: first container {{ first[0].name }} of {{ names }}"
              deny:
                conditions:
                  any:
                  - key: "{{ first[0].name }}"
                    operator: Equals
                    value: "sidecar-*"
                  - key: "{{ time_since('', request.object.metadata.annotations.created || '2020-01-01T00:00:00Z', '') }}"
                    operator: DurationGreaterThan
                    value: 87600h
          - name: ports-in-range
            match:
              any:
              - resources:
                  kinds: [Pod]
            validate:
              foreach:
              - list: "request.object.spec.containers[].ports[] | [::1]"
                deny:
                  conditions:
                    any:
                    - key: "{{ element.containerPort }}"
                      operator: AnyNotIn
                      value: 1-30000
        """;

    /// <summary>Pods, Deployments and CronJobs that pass and break the guardrails in different ways.</summary>
    private static List<JsonNode> Resources(int count)
    {
        var resources = new List<JsonNode>(count);
        for (var i = 0; i < count; i++)
        {
            var digest = i % 5 == 0 ? "" : "@sha256:" + new string((char)('a' + i % 6), 64);
            var registry = i % 7 == 0 ? "docker.io/library" : "registry.example.com/team";
            var containers = new JsonArray();
            if (i % 4 == 1)
            {
                containers.Add(Container($"sidecar-{i}", $"ghcr.io/example-org/proxy:1{digest}", 30000 + i, i));
            }

            containers.Add(Container($"app-{i}", $"{registry}/app-{i}:{(i % 11 == 0 ? "latest" : "1.0")}{digest}", 8000 + i, i));
            var podSpec = new JsonObject
            {
                ["securityContext"] = new JsonObject { ["runAsNonRoot"] = i % 4 != 0 },
                ["containers"] = containers,
            };
            var labels = i % 6 == 0 ? new JsonObject() : new JsonObject { ["app.kubernetes.io/name"] = "app", ["app.kubernetes.io/part-of"] = "shop" };
            var metadata = new JsonObject { ["name"] = $"res-{i}", ["namespace"] = $"ns-{i % 4}", ["labels"] = labels };
            if (i % 2 == 0)
            {
                metadata["annotations"] = new JsonObject { ["created"] = $"2025-0{1 + i % 9}-01T00:00:00Z" };
            }

            JsonObject Template() => new()
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app.kubernetes.io/name"] = "app", ["app.kubernetes.io/part-of"] = "shop" } },
                ["spec"] = podSpec,
            };
            resources.Add((i % 3) switch
            {
                0 => new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = podSpec },
                1 => new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["metadata"] = metadata, ["spec"] = new JsonObject { ["template"] = Template() } },
                _ => new JsonObject
                {
                    ["apiVersion"] = "batch/v1",
                    ["kind"] = "CronJob",
                    ["metadata"] = metadata,
                    ["spec"] = new JsonObject
                    {
                        ["schedule"] = "0 3 * * *",
                        ["jobTemplate"] = new JsonObject { ["spec"] = new JsonObject { ["template"] = Template() } },
                    },
                },
            });
        }

        return resources;
    }

    private static JsonObject Container(string name, string image, int port, int i) => new()
    {
        ["name"] = name,
        ["image"] = image,
        ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = port }),
        ["securityContext"] = new JsonObject { ["allowPrivilegeEscalation"] = i % 9 == 0 },
        ["resources"] = i % 13 == 0
            ? new JsonObject()
            : new JsonObject
            {
                ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "64Mi" },
                ["limits"] = new JsonObject { ["memory"] = "64Mi" },
            },
    };

    private static (IReadOnlyList<ClusterPolicy> Policies, EvaluationContext Context) Setup()
    {
        var policies = ClusterPolicy.Load(RepoPaths.InRepo("samples", "delivery-repo", "policies"))
            .Where(p => p.Unsupported.Count == 0)
            .Append(Support.Policy(LibraryPolicy))
            .ToList();
        var clock = new DateTimeOffset(2031, 5, 1, 0, 0, 0, TimeSpan.Zero);
        return (policies, new EvaluationContext { Clock = () => clock });
    }

    [Test]
    public void EvaluateAll_in_parallel_gives_the_results_of_one_by_one_evaluation_in_the_same_order()
    {
        var (policies, context) = Setup();
        var resources = Resources(600);

        var sequential = resources.SelectMany(r => PolicyEngine.Evaluate(policies, r, context)).ToList();
        var parallel = PolicyEngine.EvaluateAll(policies, resources, context);

        Assert.Multiple(() =>
        {
            Assert.That(parallel, Is.EqualTo(sequential));
            // Not a vacuous comparison: both node-query and library rules passed and failed, and the clock was read.
            Assert.That(sequential.Select(r => (r.Policy, r.Status)).Distinct().Count(), Is.GreaterThanOrEqualTo(12));
            Assert.That(sequential.Where(r => r.Rule == "first-container-named").Select(r => r.Status).Distinct(), Is.SupersetOf(new[] { RuleStatus.Pass, RuleStatus.Fail }));
            Assert.That(sequential.Where(r => r.Rule == "ports-in-range").Select(r => r.Status).Distinct(), Is.SupersetOf(new[] { RuleStatus.Pass, RuleStatus.Fail }));
            Assert.That(sequential.Where(r => r.Policy == "restrict-image-registries").Select(r => r.Status).Distinct(), Is.SupersetOf(new[] { RuleStatus.Pass, RuleStatus.Fail }));
            Assert.That(sequential.Any(r => r.Message.Contains("sidecar-", StringComparison.Ordinal)), Is.True);
        });
    }

    [Test]
    public void Concurrent_EvaluateAll_calls_on_shared_policies_agree_with_each_other()
    {
        var (policies, context) = Setup();
        var resources = Resources(200);
        var expected = resources.SelectMany(r => PolicyEngine.Evaluate(policies, r, context)).ToList();

        var runs = new IReadOnlyList<RuleResult>[6];
        Parallel.For(0, runs.Length, new ParallelOptions { MaxDegreeOfParallelism = runs.Length }, i => runs[i] = PolicyEngine.EvaluateAll(policies, resources, context));

        Assert.That(runs, Has.All.EqualTo(expected));
    }

    [Test]
    public void JmesPath_library_evaluation_is_safe_from_many_threads_at_once()
    {
        string[] expressions =
        [
            "sort_by(items, &name)[].name", "items[0:2].name", "split(items[0].name, '-')", "max_by(items, &size).name",
            "map(&to_upper(name), items)", "length(items[?size > `2`])", "join(',', items[].name)",
            // '$' reads the root the library stored in the parsed expression when the evaluation began.
            "items[0:3][?size >= $.min].name", "sort_by(items, &name)[?size >= $.min] | [0].name",
        ];
        var queries = expressions.Select(JmesPathRuntime.Shared.Compile).ToArray();
        var documents = Enumerable.Range(0, 50)
            .Select(i => JsonBridge.ToToken(JsonNode.Parse($$"""{"min": {{i % 4}}, "items": [{"name": "b-{{i}}", "size": {{i % 5}}}, {"name": "a-{{i}}", "size": {{i % 3}}}, {"name": "c-{{i}}", "size": {{i % 7}}}]}""")))
            .ToArray();
        string Evaluate(int q, int d) => queries[q].EvaluateLibrary(documents[d].DeepClone(), JmesPathRuntime.Current)?.ToString(Formatting.None) ?? "<null>";
        var expected = new string[queries.Length * documents.Length];
        for (var i = 0; i < expected.Length; i++)
        {
            expected[i] = Evaluate(i % queries.Length, i / queries.Length);
        }

        var actual = new string[expected.Length * 40];
        Parallel.For(0, actual.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var slot = i % expected.Length;
            actual[i] = Evaluate(slot % queries.Length, slot / queries.Length);
        });

        Assert.That(actual, Is.EqualTo(Enumerable.Range(0, 40).SelectMany(_ => expected)));
    }
}
