using System.Text.Json.Nodes;

namespace Handoff.Policy.Tests;

public sealed class MatchAndAutogenTests
{
    private static string Policy(string match, string exclude = "", string annotations = "", string kind = "ClusterPolicy", string ns = "") => $"""
        apiVersion: kyverno.io/v1
        kind: {kind}
        metadata:
          name: p
        {ns}
        {annotations}
        spec:
          rules:
          - name: r
            match:
        {match}
        {exclude}
            validate:
              pattern:
                metadata:
                  labels:
                    team: "?*"
        """;

    private static JsonNode Resource(string kind, string name, string? ns = "default", string apiVersion = "v1", string labels = "{}", string annotations = "{}") => Support.Yaml($$"""
        apiVersion: {{apiVersion}}
        kind: {{kind}}
        metadata:
          name: {{name}}
          {{(ns is null ? "" : "namespace: " + ns)}}
          labels: {{labels}}
          annotations: {{annotations}}
        spec:
          template:
            metadata:
              labels: {}
            spec:
              containers: []
        """);

    private static IReadOnlyList<RuleResult> Run(string policy, JsonNode resource, EvaluationContext? context = null) =>
        PolicyEngine.Evaluate([Support.Policy(policy)], resource, context ?? new EvaluationContext());

    [Test]
    public void Kinds_accept_group_version_kind_forms_and_wildcards()
    {
        var deployment = Resource("Deployment", "d", apiVersion: "apps/v1");

        Assert.Multiple(() =>
        {
            Assert.That(Run(Policy("      any:\n      - resources:\n          kinds: [apps/v1/Deployment]"), deployment), Has.Count.EqualTo(1));
            Assert.That(Run(Policy("      any:\n      - resources:\n          kinds: [v1/Deployment]"), deployment), Has.Count.EqualTo(1));
            Assert.That(Run(Policy("      any:\n      - resources:\n          kinds: [batch/v1/Deployment]"), deployment), Is.Empty);
            Assert.That(Run(Policy("      any:\n      - resources:\n          kinds: ['*']"), deployment), Has.Count.EqualTo(1));
            Assert.That(Run(Policy("      any:\n      - resources:\n          kinds: [Deployment/scale]"), deployment), Is.Empty, "subresource rules do not apply to manifests");
        });
    }

    [Test]
    public void Names_namespaces_annotations_and_selectors_filter_with_wildcards()
    {
        var cm = Resource("ConfigMap", "app-config", ns: "team-a", labels: "{tier: web}", annotations: "{owner: alice}");

        Assert.Multiple(() =>
        {
            Assert.That(Run(Policy("      any:\n      - resources:\n          kinds: [ConfigMap]\n          names: ['app-*']"), cm), Has.Count.EqualTo(1));
            Assert.That(Run(Policy("      any:\n      - resources:\n          kinds: [ConfigMap]\n          names: ['db-*']"), cm), Is.Empty);
            Assert.That(Run(Policy("      any:\n      - resources:\n          kinds: [ConfigMap]\n          namespaces: ['team-?']"), cm), Has.Count.EqualTo(1));
            Assert.That(Run(Policy("      any:\n      - resources:\n          kinds: [ConfigMap]\n          annotations: {owner: 'al*'}"), cm), Has.Count.EqualTo(1));
            Assert.That(Run(Policy("      any:\n      - resources:\n          kinds: [ConfigMap]\n          selector:\n            matchLabels: {tier: web}"), cm), Has.Count.EqualTo(1));
            Assert.That(Run(Policy("      any:\n      - resources:\n          kinds: [ConfigMap]\n          selector:\n            matchExpressions:\n            - {key: tier, operator: NotIn, values: [web]}"), cm), Is.Empty);
            Assert.That(Run(Policy("      resources:\n        kinds: [ConfigMap]\n        names: [app-config]"), cm), Has.Count.EqualTo(1), "legacy flat form");
            Assert.That(Run(Policy("      all:\n      - resources:\n          kinds: [ConfigMap]\n      - resources:\n          namespaces: [other]"), cm), Is.Empty);
        });
    }

    [Test]
    public void NamespaceSelector_uses_labels_of_Namespace_manifests_in_the_input()
    {
        var policy = Policy("      any:\n      - resources:\n          kinds: [ConfigMap]\n          namespaceSelector:\n            matchLabels: {env: prod}");
        var prodNs = Support.Yaml("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    env: prod\n");
        var cm = Resource("ConfigMap", "c", ns: "shop");
        var other = Resource("ConfigMap", "c", ns: "dev");

        var results = PolicyEngine.EvaluateAll([Support.Policy(policy)], [prodNs, cm, other], new EvaluationContext());

        Assert.That(results.Select(r => r.Resource.Namespace), Is.EqualTo(new[] { "shop" }));
    }

