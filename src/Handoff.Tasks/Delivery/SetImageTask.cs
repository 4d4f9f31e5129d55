using Handoff.Frosting;
using Handoff.Yaml;

namespace Handoff.Tasks.Delivery;

[TaskName("SetImage")]
[TaskDescription("Pins a digest in a YAML file, changing only the lines that must change: --file, --key=DOTTED.PATH (Helm values) or --kustomize-image=NAME or --path=YAML.PATH (a digest, or repository[:tag]@digest with --repository), --digest, [--tag] [--repository] [--document=N: the 0-based document of a multi-document file].")]
public sealed class SetImageTask : FrostingTask<HandoffContext>
{
    public override void Run(HandoffContext context)
    {
        var p = context.Parameters;
        var file = context.InRoot(p.Require("file", "The YAML file to edit, e.g. --file=env/dev/values.yaml."));
        if (!Digest.TryParse(p.Require("digest", "The digest to pin, sha256:<64 hex>."), out var digest, out var error))
        {
            throw new HandoffException($"--digest: {error}");
        }

        if (!File.Exists(file))
        {
            throw new HandoffException($"{file} does not exist. Pass the values file or manifest to edit with --file.");
        }

        var pin = new ImagePin(digest, p.Get("tag"), p.Get("repository"));
        var document = DocumentIndex(p.Get("document"));
        var text = File.ReadAllText(file);
        var name = Path.GetRelativePath(context.RootDirectory, file);
        YamlEdit edit;
        if (p.Get("kustomize-image") is { } image)
        {
            if (document is not null)
            {
                throw new HandoffException("--document applies to --key and --path; a kustomization.yaml is a single document. Leave --document out with --kustomize-image.");
            }

            edit = ImagePinEditor.SetKustomizeImage(text, image, pin, name);
        }
        else if (p.Get("path") is { } path)
        {
            // A path holds either a bare digest or a full reference; --repository says it is the latter.
            var value = pin.Repository is { } repository ? $"{repository}{(pin.Tag is null ? "" : ":" + pin.Tag)}@{digest}" : digest.ToString();
            edit = ImagePinEditor.SetScalar(text, path, value, name, document);
        }
        else
        {
            edit = ImagePinEditor.SetImage(text, p.Require("key", "Where the image mapping is, e.g. --key=image (or --kustomize-image=NAME, or --path=spec.values.image.digest)."), pin, name, document);
        }

        if (!edit.Changed)
        {
            context.Info($"{name} already pins {digest}; nothing changed.");
            return;
        }

        // Preserve the exact bytes: the editor kept the encoding-level details (BOM, line endings) in the text.
        AtomicFile.WriteAllText(file, edit.Text);
        context.Info($"{name}: pinned {digest} (changed line{(edit.ChangedLines.Count == 1 ? "" : "s")} {string.Join(", ", edit.ChangedLines)}).");
    }

    /// <summary>--document: which document of a multi-document file to edit when the key is in several; null searches them all.</summary>
    private static int? DocumentIndex(string? value)
    {
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            ? index
            : throw new HandoffException($"--document '{value}' is not a document index. Pass the 0-based index of the YAML document to edit: --document=0 for the first document of the file, --document=1 for the one after the first '---'.");
    }
}
