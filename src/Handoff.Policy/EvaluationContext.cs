using System.Text.Json.Nodes;

namespace Handoff.Policy;

/// <summary>
/// What Kyverno would learn from the cluster and the admission request: namespace labels (for
/// <c>namespaceSelector</c>), the operation (CREATE unless told otherwise) and values for variables.
/// </summary>
public sealed class EvaluationContext
{
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _namespaceLabels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonNode?> _globalValues = new(StringComparer.Ordinal);
    private readonly List<ScopedValues> _scopedValues = [];

    public static EvaluationContext Default => new();

    /// <summary>The admission operation the resources are evaluated as (Kyverno's CLI also assumes CREATE).</summary>
    public string Operation { get; set; } = "CREATE";

    /// <summary>The clock used by time functions such as <c>time_since</c>.</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> NamespaceLabels => _namespaceLabels;

    /// <summary>Variables every rule sees, by dotted name (<c>request.operation</c>, <c>allowedRegistries</c>).</summary>
    public IReadOnlyDictionary<string, JsonNode?> GlobalValues => _globalValues;

    internal IReadOnlyList<ScopedValues> Scoped => _scopedValues;

    public EvaluationContext WithNamespaceLabels(string @namespace, IReadOnlyDictionary<string, string> labels)
    {
        _namespaceLabels[@namespace] = labels;
        return this;
    }

    public EvaluationContext WithGlobalValue(string name, JsonNode? value)
    {
        _globalValues[name] = Settled(value);
        if (name == "request.operation" && value is JsonValue v && v.TryGetValue<string>(out var op))
        {
            Operation = op;
        }

        return this;
    }

    /// <summary>Values for one policy, optionally narrowed to a rule and/or a resource name (Kyverno's values file).</summary>
    public EvaluationContext WithValues(string policy, string? rule, string? resource, IReadOnlyDictionary<string, JsonNode?> values)
    {
        foreach (var value in values.Values)
        {
            Settled(value);
        }

        _scopedValues.Add(new ScopedValues(policy, rule, resource, values));
        return this;
    }

    /// <summary>
    /// Values are read by every resource, from several threads at once. A node parsed from JSON fills in its
    /// children on first access, which is not safe to race, so every level is filled in here, up front.
    /// </summary>
    private static JsonNode? Settled(JsonNode? value)
    {
        switch (value)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Settled(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Settled(child);
                }

                break;
        }

        return value;
    }

    /// <summary>Learns namespace labels from the Namespace manifests among <paramref name="resources"/>.</summary>
    public EvaluationContext WithNamespacesFrom(IEnumerable<JsonNode> resources)
    {
        foreach (var resource in resources)
        {
            if (resource["kind"] is JsonValue kind && kind.TryGetValue<string>(out var k) && k == "Namespace"
                && resource["metadata"]?["name"] is JsonValue nameNode && nameNode.TryGetValue<string>(out var name))
            {
                var labels = new Dictionary<string, string>(StringComparer.Ordinal);
                if (resource["metadata"]?["labels"] is JsonObject labelObject)
                {
                    foreach (var (key, value) in labelObject)
                    {
                        if (value is JsonValue lv && lv.TryGetValue<string>(out var text))
                        {
                            labels[key] = text;
                        }
                    }
                }

                labels.TryAdd("kubernetes.io/metadata.name", name);
                _namespaceLabels.TryAdd(name, labels);
            }
        }

        return this;
    }

    internal IReadOnlyDictionary<string, string> LabelsOfNamespace(string? @namespace)
    {
        if (@namespace is null)
        {
            return EmptyLabels;
        }

        return _namespaceLabels.TryGetValue(@namespace, out var labels) ? labels : new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = @namespace };
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyLabels = new Dictionary<string, string>();

    internal sealed record ScopedValues(string Policy, string? Rule, string? Resource, IReadOnlyDictionary<string, JsonNode?> Values);
}
