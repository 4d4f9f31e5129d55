using Handoff.Yaml.Tree;

namespace Handoff.Yaml.Paths;

/// <summary>
/// Picks the one document of a stream that holds a path. A path in several documents is an error (an
/// edit there would be a guess) unless the caller names the document; a path in none returns null with
/// the error of the document where it got furthest.
/// </summary>
internal static class DocumentSelector
{
    /// <summary>Every way a user can pass the document index, so the fix names the one they are using.</summary>
    private const string DocumentOptions = "--document=N for the SetImage target, Document=\"N\" on the HandoffSetImage MSBuild task, or document: N on the pin entry in handoff.yaml";

    public static Found? Select(IReadOnlyList<DocumentTree> documents, Func<DocumentTree, Resolution> resolve, string pathText, string fileName, int? documentIndex, out Missing? deepest)
    {
        deepest = null;
        var candidates = new List<Resolution>();
        foreach (var document in Documents(documents, fileName, documentIndex))
        {
            var result = resolve(document);
            if (result is Missing missing)
            {
                if (deepest is null || missing.Depth > deepest.Depth)
                {
                    deepest = missing;
                }
            }
            else
            {
                candidates.Add(result);
            }
        }

        if (candidates.Count > 1)
        {
            // Listed by the 0-based index the caller passes back, so the message and the fix use the same numbers.
            var listed = string.Join(", ", candidates.Select(c => $"document index {c.Document.Index} (line {c.Document.Line})"));
            throw new YamlEditException(fileName, candidates[0].Document.Line, 1,
                $"`{pathText}` exists in {candidates.Count} documents of this file: {listed}; editing one of them would be a guess.",
                $"Fix: keep that path in one document of the file, or choose one by its 0-based document index: {DocumentOptions}.");
        }

        return candidates.Count == 0 ? null : candidates[0] switch
        {
            Blocked blocked => throw blocked.Error,
            Found found => found,
            _ => null,
        };
    }

    /// <summary>The error for a path that no document holds, for callers that must write it.</summary>
    public static YamlEditException NotFound(Missing? deepest, string pathText, string fileName) =>
        deepest?.Error ?? new YamlEditException(fileName, 1, 1, $"`{pathText}` cannot be found: the file has no YAML document (it is empty or only comments).",
            $"Fix: add the YAML that holds `{pathText}` to the file, then run again.");

    private static IEnumerable<DocumentTree> Documents(IReadOnlyList<DocumentTree> documents, string fileName, int? documentIndex)
    {
        if (documentIndex is not { } index)
        {
            return documents;
        }

        if (index < 0 || index >= documents.Count)
        {
            throw new YamlEditException(fileName, 1, 1, $"has {documents.Count} YAML document(s), so there is no document with index {index}.",
                $"Fix: pass a document index from 0 to {Math.Max(documents.Count - 1, 0)} (0 is the first document): {DocumentOptions}.");
        }

        return [documents[index]];
    }
}
