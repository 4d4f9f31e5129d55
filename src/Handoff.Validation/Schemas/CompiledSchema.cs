using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Validation.Schemas.Compiled;
using Json.Schema;

namespace Handoff.Validation.Schemas;

/// <summary>
/// A schema ready to evaluate, built once per resource type and shared by all threads. Valid resources
/// are confirmed by a compiled evaluator (<see cref="SchemaCompiler"/>) that walks the instance without
/// allocating; a resource it rejects, and every schema it cannot compile, is judged by JsonSchema.Net,
/// so an invalid verdict and its messages always come from JsonSchema.Net.
/// </summary>
public sealed class CompiledSchema
{
    private static readonly EvaluationOptions FlagOptions = new()
    {
        OutputFormat = OutputFormat.Flag,
        RequireFormatValidation = true,
        FormatRegistry = KubernetesFormats.Registry,
    };

    private static readonly EvaluationOptions DetailOptions = new()
    {
        OutputFormat = OutputFormat.Hierarchical,
        RequireFormatValidation = true,
        FormatRegistry = KubernetesFormats.Registry,
    };

    private static long s_counter;

    private readonly SchemaNode? _compiled;

    private CompiledSchema(JsonSchema schema, JsonElement document, Uri baseUri, string origin)
    {
        Schema = schema;
        _compiled = SchemaCompiler.TryCompile(document, KubernetesFormats.Registry);
        Document = document;
        BaseUri = baseUri;
        Origin = origin;
    }

    /// <summary>Where the schema came from (file path, URL, or CRD).</summary>
    public string Origin { get; }

    internal JsonSchema Schema { get; }

    /// <summary>The schema as evaluated (after normalisation), for explaining failures.</summary>
    internal JsonElement Document { get; }

    internal Uri BaseUri { get; }

    /// <summary>Normalises and builds a schema. Throws <see cref="JsonSchemaException"/> or <see cref="JsonException"/> for a schema that cannot be used.</summary>
    internal static CompiledSchema Compile(JsonNode schema, string origin, bool strict, bool openApi)
    {
        SchemaNormalizer.Normalize(schema, strict, openApi);
        var element = JsonSerializer.SerializeToElement(schema);
        var baseUri = new Uri($"https://schemas.handoff.invalid/{Interlocked.Increment(ref s_counter)}");
        var options = new BuildOptions { Dialect = Dialect.Draft07, SchemaRegistry = new SchemaRegistry() };
        return new CompiledSchema(JsonSchema.Build(element, options, baseUri), element, baseUri, origin);
    }

    /// <summary>True when the compiled evaluator handles this schema (false: JsonSchema.Net alone).</summary>
    internal bool IsCompiled => _compiled is not null;

    /// <summary>The fast yes/no answer (stops at the first failure).</summary>
    public bool IsValid(JsonElement instance) => IsValidByCompiled(instance) == true || IsValidByJsonSchemaNet(instance);

    /// <summary>The compiled evaluator's verdict; null when the schema is not compiled or the evaluator cannot judge this instance.</summary>
    internal bool? IsValidByCompiled(JsonElement instance)
    {
        if (_compiled is null)
        {
            return null;
        }

        try
        {
            return _compiled.IsValid(instance);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or InvalidOperationException or ArgumentException)
        {
            // Numbers beyond decimal range and the like: JsonSchema.Net decides (and explains) those.
            return null;
        }
    }

    internal bool IsValidByJsonSchemaNet(JsonElement instance) => Schema.Evaluate(instance, FlagOptions).IsValid;

    /// <summary>Every violation, for an instance already known to be invalid.</summary>
    internal EvaluationResults EvaluateInDetail(JsonElement instance) => Schema.Evaluate(instance, DetailOptions);
}