    [Test]
    public void Exclude_and_operations_remove_resources()
    {
        var cm = Resource("ConfigMap", "c", ns: "kube-system");
        var match = "      any:\n      - resources:\n          kinds: [ConfigMap]";

        Assert.Multiple(() =>
        {
            Assert.That(Run(Policy(match, exclude: "    exclude:\n      any:\n      - resources:\n          namespaces: [kube-*]"), cm), Is.Empty);
            Assert.That(Run(Policy(match, exclude: "    exclude:\n      any:\n      - clusterRoles: [cluster-admin]"), cm), Has.Count.EqualTo(1),
                "user information is unknown offline, so it never excludes");
            Assert.That(Run(Policy("      any:\n      - resources:\n          kinds: [ConfigMap]\n          operations: [UPDATE]"), cm), Is.Empty, "resources are evaluated as CREATE");
        });
    }

    [Test]
    public void A_namespaced_Policy_only_applies_in_its_namespace()
    {
        var policy = Policy("      any:\n      - resources:\n          kinds: [ConfigMap]", kind: "Policy", ns: "  namespace: team-a");

        Assert.Multiple(() =>
        {
            Assert.That(Run(policy, Resource("ConfigMap", "c", ns: "team-a")), Has.Count.EqualTo(1));
            Assert.That(Run(policy, Resource("ConfigMap", "c", ns: "team-b")), Is.Empty);
        });
    }

    [Test]
    public void Pod_rules_are_generated_for_controllers_with_Kyverno_rule_names()
    {
        var policy = Support.Policy(Policy("      any:\n      - resources:\n          kinds: [Pod]"));

        Assert.That(policy.RuleNames, Is.EqualTo(new[] { "r", "autogen-r", "autogen-cronjob-r" }));

        var deployment = Support.Yaml("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: d
              namespace: default
            spec:
              template:
                metadata:
                  labels:
                    team: web
                spec:
                  containers: []
            """);
        var cronJob = Support.Yaml("""
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: c
              namespace: default
            spec:
              jobTemplate:
                spec:
                  template:
                    metadata:
                      labels: {}
                    spec:
                      containers: []
            """);

        var deploymentResult = PolicyEngine.Evaluate([policy], deployment, new EvaluationContext()).Single();
        var cronResult = PolicyEngine.Evaluate([policy], cronJob, new EvaluationContext()).Single();

        Assert.Multiple(() =>
        {
            Assert.That(deploymentResult.Rule, Is.EqualTo("autogen-r"));
            Assert.That(deploymentResult.Status, Is.EqualTo(RuleStatus.Pass), "the pattern is checked on spec.template");
            Assert.That(cronResult.Rule, Is.EqualTo("autogen-cronjob-r"));
            Assert.That(cronResult.Status, Is.EqualTo(RuleStatus.Fail));
            Assert.That(cronResult.Path, Is.EqualTo("/spec/jobTemplate/spec/template/metadata/labels/team/"));
            Assert.That(cronResult.SourceRule, Is.EqualTo("r"));
        });
    }

    [TestCase("none", new[] { "r" })]
    [TestCase("Deployment", new[] { "r", "autogen-r" })]
    [TestCase("CronJob", new[] { "r", "autogen-cronjob-r" })]
    [TestCase("Deployment,StatefulSet,CronJob", new[] { "r", "autogen-r", "autogen-cronjob-r" })]
    public void The_autogen_controllers_annotation_restricts_generation(string controllers, string[] rules)
    {
        var policy = Support.Policy(Policy("      any:\n      - resources:\n          kinds: [Pod]",
            annotations: $"  annotations:\n    pod-policies.kyverno.io/autogen-controllers: {controllers}"));

        Assert.That(policy.RuleNames, Is.EqualTo(rules));
    }

    [TestCase("      any:\n      - resources:\n          kinds: [Pod]\n          names: [web-*]")]
    [TestCase("      any:\n      - resources:\n          kinds: [Pod]\n          selector:\n            matchLabels: {a: b}")]
    [TestCase("      any:\n      - resources:\n          kinds: [Pod, Service]")]
    public void Autogen_is_not_done_when_names_selectors_or_mixed_kinds_are_matched(string match) =>
        Assert.That(Support.Policy(Policy(match)).RuleNames, Is.EqualTo(new[] { "r" }));

    [Test]
    public void Autogen_rewrites_request_object_paths_in_deny_conditions()
    {
        var policy = Support.Policy(Support.PodRule("""
                  deny:
                    conditions:
                      any:
                      - key: "{{ request.object.spec.hostNetwork || `false` }}"
                        operator: Equals
                        value: true
            """));
        var deployment = Support.Yaml("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: d
              namespace: default
            spec:
              template:
                spec:
                  hostNetwork: true
                  containers: []
            """);

        var result = PolicyEngine.Evaluate([policy], deployment, new EvaluationContext()).Single();

        Assert.Multiple(() =>
        {
            Assert.That(result.Rule, Is.EqualTo("autogen-check"));
            Assert.That(result.Status, Is.EqualTo(RuleStatus.Fail));
        });
    }
}
