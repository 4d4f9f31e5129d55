using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Testing;
using Handoff.Validation.Loading;
using Handoff.Validation.Schemas;
using Handoff.Validation.Tests.Support;
using Handoff.Validation.Validation;

namespace Handoff.Validation.Tests.Schemas;

/// <summary>
/// The compiled evaluator must give JsonSchema.Net's verdict for every (schema, document) pair: real
/// Kubernetes and CRD schemas against their fixtures and every single-field mutation of them, each
/// keyword against its boundary values, and random schemas against random documents. Invalid documents
/// must still be explained by JsonSchema.Net.
/// </summary>
[TestFixture]
public sealed class CompiledSchemaDifferentialTests
{
    private static readonly JsonNode?[] Replacements =
    [
        "x", "", "0", "true", "ALL", 0, 1, -1, 1.5, 65536, long.MaxValue, true, false, null, new JsonObject(), new JsonArray(), new JsonArray("x"),
        new JsonObject { ["name"] = "x" }, new JsonArray(new JsonObject { ["name"] = "x", ["containerPort"] = 80 }),
    ];

    [TestCase(true)]
    [TestCase(false)]
    public void Kubernetes_schemas_agree_on_fixtures_and_every_mutation_of_them(bool strict)
    {
        using var registry = Registry(strict);
        var documents = new ManifestLoader().Load([Fixtures.KubeconformFixtures, Path.Combine(RepoPaths.Root, "samples", "delivery-repo", "apps")]).Documents
            .Where(d => d.Identity.Kind is not null && !CrdSchemaGenerator.IsCustomResourceDefinition(d.Identity))
            .ToList();
        registry.AddCustomResourceDefinitions(new ManifestLoader().Load([Fixtures.KubeconformFixtures]).Documents);

        var tally = new Tally();
        foreach (var document in documents)
        {
            var lookup = registry.Resolve(new SchemaKey(document.Identity.ApiVersion!, document.Identity.Kind!));
            if (lookup.Schema is not { } schema)
            {
                continue;
            }

            Assert.That(schema.IsCompiled, Is.True, $"{schema.Origin} is not compiled");
            foreach (var mutant in Mutants(JsonNode.Parse(document.Element.GetRawText())!))
            {
                tally.Compare(schema, mutant, document.ToString());
            }
        }

        tally.AssertMeaningful(minimumSchemas: 8);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Crd_generated_schemas_agree_on_custom_resources_and_their_mutations(bool strict)
    {
        using var registry = Registry(strict);
        registry.AddCustomResourceDefinitions(Fixtures.Load(GadgetCrd).Documents);
        var schema = registry.Resolve(new SchemaKey("example.com/v1", "Gadget")).Schema!;
        Assert.That(schema.IsCompiled, Is.True);
        var resource = Fixtures.Single("""
            apiVersion: example.com/v1
            kind: Gadget
            metadata: {name: g, labels: {a: b}}
            spec:
              size: small
              port: 8080
              owner: null
              replicas: 3
              ratio: 0.5
              name: gadget-1
              tags: [a, b]
              settings: {anything: [1, {x: y}]}
              template: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: []}}
              source: {git: {url: "https://example.com/r.git"}}
              window: {start: "2024-01-02T03:04:05Z", every: 1h30m}
            """);

        var tally = new Tally();
        foreach (var mutant in Mutants(JsonNode.Parse(resource.Element.GetRawText())!))
        {
            tally.Compare(schema, mutant, "Gadget");
        }

        tally.AssertMeaningful(minimumSchemas: 1);
    }

    private const string GadgetCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gadgets.example.com}
        spec:
          group: example.com
          names: {kind: Gadget, plural: gadgets}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    required: [size, name]
                    properties:
                      size: {type: string, enum: [small, large]}
                      port: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
                      owner: {type: string, nullable: true}
                      replicas: {type: integer, format: int32, minimum: 1, maximum: 10}
                      ratio: {type: number, exclusiveMinimum: 0, maximum: 1, multipleOf: 0.25}
                      name: {type: string, pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", minLength: 1, maxLength: 63}
                      tags: {type: array, items: {type: string}, maxItems: 3, uniqueItems: true, x-kubernetes-list-type: set}
                      settings: {type: object, x-kubernetes-preserve-unknown-fields: true}
                      template: {type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}
                      source:
                        type: object
                        oneOf: [{required: [git]}, {required: [oci]}]
                        properties:
                          git: {type: object, properties: {url: {type: string, format: uri}}, required: [url]}
                          oci: {type: object, properties: {ref: {type: string}}}
                        not: {required: [git, oci]}
                      window:
                        type: object
                        properties:
                          start: {type: string, format: date-time}
                          every: {type: string, format: duration}
                        additionalProperties: false
        """;

    [Test]
    public void Shared_schemas_agree_on_documents_generated_from_them()
    {
        using var registry = Registry(strict: true);
        var files = Directory.GetFiles(Fixtures.Schemas, "*.json").Order(StringComparer.Ordinal).Where((_, i) => i % 23 == 0).ToList();
        var tally = new Tally();
        var random = new Random(7);
        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var key = KeyFor(name);
            if (key is null || registry.Resolve(key.Value).Schema is not { } schema)
            {
                continue;
            }

            var schemaJson = JsonNode.Parse(File.ReadAllText(file))!;
            for (var i = 0; i < 3; i++)
            {
                var generated = DocumentGenerator.FromSchema(schemaJson, random, depth: 0) ?? new JsonObject();
                foreach (var mutant in Mutants(generated).Take(400))
                {
                    tally.Compare(schema, mutant, file);
                }
            }
        }

        tally.AssertMeaningful(minimumSchemas: 20);
    }

    [Test]
    public void Each_keyword_agrees_at_its_boundaries()
    {
        var tally = new Tally();
        foreach (var (schemaText, instances) in KeywordCases.All)
        {
            var schema = Compile(schemaText);
            Assert.That(schema.IsCompiled, Is.True, schemaText);
            foreach (var instance in instances)
            {
                tally.Compare(schema, JsonNode.Parse(instance), schemaText);
            }
        }

        tally.AssertMeaningful(minimumSchemas: 30);
    }

    [Test]
    public void Random_schemas_agree_on_random_documents()
    {
        var random = new Random(20240917);
        var tally = new Tally();
        for (var i = 0; i < 300; i++)
        {
            var schemaNode = RandomSchemas.Schema(random, depth: 0);
            CompiledSchema schema;
            try
            {
                schema = Compile(schemaNode.ToJsonString());
            }
            catch (Exception ex) when (ex is Json.Schema.JsonSchemaException or JsonException or ArgumentException)
            {
                continue;
            }

            for (var j = 0; j < 12; j++)
            {
                tally.Compare(schema, RandomSchemas.Instance(random, depth: 0), schemaNode.ToJsonString());
            }
        }

        tally.AssertMeaningful(minimumSchemas: 200);
    }

    [Test]
    public void Schemas_with_references_or_other_dialects_are_left_to_JsonSchema_Net()
    {
        Assert.That(Compile("""{"definitions": {"a": {"type": "string"}}, "properties": {"x": {"$ref": "#/definitions/a"}}}""").IsCompiled, Is.False);
        Assert.That(Compile("""{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}""").IsCompiled, Is.False);
        var referenced = Compile("""{"definitions": {"a": {"type": "string"}}, "properties": {"x": {"$ref": "#/definitions/a"}}}""");
        Assert.That(referenced.IsValid(JsonDocument.Parse("""{"x": 1}""").RootElement), Is.False);
        Assert.That(referenced.IsValid(JsonDocument.Parse("""{"x": "y"}""").RootElement), Is.True);
    }

    [Test]
    public void Invalid_documents_are_reported_with_JsonSchema_Nets_messages()
    {
        using var registry = Registry(strict: true);
        var validator = new ManifestValidator(registry);
        var document = Fixtures.Single("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: "three"
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    image: nginx
                    imagePullPolicy: Sometimes
                    ports: [{containerPort: 80, protocol: TCP, extra: 1}]
            """);
        var schema = registry.Resolve(new SchemaKey("apps/v1", "Deployment")).Schema!;
        Assert.That(schema.IsValidByCompiled(document.Element), Is.False);

