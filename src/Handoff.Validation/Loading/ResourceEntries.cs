using System.Text.Json;

namespace Handoff.Validation.Loading;

/// <summary>
/// Turns a converted YAML document into entries: a <see cref="ManifestDocument"/> per Kubernetes object
/// (a <c>kind: List</c> gives one per item), or a <see cref="ManifestLoadError"/> saying why it is not
/// one (not a mapping, no kind, no apiVersion).
/// </summary>
internal sealed class ResourceEntries(ManifestLoaderOptions options)
{
    private readonly ManifestLoaderOptions _options = options;

    public void Add(List<ManifestEntry> entries, ConvertedDocument converted, DocumentSource source, int ordinal)
    {
        if (converted.Root is not { } root)
        {
            return;
        }

        var file = source.File.DisplayPath;
        var position = source.Chunk.ToFile(converted.RootStart);
        if (root.ValueKind != JsonValueKind.Object)
        {
            entries.Add(new ManifestLoadError(file, ordinal, position, ManifestErrorKind.NotAnObject,
                $"the document is {Describe(root)}, not a mapping: a Kubernetes manifest is a mapping with apiVersion, kind and metadata."));
            return;
        }

        if (_options.ExpandLists && root.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.ValueEquals("List"))
        {
            AddListItems(entries, converted, source, ordinal, root, position);
            return;
        }

        AddResource(entries, new ManifestDocument(source, ordinal, null, position, root, ""));
    }

    private void AddListItems(List<ManifestEntry> entries, ConvertedDocument converted, DocumentSource source, int ordinal, JsonElement root, SourcePosition position)
    {
        if (!root.TryGetProperty("items", out var items) || items.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        var file = source.File.DisplayPath;
        if (items.ValueKind != JsonValueKind.Array)
        {
            entries.Add(new ManifestLoadError(file, ordinal, position, ManifestErrorKind.NotAnObject, $"'items' of this kind: List is {Describe(items)}; it must be a sequence of Kubernetes objects."));
            return;
        }

        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            var itemPosition = converted.ItemStarts is { } starts && index < starts.Count ? source.Chunk.ToFile(starts[index]) : position;
            if (item.ValueKind != JsonValueKind.Object)
            {
                entries.Add(new ManifestLoadError(file, ordinal, itemPosition, ManifestErrorKind.NotAnObject,
                    $"item {index} of this kind: List is {Describe(item)}, not a mapping: each item must be a Kubernetes object."));
            }
            else
            {
                AddResource(entries, new ManifestDocument(source, ordinal, index, itemPosition, item, "/items/" + index));
            }

            index++;
        }
    }

    public void AddResource(List<ManifestEntry> entries, ManifestDocument document)
    {
        if (_options.RequireKindAndApiVersion && IdentityProblem(document) is { } problem)
        {
            entries.Add(new ManifestLoadError(document.File, document.DocumentIndex, document.Position, problem.Kind, problem.Message, document.Identity));
            return;
        }

        entries.Add(document);
    }

    private static (ManifestErrorKind Kind, string Message)? IdentityProblem(ManifestDocument document)
    {
        var element = document.Element;
        if (!element.TryGetProperty("kind", out var kind) || kind.ValueKind == JsonValueKind.Null || (kind.ValueKind == JsonValueKind.String && kind.GetString()!.Length == 0))
        {
            return (ManifestErrorKind.MissingKind,
                "missing 'kind' key: every Kubernetes object names its type, e.g. 'kind: Deployment' (with 'apiVersion: apps/v1'). Add it, or remove the document if it is not a manifest.");
        }

        if (kind.ValueKind != JsonValueKind.String)
        {
            return (ManifestErrorKind.MissingKind, $"'kind' is {Describe(kind)}; it must be a string such as Deployment.");
        }

        if (!element.TryGetProperty("apiVersion", out var apiVersion) || apiVersion.ValueKind == JsonValueKind.Null || (apiVersion.ValueKind == JsonValueKind.String && apiVersion.GetString()!.Length == 0))
        {
            return (ManifestErrorKind.MissingApiVersion,
                $"missing 'apiVersion' key for kind {kind.GetString()}: add the group/version, e.g. 'apiVersion: v1' for core kinds or 'apiVersion: apps/v1' for Deployments.");
        }

        if (apiVersion.ValueKind != JsonValueKind.String)
        {
            return (ManifestErrorKind.MissingApiVersion, $"'apiVersion' is {Describe(apiVersion)}; it must be a string such as apps/v1.");
        }

        return null;
    }

    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "a sequence",
        JsonValueKind.String => $"the string '{YamlScalars.Shorten(element.GetString()!)}'",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {element.GetRawText()}",
        JsonValueKind.Null => "null",
        _ => "a mapping",
    };
}
