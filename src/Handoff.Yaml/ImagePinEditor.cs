using Handoff.Yaml.Editing;
using Handoff.Yaml.Paths;
using Handoff.Yaml.Tree;

namespace Handoff.Yaml;

/// <summary>
/// Pins image digests (and tags, repositories) in users' YAML by splicing the original text: only the
/// bytes that must change do. Text in, text out; <c>fileName</c> is used only in messages. Every edit
/// is read back before it is returned, so a result that would not hold the values set is an error,
/// never a silently corrupted file.
/// </summary>
public static class ImagePinEditor
{
    /// <summary>
    /// Helm-values style: sets or inserts <c>digest</c> (and <c>tag</c>, <c>repository</c> when given) in the
    /// mapping at <paramref name="dottedKey"/> ("image", "controller.image", "a[key.with.dots].image").
    /// </summary>
    public static YamlEdit SetImage(string text, string dottedKey, ImagePin pin, string fileName) =>
        SetImage(text, dottedKey, pin, fileName, document: null);

    /// <summary><see cref="SetImage(string,string,ImagePin,string)"/> in the given document (0-based) of a multi-document file.</summary>
    public static YamlEdit SetImage(string text, string dottedKey, ImagePin pin, string fileName, int? document)
    {
        var writes = ImageWrites(pin);
        var file = YamlFile.Parse(text, fileName);
        var found = file.Require(YamlPath.Parse(dottedKey).Segments, document);
        var editor = file.Editor(found.Document);
        editor.SetEntries(found.Target, YamlFile.ParentIsFlow(found), writes);
        var edit = editor.Edits.Apply();
        return EditCheck.ReadsBack(edit, found.Target.Value, fileName, dottedKey,
            result => ReadImage(result, dottedKey, fileName, found.Document.Index) is { } state && Holds(state, pin));
    }

    /// <summary>The repository, tag and digest at <paramref name="dottedKey"/>; null when the path is absent.</summary>
    public static ImagePinState? ReadImage(string text, string dottedKey, string fileName) =>
        ReadImage(text, dottedKey, fileName, document: null);

    public static ImagePinState? ReadImage(string text, string dottedKey, string fileName, int? document)
    {
        var file = YamlFile.Parse(text, fileName);
        if (file.Find(YamlPath.Parse(dottedKey).Segments, forWrite: false, document, out _) is not { } found)
        {
            return null;
        }

        var display = found.Target.Display;
        var mapping = ValueReader.Mapping(found.Target, fileName, "`repository`/`tag`/`digest` keys");
        return mapping is null
            ? new ImagePinState(null, null, null)
            : new ImagePinState(
                ValueReader.Key(mapping, "repository", display, fileName),
                ValueReader.Key(mapping, "tag", display, fileName),
                ValueReader.Key(mapping, "digest", display, fileName));
    }

    /// <summary>
    /// Kustomize: sets <c>digest</c> (and <c>newTag</c>, <c>newName</c>) of the <c>images:</c> entry whose
    /// <c>name</c> is <paramref name="imageName"/>; adds the entry (and the <c>images:</c> list) when missing,
    /// as <c>kustomize edit set image</c> does.
    /// </summary>
    public static YamlEdit SetKustomizeImage(string text, string imageName, ImagePin pin, string fileName) =>
        KustomizeImages.Set(text, imageName, pin, fileName);

    /// <summary>newName, newTag and digest of the <c>images:</c> entry named <paramref name="imageName"/>; null when there is none.</summary>
    public static ImagePinState? ReadKustomizeImage(string text, string imageName, string fileName) =>
        KustomizeImages.Read(text, imageName, fileName);

    /// <summary>
    /// Sets one scalar in any manifest, e.g. "spec.template.spec.containers[name=app].image" or
    /// "spec.values.image.digest". A missing last key is added to its mapping; missing parents are an error.
    /// </summary>
    public static YamlEdit SetScalar(string text, string path, string value, string fileName) =>
        SetScalar(text, path, value, fileName, document: null);

    /// <summary><see cref="SetScalar(string,string,string,string)"/> in the given document (0-based) of a multi-document file.</summary>
    public static YamlEdit SetScalar(string text, string path, string value, string fileName, int? document)
    {
        ArgumentNullException.ThrowIfNull(value);
        var segments = YamlPath.Parse(path).Segments;
        var file = YamlFile.Parse(text, fileName);
        NodeEditor editor;
        Node target;
        if (file.Find(segments, forWrite: true, document, out var missingTarget) is { } found)
        {
            editor = file.Editor(found.Document);
            target = found.Target.Value;
            editor.ReplaceScalar(editor.RequireOwnScalar(target, found.Target.Display), value, YamlFile.ParentIsFlow(found), found.Target.Display);
        }
        else if (segments[^1] is KeySegment last
                 && file.Find(segments.Take(segments.Count - 1).ToList(), forWrite: true, document, out _) is { Target.Value: MappingNode or ScalarNode { IsNull: true } } parent)
        {
            editor = file.Editor(parent.Document);
            target = parent.Target.Value;
            editor.SetEntries(parent.Target, YamlFile.ParentIsFlow(parent), [new EntryWrite(last.Key, value)]);
        }
        else
        {
            throw DocumentSelector.NotFound(missingTarget, path, fileName);
        }

        var edit = editor.Edits.Apply();
        return EditCheck.ReadsBack(edit, target, fileName, path, result => ReadScalar(result, path, fileName, document) == value);
    }

    /// <summary>The scalar at <paramref name="path"/>; null when the path is absent or the value is YAML null.</summary>
    public static string? ReadScalar(string text, string path, string fileName) =>
        ReadScalar(text, path, fileName, document: null);

    public static string? ReadScalar(string text, string path, string fileName, int? document)
    {
        var file = YamlFile.Parse(text, fileName);
        return file.Find(YamlPath.Parse(path).Segments, forWrite: false, document, out _) is { } found
            ? ValueReader.Scalar(found.Target.Value, found.Target.Display, fileName)
            : null;
    }

    private static EntryWrite[] ImageWrites(ImagePin pin)
    {
        ArgumentNullException.ThrowIfNull(pin);
        if (pin.Digest.Algorithm is null)
        {
            throw new ArgumentException("The pin has no digest (default Digest).", nameof(pin));
        }

        var writes = new List<EntryWrite>(3);
        if (pin.Repository is not null)
        {
            writes.Add(new EntryWrite("repository", pin.Repository, "registry"));
        }

        if (pin.Tag is not null)
        {
            writes.Add(new EntryWrite("tag", pin.Tag, "repository"));
        }

        writes.Add(new EntryWrite("digest", pin.Digest.ToString(), "tag"));
        return [.. writes];
    }

    internal static bool Holds(ImagePinState state, ImagePin pin) =>
        state.Digest == pin.Digest.ToString()
        && (pin.Tag is null || state.Tag == pin.Tag)
        && (pin.Repository is null || state.Repository == pin.Repository);
}
