using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Policy.Yaml;

namespace Handoff.Policy.Testing;

/// <summary>One expectation of a kyverno-test.yaml <c>results[]</c> entry.</summary>
internal sealed record TestExpectation(string Policy, string Rule, string? Kind, string? Namespace, IReadOnlyList<string> Resources, string Result, bool IsValidatingAdmissionPolicy);

/// <summary>A kyverno-test.yaml (cli.kyverno.io/v1alpha1 Test, or the older untyped format).</summary>
internal sealed class KyvernoTestFile
{
    public required string Path { get; init; }
    public required string Name { get; init; }
    public required IReadOnlyList<string> Policies { get; init; }
    public required IReadOnlyList<string> Resources { get; init; }
    public string? Variables { get; init; }
    public required IReadOnlyList<TestExpectation> Expectations { get; init; }

    public string Directory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;

    public static KyvernoTestFile Load(string path)
    {
        var documents = YamlJsonReader.ReadFile(path);
        if (documents.Count != 1 || documents[0].Root is not JsonObject root)
        {
            throw new InputFileException(path, 1, 1, "a kyverno test file must hold exactly one mapping (policies, resources, results).", null);
        }

        var map = documents[0].Map;
        var kind = Text(root["kind"]);
        if (kind is not null && kind != "Test")
        {
            throw map.Error(root, $"expected kind Test (apiVersion cli.kyverno.io/v1alpha1), found '{kind}'.", null);
        }

        var name = Text(root["metadata"]?["name"]) ?? Text(root["name"]) ?? System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(path)) ?? path;
        var policies = Strings(root["policies"]);
        if (policies.Count == 0)
        {
            throw map.Error(root, "the test lists no policies.", "Add 'policies:' with the policy files, relative to this file.");
        }

        var results = root["results"] as JsonArray ?? throw map.Error(root, "the test has no results.", "Add 'results:' with the expected policy/rule/resource outcomes.");
        var expectations = new List<TestExpectation>();
        foreach (var entry in results)
        {
            if (entry is not JsonObject result)
            {
                throw map.Error(entry, "each results entry must be a mapping.", null);
            }

            var isVap = result["isValidatingAdmissionPolicy"] is JsonValue v && v.GetValueKind() == JsonValueKind.True;
            var policy = Text(result["policy"]) ?? throw map.Error(result, "a results entry has no policy.", null);
            var rule = Text(result["rule"]) ?? (isVap ? "" : throw map.Error(result, $"the results entry for policy '{policy}' has no rule.", null));
            var expected = (Text(result["result"]) ?? Text(result["status"]))?.ToLowerInvariant()
                ?? throw map.Error(result, $"the results entry for {policy}/{rule} has no result.", "Add result: pass, fail, skip, warn or error.");
            if (expected is not ("pass" or "fail" or "skip" or "warn" or "error"))
            {
                throw map.Error(result["result"] ?? result["status"], $"'{expected}' is not a result.", "Use pass, fail, skip, warn or error.");
            }

            var resources = Strings(result["resources"]);
            if (resources.Count == 0 && Text(result["resource"]) is { } single)
            {
                resources = [single];
            }

            if (resources.Count == 0)
            {
                throw map.Error(result, $"the results entry for {policy}/{rule} names no resources.", "Add 'resources:' with the resource names.");
            }

            expectations.Add(new TestExpectation(policy, rule, Text(result["kind"]), Text(result["namespace"]), resources, expected, isVap));
        }

        return new KyvernoTestFile
        {
            Path = path,
            Name = name,
            Policies = policies,
            Resources = Strings(root["resources"]),
            Variables = Text(root["variables"]) ?? Text(root["values"]),
            Expectations = expectations,
        };
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static List<string> Strings(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(Text).Where(s => s is not null).Select(s => s!).ToList(),
        _ when Text(node) is { } single => [single],
        _ => [],
    };
}

/// <summary>A Kyverno values/variables file: global values, per policy/rule/resource values, namespace labels.</summary>
internal static class KyvernoValuesFile
{
    public static void Apply(string path, EvaluationContext context)
    {
        var documents = YamlJsonReader.ReadFile(path);
        if (documents.Count == 0)
        {
            return;
        }

        if (documents[0].Root is not JsonObject root)
        {
            throw documents[0].Map.Error(documents[0].Root, "a values file must be a mapping (globalValues, policies, namespaceSelector).", null);
        }

        foreach (var (key, value) in root["globalValues"] as JsonObject ?? [])
        {
            context.WithGlobalValue(key, value?.DeepClone());
        }

        foreach (var policy in (root["policies"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = policy["name"]?.GetValue<string>() ?? throw documents[0].Map.Error(policy, "a policies entry of the values file has no name.", null);
            foreach (var rule in (policy["rules"] as JsonArray ?? []).OfType<JsonObject>())
            {
                context.WithValues(name, rule["name"]?.GetValue<string>(), null, Values(rule["values"]));
            }

            foreach (var resource in (policy["resources"] as JsonArray ?? []).OfType<JsonObject>())
            {
                context.WithValues(name, null, resource["name"]?.GetValue<string>(), Values(resource["values"]));
            }
        }

        foreach (var ns in (root["namespaceSelector"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var labels = (ns["labels"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value is JsonValue lv && lv.TryGetValue<string>(out var s) ? s : p.Value?.ToJsonString() ?? "");
            context.WithNamespaceLabels(ns["name"]?.GetValue<string>() ?? "", labels);
        }
    }

    private static IReadOnlyDictionary<string, JsonNode?> Values(JsonNode? node) =>
        (node as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value?.DeepClone());
}
