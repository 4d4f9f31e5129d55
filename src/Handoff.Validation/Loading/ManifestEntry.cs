using System.Text.Json;
using System.Text.Json.Nodes;

namespace Handoff.Validation.Loading;

/// <summary>One thing found in an input: a Kubernetes object, or a problem that stopped one from being read.</summary>
public abstract class ManifestEntry
{
    private protected ManifestEntry(string file, int documentIndex, SourcePosition position)
    {
        File = file;
        DocumentIndex = documentIndex;
        Position = position;
    }

    /// <summary>The file as the user named it (relative paths stay relative).</summary>
    public string File { get; }

    /// <summary>0-based index of the YAML document in the file (-1 for a problem with the file itself).</summary>
    public int DocumentIndex { get; internal set; }

    /// <summary>Where the document (or List item) starts; for problems, where the problem is.</summary>
    public SourcePosition Position { get; }

    public int Line => Position.Line;

    public int Column => Position.Column;
}

/// <summary>A Kubernetes object read from YAML or JSON, as System.Text.Json data, with a way back to its source lines.</summary>
public sealed class ManifestDocument : ManifestEntry
{
    private readonly DocumentSource _source;
    private readonly string _pointerPrefix;
    private JsonNode? _content;

    internal ManifestDocument(DocumentSource source, int documentIndex, int? itemIndex, SourcePosition position, JsonElement element, string pointerPrefix)
        : base(source.File.DisplayPath, documentIndex, position)
    {
        _source = source;
        ItemIndex = itemIndex;
        Element = element;
        _pointerPrefix = pointerPrefix;
        Identity = ResourceIdentity.From(element);
    }

    /// <summary>For an item of a <c>kind: List</c>, its index in <c>items</c>; otherwise null.</summary>
    public int? ItemIndex { get; }

    public ResourceIdentity Identity { get; }

    /// <summary>The object, read-only and cheap to evaluate (JSON Schema runs on this).</summary>
    public JsonElement Element { get; }

    /// <summary>The object as a <see cref="JsonNode"/> for callers that navigate or transform it; created on first use.</summary>
    public JsonNode Content => _content ??= JsonObject.Create(Element)!;

    /// <summary>Where the node at <paramref name="jsonPointer"/> (RFC 6901, relative to this object) is in the source.</summary>
    /// <remarks>Re-reads this document's text, so it costs a parse: call it for problems, not for every node.</remarks>
    public NodePosition Locate(string jsonPointer) => Locate([jsonPointer])[jsonPointer];

    /// <summary>Locates many pointers in one pass over the source. A pointer that does not exist maps to its nearest existing ancestor.</summary>
    public IReadOnlyDictionary<string, NodePosition> Locate(IReadOnlyCollection<string> jsonPointers) =>
        YamlPointerLocator.Locate(_source, _pointerPrefix, jsonPointers, Position);

    public override string ToString() => $"{File}:{Line} {Identity.Display}";
}

/// <summary>A file, document or resource that could not be read as a Kubernetes object, with the reason and the fix.</summary>
public sealed class ManifestLoadError : ManifestEntry
{
    public ManifestLoadError(string file, int documentIndex, SourcePosition position, ManifestErrorKind kind, string message, ResourceIdentity? identity = null)
        : base(file, documentIndex, position)
    {
        Kind = kind;
        Message = message;
        Identity = identity ?? ResourceIdentity.Unknown;
    }

    public ManifestErrorKind Kind { get; }

    /// <summary>What is wrong and how to fix it, without the location (see <see cref="ManifestEntry.Position"/>).</summary>
    public string Message { get; }

    /// <summary>What the document said it was, as far as it could be read.</summary>
    public ResourceIdentity Identity { get; }

    public override string ToString() => Position.IsKnown ? $"{File}:{Position}: {Message}" : $"{File}: {Message}";
}

/// <summary>Everything read from a set of paths, in input order (file, then document, then List item).</summary>
public sealed class ManifestLoadResult
{
    public ManifestLoadResult(IReadOnlyList<ManifestEntry> entries, IReadOnlyList<string> files)
    {
        Entries = entries;
        Files = files;
    }

    public IReadOnlyList<ManifestEntry> Entries { get; }

    /// <summary>Every file read or attempted (a missing path counts), as kubeconform counts them.</summary>
    public IReadOnlyList<string> Files { get; }

    public IEnumerable<ManifestDocument> Documents => Entries.OfType<ManifestDocument>();

    public IEnumerable<ManifestLoadError> Errors => Entries.OfType<ManifestLoadError>();
}
