using System.Text.Json.Nodes;
using Handoff.Policy.Yaml;

namespace Handoff.Policy.Tests;

internal static class Support
{
    public static JsonNode Yaml(string yaml) => YamlJsonReader.Read(yaml, "test.yaml")[0].Root;

    public static ClusterPolicy Policy(string yaml)
    {
        var document = YamlJsonReader.Read(yaml, "policy.yaml")[0];
        return Loading.PolicyParser.Parse(document.Root, document.Map, "policy.yaml");
    }

    public static IReadOnlyList<RuleResult> Evaluate(string policyYaml, string resourceYaml, EvaluationContext? context = null) =>
        PolicyEngine.Evaluate([Policy(policyYaml)], Yaml(resourceYaml), context ?? new EvaluationContext());

    /// <summary>A ClusterPolicy with one validate rule on Pods; <paramref name="validate"/> is the indented body of validate.</summary>
    public static string PodRule(string validate, string extra = "", string annotations = "") => $"""
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata:
          name: test-policy
        {annotations}
        spec:
          validationFailureAction: Enforce
          rules:
          - name: check
            match:
              any:
              - resources:
                  kinds: [Pod]
        {extra}
            validate:
        {validate}
        """;

    public static string Pod(string spec, string name = "pod", string metadata = "") => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
          namespace: default
        {metadata}
        spec:
        {spec}
        """;
}