        var result = validator.Validate(document);

        var expected = new ViolationCollector(schema, document.Element).Collect(schema.EvaluateInDetail(document.Element));
        Assert.That(result.Status, Is.EqualTo(ValidationStatus.Invalid));
        Assert.That(result.Violations.Select(v => (v.Path, v.Message, v.Keyword)), Is.EqualTo(expected.Select(f => (f.Path, f.Message, f.Keyword))));
        Assert.That(result.Violations.Select(v => v.Path), Is.SupersetOf(new[] { "/spec/replicas", "/spec/template/spec/containers/0/ports/0/extra" }));
    }

    private static KubernetesSchemaRegistry Registry(bool strict) =>
        new(new SchemaRegistryOptions { Locations = [Fixtures.Schemas], KubernetesVersion = "1.34.0", Strict = strict });

    private static CompiledSchema Compile(string schema) =>
        CompiledSchema.Compile(JsonNode.Parse(schema)!, "test", strict: false, openApi: false);

    /// <summary>"deployment-apps-v1" → apps/v1 Deployment (the kind's case is taken from the schema when it names it).</summary>
    private static SchemaKey? KeyFor(string fileName)
    {
        var path = Path.Combine(Fixtures.Schemas, fileName + ".json");
        var json = JsonNode.Parse(File.ReadAllText(path));
        if (json?["properties"]?["kind"]?["enum"]?[0]?.GetValue<string>() is not { } kind
            || json["properties"]?["apiVersion"]?["enum"]?[0]?.GetValue<string>() is not { } apiVersion)
        {
            return null;
        }

        return new SchemaKey(apiVersion, kind);
    }

    /// <summary>The document itself, then one mutation at a time: each value replaced, each property removed, an unknown property added to each object.</summary>
    private static IEnumerable<JsonNode?> Mutants(JsonNode document)
    {
        yield return document.DeepClone();
        var paths = new List<string>();
        Collect(document, "", paths);
        foreach (var path in paths)
        {
            foreach (var replacement in Replacements)
            {
                var copy = document.DeepClone();
                if (Replace(copy, path, replacement?.DeepClone()))
                {
                    yield return copy;
                }
            }

            var removed = document.DeepClone();
            if (Remove(removed, path))
            {
                yield return removed;
            }
        }

        foreach (var path in paths.Prepend(""))
        {
            var copy = document.DeepClone();
            if (Navigate(copy, path) is JsonObject obj && !obj.ContainsKey("zzUnknown"))
            {
                obj["zzUnknown"] = "x";
                yield return copy;
            }
        }
    }

    private static void Collect(JsonNode? node, string path, List<string> paths)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    var childPath = path + "/" + name.Replace("~", "~0").Replace("/", "~1");
                    paths.Add(childPath);
                    Collect(child, childPath, paths);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    paths.Add($"{path}/{i}");
                    Collect(array[i], $"{path}/{i}", paths);
                }

                break;
        }
    }

    private static JsonNode? Navigate(JsonNode? node, string path)
    {
        foreach (var segment in JsonPointerSegments(path))
        {
            node = node switch
            {
                JsonObject obj => obj[segment],
                JsonArray array when int.TryParse(segment, out var i) && i < array.Count => array[i],
                _ => null,
            };
        }

        return node;
    }

    private static bool Replace(JsonNode root, string path, JsonNode? value)
    {
        var parent = Navigate(root, path[..path.LastIndexOf('/')]);
        var last = JsonPointerSegments(path).Last();
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                return true;
            case JsonArray array:
                array[int.Parse(last)] = value;
                return true;
            default:
                return false;
        }
    }

    private static bool Remove(JsonNode root, string path)
    {
        var parent = Navigate(root, path[..path.LastIndexOf('/')]);
        var last = JsonPointerSegments(path).Last();
        switch (parent)
        {
            case JsonObject obj:
                return obj.Remove(last);
            case JsonArray array:
                array.RemoveAt(int.Parse(last));
                return true;
            default:
                return false;
        }
    }

    private static IEnumerable<string> JsonPointerSegments(string path) =>
        path.Length == 0 ? [] : path[1..].Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~"));

    /// <summary>Counts comparisons; fails on the first disagreement and when the cases were too few to mean anything.</summary>
    private sealed class Tally
    {
        private readonly HashSet<CompiledSchema> _schemas = [];
        private int _valid;
        private int _invalid;

        public void Compare(CompiledSchema schema, JsonNode? instance, string what)
        {
            var element = JsonSerializer.SerializeToElement(instance);
            var actual = schema.IsValidByCompiled(element);
            bool expected;
            try
            {
                expected = schema.IsValidByJsonSchemaNet(element);
            }
            catch (FormatException)
            {
                // JsonSchema.Net cannot compare this number (beyond decimal); the compiled verdict must not hide that by passing it.
                Assert.That(actual, Is.Not.True, () => $"{what}\ninstance: {instance?.ToJsonString()}: JsonSchema.Net throws, compiled passes");
                return;
            }

            if (actual is null)
            {
                return;
            }

            Assert.That(actual, Is.EqualTo(expected), () => $"{what}\ninstance: {instance?.ToJsonString() ?? "null"}\nschema: {schema.Document.GetRawText()[..Math.Min(2000, schema.Document.GetRawText().Length)]}");
            _schemas.Add(schema);
            if (expected)
            {
                _valid++;
            }
            else
            {
                _invalid++;
            }
        }

        public void AssertMeaningful(int minimumSchemas)
        {
            Assert.That(_schemas, Has.Count.GreaterThanOrEqualTo(minimumSchemas), "schemas compared");
            Assert.That(_valid, Is.GreaterThan(0), "valid verdicts");
            Assert.That(_invalid, Is.GreaterThan(0), "invalid verdicts");
            TestContext.Out.WriteLine($"{_schemas.Count} schemas, {_valid} valid and {_invalid} invalid verdicts agreed");
        }
    }
}
