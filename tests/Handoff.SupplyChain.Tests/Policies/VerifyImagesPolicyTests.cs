using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.SupplyChain.Provenance;
using Handoff.SupplyChain.Signing;
using Handoff.Testing;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Handoff.SupplyChain.Tests.Policies;

public class VerifyImagesPolicyTests
{
    private static string PolicyPath => RepoPaths.InRepo("samples", "delivery-repo", "policies", "verify-images.yaml");

    private static JsonNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return ToJson(stream.Documents.Single().RootNode)!;
    }

    [Test]
    public void The_policy_is_a_valid_kyverno_cluster_policy()
    {
        var schemaText = File.ReadAllText(Path.Combine(RepoPaths.Shared("k8s-json-schema", "schemas"), "clusterpolicy-kyverno-v1.json"));
        var schemaNode = JsonNode.Parse(schemaText)!.AsObject();
        schemaNode.Remove("$schema");
        // The schema file names no usable dialect and carries Kubernetes' x- keywords: draft-07 reads it as kubeconform does.
        var schema = JsonSchema.FromText(schemaNode.ToJsonString(), new BuildOptions { Dialect = Dialect.Draft07, SchemaRegistry = new SchemaRegistry() });
        var policy = Load(File.ReadAllText(PolicyPath));

        var result = schema.Evaluate(JsonSerializer.SerializeToElement(policy), new EvaluationOptions { OutputFormat = OutputFormat.List });

        var errors = (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).ToList();
        Assert.That(result.IsValid, Is.True, string.Join("\n", errors));

        // The schema does catch mistakes: an invalid failure action is rejected.
        var broken = Load(File.ReadAllText(PolicyPath).Replace("failureAction: Enforce", "failureAction: Block"));
        Assert.That(schema.Evaluate(JsonSerializer.SerializeToElement(broken)).IsValid, Is.False);
    }

    [Test]
    public void It_requires_key_signed_slsa_v1_provenance_from_the_expected_builder()
    {
        var policy = Load(File.ReadAllText(PolicyPath));

        Assert.That(((string?)policy["apiVersion"], (string?)policy["kind"]), Is.EqualTo(("kyverno.io/v1", "ClusterPolicy")));
        var verify = policy["spec"]!["rules"]![0]!["verifyImages"]![0]!;
        Assert.That((string?)verify["failureAction"], Is.EqualTo("Enforce"));
        Assert.That((bool?)verify["required"], Is.True);
        var attestation = verify["attestations"]![0]!;
        Assert.That((string?)attestation["type"], Is.EqualTo(Slsa.ProvenancePredicateType));
        var keys = attestation["attestors"]![0]!["entries"]![0]!["keys"]!;
        Assert.That((string?)keys["publicKeys"], Does.StartWith("-----BEGIN PUBLIC KEY-----").And.EndWith("-----END PUBLIC KEY-----"));
        Assert.That((bool?)keys["rekor"]!["ignoreTlog"], Is.True);
        var conditions = attestation["conditions"]![0]!["all"]!.AsArray();
        Assert.That(conditions.Select(c => (string?)c!["key"]), Is.EquivalentTo(new[] { "{{ runDetails.builder.id }}", "{{ buildDefinition.buildType }}" }));
        Assert.That((string?)conditions.Single(c => (string?)c!["key"] == "{{ buildDefinition.buildType }}")!["value"], Is.EqualTo(Slsa.HandoffBuildType));
    }

    [Test]
    public void A_generated_public_key_pasted_as_documented_is_read_back_intact()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = key.ExportSubjectPublicKeyInfoPem();
        var yaml = File.ReadAllText(PolicyPath);
        var placeholderStart = yaml.IndexOf("                          -----BEGIN PUBLIC KEY-----", StringComparison.Ordinal);
        var placeholderEnd = yaml.IndexOf("-----END PUBLIC KEY-----", placeholderStart, StringComparison.Ordinal) + "-----END PUBLIC KEY-----".Length;
        Assert.That(placeholderStart, Is.GreaterThan(0), "the placeholder key block is where the comment says");
        // What `sed -e 's/^/                          /' .handoff/signing-key.pub` prints.
        var indented = string.Join("\n", pem.Split('\n').Select(l => "                          " + l));
        var filled = yaml[..placeholderStart] + indented + yaml[placeholderEnd..];

        var publicKeys = (string)Load(filled)["spec"]!["rules"]![0]!["verifyImages"]![0]!["attestations"]![0]!["attestors"]![0]!["entries"]![0]!["keys"]!["publicKeys"]!;

        using var verifier = EcdsaP256Verifier.FromPem(publicKeys, "policy");
        Assert.That(verifier.KeyId, Is.EqualTo(KeyIds.Of(key)));
    }

    /// <summary>YAML 1.2 core schema for plain scalars: enough to feed a JSON schema validator.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode { Style: ScalarStyle.Plain } s when s.Value is "true" or "false" => JsonValue.Create(s.Value == "true"),
        YamlScalarNode { Style: ScalarStyle.Plain } s when s.Value is null or "" or "null" or "~" => null,
        YamlScalarNode { Style: ScalarStyle.Plain } s when long.TryParse(s.Value, out var n) => JsonValue.Create(n),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => throw new InvalidOperationException(node.GetType().Name),
    };
}
