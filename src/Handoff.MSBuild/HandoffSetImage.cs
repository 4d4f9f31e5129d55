using Handoff.Yaml;
using Microsoft.Build.Framework;

namespace Handoff.MSBuild;

/// <summary>
/// Pins an image digest in a YAML file, changing only the lines that must change (comments, quoting,
/// blank lines and the rest of the file stay byte for byte). Exactly one of:
/// <see cref="Key"/> (a Helm-values image mapping: sets <c>digest</c>, and <c>tag</c>/<c>repository</c> when given),
/// <see cref="KustomizeImage"/> (the kustomization.yaml <c>images:</c> entry of that name: <c>digest</c>, <c>newTag</c>, <c>newName</c>),
/// or <see cref="YamlPath"/> (any scalar: the digest, or <c>repository[:tag]@digest</c> when <see cref="Repository"/> is given).
/// Re-running with the same values changes nothing.
/// </summary>
public sealed class HandoffSetImage : HandoffTask
{
    /// <summary>The YAML file to edit.</summary>
    public string? File { get; set; }

    /// <summary>Dotted path of a Helm-values image mapping, e.g. <c>image</c> or <c>api.image</c>.</summary>
    public string? Key { get; set; }

    /// <summary>The <c>name</c> of a kustomization.yaml <c>images:</c> entry.</summary>
    public string? KustomizeImage { get; set; }

    /// <summary>A path to one scalar, e.g. <c>spec.template.spec.containers[name=app].image</c>.</summary>
    public string? YamlPath { get; set; }

    /// <summary>The digest to pin, <c>sha256:…</c>.</summary>
    public string? Digest { get; set; }

    public string? Tag { get; set; }

    public string? Repository { get; set; }

    /// <summary>0-based document index in a multi-document file, when the path is in several documents.</summary>
    public string? Document { get; set; }

    /// <summary>True when the file was rewritten; false when it already pinned these values.</summary>
    [Output]
    public bool Changed { get; private set; }

    private protected override string FailureCode => ErrorCodes.SetImage;

    private protected override Task RunAsync(CancellationToken cancellationToken)
    {
        var file = TaskInputs.FullPath(TaskInputs.Require(File, nameof(File), "the YAML file to edit, e.g. env/dev/values.yaml."));
        var digest = TaskInputs.Digest(Digest, nameof(Digest));
        var pin = new ImagePin(digest, TaskInputs.Tag(Tag, nameof(Tag)), TaskInputs.Optional(Repository));
        var document = TaskInputs.NonNegativeInt(Document, nameof(Document));
        var target = Target();

        var text = YamlFileText.Read(file);
        var edit = target switch
        {
            (nameof(Key), var key) => ImagePinEditor.SetImage(text, key, pin, file, document),
            (nameof(KustomizeImage), var name) => document is null
                ? ImagePinEditor.SetKustomizeImage(text, name, pin, file)
                : throw new TaskParameterException($"{nameof(Document)}: a kustomization.yaml has one document; leave Document empty with KustomizeImage."),
            (_, var path) => ImagePinEditor.SetScalar(text, path, ScalarValue(pin), file, document),
        };

        Changed = edit.Changed;
        if (!edit.Changed)
        {
            Reporter.Message($"{file} already pins {digest}; nothing changed.", MessageImportance.High);
            return Task.CompletedTask;
        }

        YamlFileText.Write(file, edit.Text);
        Reporter.Message($"{file}: pinned {digest} (changed line{(edit.ChangedLines.Count == 1 ? "" : "s")} {string.Join(", ", edit.ChangedLines)}).", MessageImportance.High);
        return Task.CompletedTask;
    }

    /// <summary>Which of Key, KustomizeImage and YamlPath was given, and its value; exactly one must be.</summary>
    private (string Parameter, string Value) Target()
    {
        (string Name, string? Value)[] given =
        [
            (nameof(Key), TaskInputs.Optional(Key)),
            (nameof(KustomizeImage), TaskInputs.Optional(KustomizeImage)),
            (nameof(YamlPath), TaskInputs.Optional(YamlPath)),
        ];
        var set = given.Where(g => g.Value is not null).ToList();
        return set.Count switch
        {
            1 => (set[0].Name, set[0].Value!),
            0 => throw new TaskParameterException("Say where to pin the digest: Key (a Helm-values image mapping, e.g. image), KustomizeImage (an images: entry name) or YamlPath (one scalar, e.g. spec.template.spec.containers[name=app].image)."),
            _ => throw new TaskParameterException($"{string.Join(" and ", set.Select(s => s.Name))} are set together: pass exactly one of Key, KustomizeImage and YamlPath."),
        };
    }

    /// <summary>A scalar holds either a bare digest or a full reference; a Repository says it is the latter.</summary>
    private static string ScalarValue(ImagePin pin) => pin switch
    {
        { Repository: { } repository } => $"{repository}{(pin.Tag is null ? "" : ":" + pin.Tag)}@{pin.Digest}",
        { Tag: not null } => throw new TaskParameterException($"{nameof(Tag)}: with YamlPath the scalar holds either the digest alone or repository[:tag]@digest; pass Repository too, or leave Tag empty."),
        _ => pin.Digest.ToString(),
    };
}
