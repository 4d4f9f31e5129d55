using Handoff.Testing;
using Handoff.Validation.Loading;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Handoff.Validation.Tests.Loading;

/// <summary>
/// The lean parser must produce exactly YamlDotNet's events (types, values, styles, marks) wherever it
/// does not give up, because the loader's positions and conversions are built on them; where it gives
/// up, the events it produced before must still be YamlDotNet's.
/// </summary>
[TestFixture]
public sealed class ManifestYamlParserTests
{
    private static readonly string[] EdgeCases =
    [
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {x: '1', y: \"2\"}}\ndata:\n  empty:\n  other: ''\n",
        "a:\n- 1\n- - x\n  - y\n-\n- {}\n- []\n- [a, 'b', \"c\", {d: e}]\nb: [ ]\nc: {  }\n",
        "--- \nkey: |\n  line one\n  line two\nfolded: >-\n  folded\n  text\nkeep: |+\n  kept\n\n",
        "# only a comment\n",
        "",
        "---\n",
        "--- # marker with a comment\n---\n",
        "plain scalar document\n",
        "- top\n- level\n- sequence\n",
        "? complex\n: key\n",
        "anchor: &a {x: 1}\nalias: *a\n",
        "tagged: !!str 5\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: 1\n...\n---\nb: 2\n",
        "a: [1, 2,]\nb: {c: 1,}\n",
        "items:\n  - name: x\n    value: \"quoted: with colon\"\n  - name: y\n    valueFrom:\n      fieldRef: {fieldPath: metadata.name}\n",
        "a: {b}\n",
        "a: [b: c]\n",
        "a:\n  b:\n    c:\n      - d: 1\n        e:\n        - f\n      - g\n",
        "a: 'it''s'\nb: \"esc \\\" \\n\"\nc: plain with  spaces   \nd: -1.5e3\n",
        "\ta: 1\n",
        "a: [1, 2\n",
        "a: {b: 1\n",
        "a: b: c\n",
        "key: \"unterminated\n",
        "- a\nb: c\n",
        "a:\n  - b\n  c: d\n",
        "{a: 1}\n",
        "[1, 2]\n",
        "a: 1\n---\nb: 2\n--- |\n  literal root\n",
    ];

    /// <summary>Constructs rendered manifests use every day: the lean parser must read these itself.</summary>
    private static readonly string[] Common =
    [
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {x: '1', y: \"2\"}}\ndata:\n  empty:\n  other: ''\n",
        "a:\n- 1\n- - x\n  - y\n-\n- {}\n- []\n- [a, 'b', \"c\", {d: e}]\nb: [ ]\nc: {  }\n",
        "-\n- a\n-\n",
        "a:\n  -\n  - b\n  -\nc: d\n",
        "--- \nkey: |\n  line one\n  line two\nfolded: >-\n  folded\n  text\nkeep: |+\n  kept\n\n",
        "# only a comment\n",
        "",
        "---\n",
        "--- # marker with a comment\n---\n",
        "plain scalar document\n",
        "- top\n- level\n- sequence\n",
        "a: [1, 2,]\nb: {c: 1,}\n",
        "items:\n  - name: x\n    value: \"quoted: with colon\"\n  - name: y\n    valueFrom:\n      fieldRef: {fieldPath: metadata.name}\n",
        "a:\n  b:\n    c:\n      - d: 1\n        e:\n        - f\n      - g\n",
        "a: 'it''s'\nb: \"esc \\\" \\n\"\nc: plain with  spaces   \nd: -1.5e3\n",
        "{a: 1}\n",
        "[1, 2]\n",
        "a: 1\n---\nb: 2\n--- |\n  literal root\n",
        "a:\nb:\n  c:\n",
        "a: [{b: 1, c: [2, 3]}, {}]\n",
    ];

    [TestCaseSource(nameof(EdgeCases))]
    public void Edge_cases_match_YamlDotNet_or_are_left_to_it(string yaml) => AssertSameEvents(yaml, yaml.Replace("\n", "\\n"));

    [TestCaseSource(nameof(Common))]
    public void Common_constructs_are_read_by_the_lean_parser_exactly_as_YamlDotNet_reads_them(string yaml) =>
        Assert.That(AssertSameEvents(yaml, yaml.Replace("\n", "\\n")), Is.True, "the lean parser fell back to YamlDotNet");

    [Test]
    public void Real_manifests_and_values_files_match_YamlDotNet()
    {
        var roots = new[]
        {
            RepoPaths.Shared("conformance", "kubeconform", "fixtures"),
            RepoPaths.Shared("values-corpus"),
            Path.Combine(RepoPaths.Root, "samples", "delivery-repo"),
        };
        var handled = 0;
        var files = 0;
        foreach (var file in roots.SelectMany(root => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
                     .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)))
        {
            files++;
            if (AssertSameEvents(File.ReadAllText(file), file))
            {
                handled++;
            }
        }

        // Most real files must take the lean path, or it would not be worth having.
        Assert.That(files, Is.GreaterThan(20));
        Assert.That(handled, Is.GreaterThan(files * 3 / 4), $"{handled} of {files} files parsed without falling back");
    }

    /// <returns>True when the lean parser read the whole stream itself.</returns>
    private static bool AssertSameEvents(string yaml, string what)
    {
        var expected = new List<ParsingEvent>();
        try
        {
            var reference = new Parser(new Scanner(new StringReader(yaml), skipComments: true));
            while (reference.MoveNext())
            {
                expected.Add(reference.Current!);
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException or ArgumentException)
        {
            // YamlDotNet rejects the input: the lean parser must not accept it.
        }

        var lean = new ManifestYamlParser(new Scanner(new StringReader(yaml), skipComments: true));
        var index = 0;
        try
        {
            while (lean.MoveNext())
            {
                Assert.That(index, Is.LessThan(expected.Count), $"{what}: lean parser produced more events than YamlDotNet");
                Assert.That(Describe(lean.Current!), Is.EqualTo(Describe(expected[index])), $"{what}: event {index}");
                index++;
            }
        }
        catch (Exception ex) when (ex is OutsideParserSubsetException or YamlException)
        {
            return false;
        }

        Assert.That(index, Is.EqualTo(expected.Count), $"{what}: lean parser stopped early");
        return true;
    }

    private static string Describe(ParsingEvent e)
    {
        var core = $"{e.GetType().Name} {e.Start.Index}:{e.Start.Line}:{e.Start.Column}-{e.End.Index}:{e.End.Line}:{e.End.Column}";
        return e switch
        {
            Scalar s => $"{core} [{s.Value}] {s.Style} plain={s.IsPlainImplicit} quoted={s.IsQuotedImplicit} anchor={s.Anchor} tag={s.Tag}",
            MappingStart m => $"{core} {m.Style} implicit={m.IsImplicit} anchor={m.Anchor} tag={m.Tag}",
            SequenceStart q => $"{core} {q.Style} implicit={q.IsImplicit} anchor={q.Anchor} tag={q.Tag}",
            DocumentStart d => $"{core} implicit={d.IsImplicit}",
            DocumentEnd d => $"{core} implicit={d.IsImplicit}",
            _ => core,
        };
    }
}
