using Handoff.Yaml.Editing;
using Handoff.Yaml.Paths;
using Handoff.Yaml.Text;
using Handoff.Yaml.Tree;

namespace Handoff.Yaml;

/// <summary>A parsed YAML file: its text, its documents, and path lookups over them, for one edit or read.</summary>
internal sealed class YamlFile
{
    private YamlFile(SourceText source, IReadOnlyList<DocumentTree> documents, string fileName)
    {
        Source = source;
        Documents = documents;
        FileName = fileName;
    }

    public SourceText Source { get; }
    public IReadOnlyList<DocumentTree> Documents { get; }
    public string FileName { get; }

    public static YamlFile Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        var source = new SourceText(text);
        return new YamlFile(source, YamlTreeReader.Read(source, fileName), fileName);
    }

    /// <summary>The single document's resolution of <paramref name="segments"/>, or null when no document has it.</summary>
    public Found? Find(IReadOnlyList<PathSegment> segments, bool forWrite, int? document, out Missing? deepest)
    {
        var resolver = new PathResolver(FileName, forWrite);
        return DocumentSelector.Select(Documents, d => resolver.Resolve(d, segments), YamlPath.Format(segments), FileName, document, out deepest);
    }

    public Found Require(IReadOnlyList<PathSegment> segments, int? document) =>
        Find(segments, forWrite: true, document, out var deepest) ?? throw DocumentSelector.NotFound(deepest, YamlPath.Format(segments), FileName);

    public NodeEditor Editor(DocumentTree document) => new(Source, document, FileName, new TextEdits(Source));

    /// <summary>Whether the target of a resolved path sits inside a flow collection ([...] or {...}).</summary>
    public static bool ParentIsFlow(Found found) =>
        found.Steps.Count > 1 && found.Steps[^2].Value is MappingNode { IsFlow: true } or SequenceNode { IsFlow: true };
}
