using System.Diagnostics;
using System.Text.Json.Nodes;
using Handoff.Testing;

namespace Handoff.Policy.Tests;

public sealed class PolicyTestCommandTests
{
    private const string PolicyYaml = """
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata:
          name: require-team
        spec:
          validationFailureAction: Enforce
          rules:
          - name: team-label
            match:
              any:
              - resources:
                  kinds: [Pod]
                  namespaceSelector:
                    matchLabels:
                      guarded: "yes"
            validate:
              message: "team label required"
              pattern:
                metadata:
                  labels:
                    team: "?*"
        """;

    private const string ResourcesYaml = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: good
          namespace: shop
          labels:
            team: web
        spec:
          containers: []
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: bad
          namespace: shop
        spec:
          containers: []
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: unguarded
          namespace: sandbox
        spec:
          containers: []
        """;

    private static TempDirectory Project(string results, string? values = null)
    {
        var dir = new TempDirectory("policy-test");
        dir.Write("policies/require-team.yaml", PolicyYaml);
        dir.Write("policies/.kyverno-test/resources.yaml", ResourcesYaml);
        if (values is not null)
        {
            dir.Write("policies/.kyverno-test/values.yaml", values);
        }

        dir.Write("policies/.kyverno-test/kyverno-test.yaml", $"""
            apiVersion: cli.kyverno.io/v1alpha1
            kind: Test
            metadata:
              name: team-test
            policies:
            - ../require-team.yaml
            resources:
            - resources.yaml
            {(values is null ? "" : "variables: values.yaml")}
            results:
            {results}
            """);
        return dir;
    }

    private const string Values = """
        apiVersion: cli.kyverno.io/v1alpha1
        kind: Values
        namespaceSelector:
        - name: shop
          labels:
            guarded: "yes"
        """;

    [Test]
    public void Prints_one_line_per_expectation_and_the_summary_and_returns_zero()
    {
        using var dir = Project("""
            - policy: require-team
              rule: team-label
              kind: Pod
              resources: [good]
              result: pass
            - policy: require-team
              rule: team-label
              kind: Pod
              resources: [shop/bad]
              result: fail
            - policy: require-team
              rule: team-label
              kind: Pod
              resources: [unguarded]
              result: skip
            """, Values);
        var output = new StringWriter();

        var exit = PolicyTestCommand.Run(dir.Path, output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(0), output.ToString());
            Assert.That(lines.Count(l => l.StartsWith("PASS ", StringComparison.Ordinal)), Is.EqualTo(3));
            Assert.That(lines, Does.Contain("PASS require-team/team-label Pod/shop/bad: expected fail -> actual fail"));
            Assert.That(lines[^1], Is.EqualTo("3 passed, 0 failed"));
        });
    }

    [Test]
    public void A_wrong_expectation_is_reported_with_the_actual_result_and_fails_the_run()
    {
        using var dir = Project("""
            - policy: require-team
              rule: team-label
              kind: Pod
              resources: [bad]
              result: pass
            - policy: require-team
              rule: no-such-rule
              kind: Pod
              resources: [good]
              result: pass
            - policy: require-team
              rule: team-label
              kind: Pod
              resources: [missing-pod]
              result: pass
            """, Values);
        var output = new StringWriter();

        var exit = PolicyTestCommand.Run(dir.Path, output);

        var text = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(text, Does.Contain("FAIL require-team/team-label Pod/shop/bad: expected pass -> actual fail (validation error: team label required. rule team-label failed at path /metadata/labels/)"));
            Assert.That(text, Does.Contain("has no rule 'no-such-rule'"));
            Assert.That(text, Does.Contain("no such resource"));
            Assert.That(text.TrimEnd(), Does.EndWith("0 passed, 3 failed"));
        });
    }

    [Test]
    public void Without_namespace_labels_the_namespaceSelector_does_not_match_and_the_rule_is_skipped()
    {
        using var dir = Project("""
            - policy: require-team
              rule: team-label
              kind: Pod
              resources: [bad]
              result: skip
            """);
        var output = new StringWriter();

        Assert.That(PolicyTestCommand.Run(dir.Path, output), Is.EqualTo(0), output.ToString());
    }

    [Test]
    public void The_older_untyped_test_format_with_a_single_resource_is_supported()
    {
        using var dir = new TempDirectory("policy-test");
        dir.Write("policy.yaml", string.Join('\n', PolicyYaml.Split('\n').Where(l => !l.Contains("namespaceSelector") && !l.Contains("matchLabels") && !l.Contains("guarded"))));
        dir.Write("resources.yaml", ResourcesYaml);
        dir.Write("kyverno-test.yaml", """
            name: legacy
            policies:
            - policy.yaml
            resources:
            - resources.yaml
            results:
            - policy: require-team
              rule: team-label
              resource: bad
              status: fail
            """);
        var output = new StringWriter();

        var exit = PolicyTestCommand.Run(dir.Path, output);

        Assert.That(exit, Is.EqualTo(0), output.ToString());
    }

    [Test]
    public void A_broken_test_file_is_a_clear_error_not_a_crash()
    {
        using var dir = new TempDirectory("policy-test");
        dir.Write("kyverno-test.yaml", "policies:\n- missing.yaml\nresources: []\nresults:\n- policy: p\n  rule: r\n  resources: [x]\n  result: pass\n");
        var output = new StringWriter();

        var exit = PolicyTestCommand.Run(dir.Path, output);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(output.ToString(), Does.Contain("ERROR").And.Contain("missing.yaml: no such file or folder"));
            Assert.That(output.ToString().TrimEnd(), Does.EndWith("0 passed, 1 failed"));
        });
    }

    [Test]
    public void A_folder_without_tests_fails_with_a_hint()
    {
        using var dir = new TempDirectory("policy-test");
        var output = new StringWriter();

        Assert.Multiple(() =>
        {
            Assert.That(PolicyTestCommand.Run(dir.Path, output), Is.EqualTo(1));
            Assert.That(output.ToString(), Does.Contain("no kyverno-test.yaml found"));
        });
    }

    [Test]
    public void The_guardrail_policies_pass_their_own_kyverno_test()
    {
        var output = new StringWriter();

        var exit = PolicyTestCommand.Run(RepoPaths.InRepo("samples", "delivery-repo", "policies"), output);

        var text = output.ToString();
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(0), text);
            Assert.That(text, Does.Not.Contain("FAIL "));
            Assert.That(text, Does.Match(@"\n[1-9][0-9]* passed, 0 failed"));
        });
    }

    [Test]
    public void The_guardrail_policies_are_all_Enforce_ClusterPolicies_without_unsupported_rules()
    {
        var policies = ClusterPolicy.Load(RepoPaths.InRepo("samples", "delivery-repo", "policies"))
            .Where(p => Path.GetFileName(p.SourceFile) != "verify-images.yaml").ToList();

        Assert.Multiple(() =>
        {
            Assert.That(policies.Select(p => p.Name), Is.SupersetOf(new[]
            {
                "require-image-digest", "disallow-latest-tag", "disallow-privileged", "require-run-as-non-root",
                "require-resources", "require-labels", "restrict-image-registries",
            }));
            Assert.That(policies.All(p => p.Kind == "ClusterPolicy" && p.FailureAction == FailureAction.Enforce), Is.True);
            Assert.That(policies.SelectMany(p => p.Unsupported), Is.Empty);
        });
    }
}
