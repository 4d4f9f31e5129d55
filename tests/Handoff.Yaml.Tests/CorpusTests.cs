using Handoff.Testing;
using YamlDotNet.RepresentationModel;

namespace Handoff.Yaml.Tests;

/// <summary>
/// Pins every image-like mapping (one with a `repository` or `tag` key) of every real values file in
/// ../shared/values-corpus, in several line-ending shapes, and proves the edit is surgical.
/// </summary>
public class CorpusTests
{
    public enum Shape
    {
        AsIs,
        Crlf,
        NoFinalNewline,
        CrlfNoFinalNewline,
        Bom,
    }

    [Test]
    public void Corpus_has_image_mappings()
    {
        var targets = CorpusFiles().SelectMany(f => ImageMappings(File.ReadAllText(f))).ToList();
        Assert.That(targets, Has.Count.GreaterThanOrEqualTo(6), "the corpus should hold several image mappings");
    }

    [TestCase(Shape.AsIs, "1.10")]
    [TestCase(Shape.AsIs, "v2.3.4")]
    [TestCase(Shape.Crlf, "7.0.0")]
    [TestCase(Shape.NoFinalNewline, "true")]
    [TestCase(Shape.CrlfNoFinalNewline, "1e3")]
    [TestCase(Shape.Bom, "2024-01-02")]
    public void Pinning_changes_only_the_target_lines(Shape shape, string tag)
    {
        var pin = new ImagePin(Samples.Digest, tag);
        var checkedTargets = 0;
        using (Assert.EnterMultipleScope())
        {
            foreach (var file in CorpusFiles())
            {
                var original = Reshape(File.ReadAllText(file), shape);
                var name = Path.GetFileName(file);
                foreach (var target in ImageMappings(original))
                {
                    var edit = ImagePinEditor.SetImage(original, target, pin, name);
                    var context = $"{name} {target} ({shape})";

                    Assert.That(edit.Changed, Is.True, context);
                    Assert.That(edit.ChangedLines, Has.Count.InRange(1, 2), context + ": a tag and a digest touch at most two lines");
                    EditAssert.OnlyReportedLinesChanged(original, edit);
                    Assert.That(edit.Text.StartsWith('\uFEFF'), Is.EqualTo(shape == Shape.Bom), context + ": BOM kept as it was");
                    Assert.That(edit.Text.EndsWith('\n'), Is.EqualTo(original.EndsWith('\n')), context + ": final newline kept as it was");
                    if (shape is Shape.Crlf or Shape.CrlfNoFinalNewline)
                    {
                        Assert.That(edit.Text.Replace("\r\n", "").Contains('\n'), Is.False, context + ": only CRLF line endings");
                    }

                    SameTreeExceptTarget(original, edit.Text, target, pin, context);
                    Assert.That(ImagePinEditor.ReadImage(edit.Text, target, name), Is.EqualTo(ImagePinEditor.ReadImage(original, target, name)! with { Tag = tag, Digest = Samples.D }), context);

                    var again = ImagePinEditor.SetImage(edit.Text, target, pin, name);
                    Assert.That(again.Changed, Is.False, context + ": second pin is a no-op");
                    Assert.That(again.Text, Is.EqualTo(edit.Text), context);
                    Assert.That(again.ChangedLines, Is.Empty, context);
                    checkedTargets++;
                }
            }
        }

        Assert.That(checkedTargets, Is.GreaterThanOrEqualTo(6));
    }

    [Test]
    public void Repinning_a_new_digest_changes_one_line()
    {
        foreach (var file in CorpusFiles())
        {
            var original = File.ReadAllText(file);
            foreach (var target in ImageMappings(original))
            {
                var first = ImagePinEditor.SetImage(original, target, new ImagePin(Samples.Digest), "f.yaml");
                var second = ImagePinEditor.SetImage(first.Text, target, new ImagePin(Samples.Other), "f.yaml");
                Assert.That(second.ChangedLines, Has.Count.EqualTo(1), target);
                EditAssert.OnlyReportedLinesChanged(first.Text, second);
                Assert.That(ImagePinEditor.ReadImage(second.Text, target, "f.yaml")!.Digest, Is.EqualTo(Samples.Other.ToString()));
            }
        }
    }

    private static void SameTreeExceptTarget(string original, string edited, string target, ImagePin pin, string context)
    {
        var prefix = "#0." + target;
        bool IsTarget(string path) => path == prefix + ".tag" || path == prefix + ".digest";
        var before = EditAssert.Flatten(original);
        var after = EditAssert.Flatten(edited);
        Assert.That(after.Where(e => !IsTarget(e.Path)), Is.EqualTo(before.Where(e => !IsTarget(e.Path))), context + ": everything but tag and digest is unchanged");
        Assert.That(after.Where(e => IsTarget(e.Path)), Is.EquivalentTo(new[] { (prefix + ".tag", "str:" + pin.Tag), (prefix + ".digest", "str:" + pin.Digest) }),
            context + ": tag and digest are strings with the pinned values");
    }

    private static IEnumerable<string> CorpusFiles()
    {
        var folder = RepoPaths.Shared("values-corpus");
        var files = Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal).ToList();
        Assert.That(files, Is.Not.Empty, folder);
        return files;
    }

    /// <summary>Dotted paths of every mapping that has a `repository` or `tag` key, found by walking the parsed file.</summary>
    private static List<string> ImageMappings(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text.TrimStart('\uFEFF')));
        var found = new List<string>();
        Walk(stream.Documents[0].RootNode, "", found);
        return found;
    }

    private static void Walk(YamlNode node, string path, List<string> found)
    {
        if (node is not YamlMappingNode mapping)
        {
            return;
        }

        var keys = mapping.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).ToHashSet();
        if (path.Length > 0 && (keys.Contains("repository") || keys.Contains("tag")))
        {
            found.Add(path);
        }

        foreach (var (key, value) in mapping.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            var segment = name.Contains('.') ? $"[{name}]" : name;
            Walk(value, path.Length == 0 ? segment : segment.StartsWith('[') ? path + segment : path + "." + segment, found);
        }
    }

    private static string Reshape(string text, Shape shape) => shape switch
    {
        Shape.Crlf => text.Replace("\n", "\r\n"),
        Shape.NoFinalNewline => text.TrimEnd('\n'),
        Shape.CrlfNoFinalNewline => text.TrimEnd('\n').Replace("\n", "\r\n"),
        Shape.Bom => "\uFEFF" + text,
        _ => text,
    };
}
