namespace Handoff.Yaml.Tests;

public class SetScalarTests
{
    private const string Manifests =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: \"reg/app:v1\" # pinned by CI\n        - name: proxy\n          image: envoy\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n";

    private static YamlEdit Set(string text, string path, string value, int? document = null)
    {
        var edit = ImagePinEditor.SetScalar(text, path, value, Samples.File, document);
        EditAssert.OnlyReportedLinesChanged(text, edit);
        Assert.That(ImagePinEditor.ReadScalar(edit.Text, path, Samples.File, document), Is.EqualTo(value));
        var again = ImagePinEditor.SetScalar(edit.Text, path, value, Samples.File, document);
        Assert.That(again.Changed, Is.False);
        return edit;
    }

    [Test]
    public void Container_image_by_name_in_a_multi_document_file()
    {
        var value = "reg/app@" + Samples.D;
        var edit = Set(Manifests, "spec.template.spec.containers[name=app].image", value);
        Assert.That(edit.Text, Is.EqualTo(Manifests.Replace("\"reg/app:v1\"", $"\"{value}\"")));
        Assert.That(edit.ChangedLines, Is.EqualTo(new[] { 10 }));
    }

    [Test]
    public void Container_image_by_index_plain_stays_plain()
    {
        var edit = Set(Manifests, "spec.template.spec.containers[1].image", "envoy:v1.30");
        Assert.That(edit.Text, Is.EqualTo(Manifests.Replace("image: envoy", "image: envoy:v1.30")));
    }

    [Test]
    public void Path_in_several_documents_needs_a_document_index()
    {
        Assert.Throws<YamlEditException>(() => ImagePinEditor.SetScalar(Manifests, "metadata.name", "x", Samples.File));
        var edit = Set(Manifests, "metadata.name", "api", document: 1);
        Assert.That(edit.Text, Is.EqualTo(Manifests[..^4] + "api\n"));
        Assert.That(ImagePinEditor.ReadScalar(edit.Text, "metadata.name", Samples.File, document: 0), Is.EqualTo("web"));
    }

    [Test]
    public void Flux_helm_release_digest_is_inserted()
    {
        const string text = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec:\n  values:\n    image:\n      repository: r\n      tag: v1\n";
        var edit = Set(text, "spec.values.image.digest", Samples.D);
        Assert.That(edit.Text, Is.EqualTo(text + $"      digest: {Samples.D}\n"));
    }

    [Test]
    public void Missing_last_key_in_an_empty_mapping_creates_the_block()
    {
        var edit = Set("spec:\n  values:\n", "spec.values.tag", "1.0");
        Assert.That(edit.Text, Is.EqualTo("spec:\n  values:\n    tag: \"1.0\"\n"));
    }

    [Test]
    public void Key_with_dots_and_value_needing_quotes()
    {
        var edit = Set("metadata:\n  annotations:\n    kubernetes.io/change-cause: old\n", "metadata.annotations[kubernetes.io/change-cause]", "deploy: v2 #1");
        Assert.That(edit.Text, Is.EqualTo("metadata:\n  annotations:\n    kubernetes.io/change-cause: \"deploy: v2 #1\"\n"));
    }

    [Test]
    public void Flow_sequence_item_quotes_flow_indicators()
    {
        var edit = Set("args: [--a, --b]\n", "args[1]", "--c=1,2");
        Assert.That(edit.Text, Is.EqualTo("args: [--a, \"--c=1,2\"]\n"));
    }

    [TestCase("a: |-\n  old\nb: 1\n", "a: |-\n  new\nb: 1\n")]
    [TestCase("a: >\n  old\n\nb: 1\n", "a: >-\n  new\n\nb: 1\n")]
    [TestCase("a: |+\n  old\n\nb: 1\n", "a: |-\n  new\n\nb: 1\n")]
    [TestCase("a: |2 # c\n    old\n", "a: |- # c\n    new\n")]
    [TestCase("a: |\nb: 1\n", "a: |-\n  new\nb: 1\n")]
    public void Block_scalars_are_rewritten_in_their_style(string text, string expected)
    {
        var edit = Set(text, "a", "new");
        Assert.That(edit.Text, Is.EqualTo(expected));
    }

    [Test]
    public void Escapes_in_double_quotes()
    {
        var edit = Set("a: \"x\"\n", "a", "say \"hi\"\\\t\u0001");
        Assert.That(edit.Text, Is.EqualTo("a: \"say \\\"hi\\\"\\\\\\t\\u0001\"\n"));
    }

    [Test]
    public void Multi_line_plain_scalar_is_replaced_whole()
    {
        var edit = ImagePinEditor.SetScalar("a: one\n  two\nb: 1\n", "a", "three", Samples.File);
        Assert.That(edit.Text, Is.EqualTo("a: three\nb: 1\n"));
        Assert.That(edit.ChangedLines, Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void Read_scalar_returns_null_for_absent_and_yaml_null()
    {
        const string text = "a: 1\nb: ~\nc: 'x'\nlist: [p, q]\n";
        Assert.That(ImagePinEditor.ReadScalar(text, "a", Samples.File), Is.EqualTo("1"));
        Assert.That(ImagePinEditor.ReadScalar(text, "b", Samples.File), Is.Null);
        Assert.That(ImagePinEditor.ReadScalar(text, "c", Samples.File), Is.EqualTo("x"));
        Assert.That(ImagePinEditor.ReadScalar(text, "list[1]", Samples.File), Is.EqualTo("q"));
        Assert.That(ImagePinEditor.ReadScalar(text, "nope.deeper", Samples.File), Is.Null);
    }
}
