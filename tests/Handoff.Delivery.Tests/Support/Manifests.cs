using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Handoff.Testing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Handoff.Delivery.Tests.Support;

/// <summary>Kubernetes manifests as JSON (YAML 1.2 core schema typing) and their validation against ../shared's Kubernetes schemas.</summary>
public static partial class Manifests
{
    public static List<JsonObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Where(d => d.RootNode is YamlMappingNode).Select(d => (JsonObject)ToJson(d.RootNode)!).ToList();
    }

    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(c => new KeyValuePair<string, JsonNode?>(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } plain => Plain(plain.Value ?? ""),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => null,
    };

    private static JsonNode? Plain(string value)
    {
        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(value.Equals("true", StringComparison.OrdinalIgnoreCase));
        }

        if (IntegerPattern().IsMatch(value))
        {
            return JsonValue.Create(long.Parse(value, CultureInfo.InvariantCulture));
        }

        if (FloatPattern().IsMatch(value))
        {
            return JsonValue.Create(double.Parse(value, CultureInfo.InvariantCulture));
        }

        return JsonValue.Create(value);
    }

    /// <summary>Validates against the strict Kubernetes/CRD schema for the object's kind; returns the errors (empty when valid).</summary>
    public static IReadOnlyList<string> Validate(JsonObject manifest)
    {
        var kind = manifest["kind"]!.GetValue<string>().ToLowerInvariant();
        var apiVersion = manifest["apiVersion"]!.GetValue<string>();
        var (group, version) = apiVersion.Contains('/') ? (apiVersion[..apiVersion.IndexOf('/')], apiVersion[(apiVersion.IndexOf('/') + 1)..]) : ("", apiVersion);
        var name = group.Length == 0 ? $"{kind}-{version}.json" : $"{kind}-{group.Split('.')[0]}-{version}.json";
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Shared("k8s-json-schema", "schemas"), name)))!.AsObject();
        // The schemas name the draft-04-era "http://json-schema.org/schema#"; they are draft-07 compatible.
        document.Remove("$schema");
        var schema = JsonSchema.Build(JsonSerializer.SerializeToElement(document), new BuildOptions { Dialect = Dialect.Draft07, SchemaRegistry = new SchemaRegistry() }, new Uri("https://schemas.handoff.invalid/" + name));
        var result = schema.Evaluate(JsonDocument.Parse(manifest.ToJsonString()).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).ToList();
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
