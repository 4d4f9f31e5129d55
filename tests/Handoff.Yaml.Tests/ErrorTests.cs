namespace Handoff.Yaml.Tests;

/// <summary>Every refusal names the file, the line (and column), what is wrong and the fix, and never half-edits.</summary>
public class ErrorTests
{
    private static readonly ImagePin Pin = new(Samples.Digest, "v2");

    private static YamlEditException Fails(Action action, int line, int column, params string[] mentions)
    {
        var ex = Assert.Throws<YamlEditException>(action)!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex.File, Is.EqualTo(Samples.File));
            Assert.That(ex.Line, Is.EqualTo(line), ex.Message);
            Assert.That(ex.Column, Is.EqualTo(column), ex.Message);
            Assert.That(ex.Message, Does.StartWith($"{Samples.File}:{line}:{column}: "));
            Assert.That(ex.Fix, Does.StartWith("Fix: "), ex.Message);
            Assert.That(ex.Message, Does.Contain(ex.Fix!));
            foreach (var mention in mentions)
            {
                Assert.That(ex.Message, Does.Contain(mention));
            }
        }

        return ex;
    }

    private static void SetImage(string text, string key = "image") => _ = ImagePinEditor.SetImage(text, key, Pin, Samples.File);

    [Test]
    public void Missing_parent_names_the_deepest_existing_key_and_its_line()
    {
        Fails(() => SetImage("x: 1\napp:\n  name: x\n  replicas: 1\n", "app.web.image"), 2, 1, "`app`", "line 2", "no key `web`", "name, replicas", "add `web:` under `app`");
    }

    [Test]
    public void Missing_top_level_key_lists_the_keys_there()
    {
        Fails(() => SetImage("app:\n  name: x\n", "imgae"), 1, 1, "no top-level key `imgae`", "app");
    }

    [Test]
    public void Alias_at_the_target_is_refused()
    {
        Fails(() => SetImage("base: &b\n  tag: v1\nimage: *b\n"), 3, 8, "alias (*b)", "line 1", "own copy");
    }

    [Test]
    public void Alias_above_the_target_is_refused()
    {
        Fails(() => SetImage("base: &b\n  image:\n    tag: v1\napp: *b\n", "app.image"), 4, 6, "`app` is an alias (*b)");
    }

    [Test]
    public void Shared_anchor_at_the_target_is_refused()
    {
        Fails(() => SetImage("image: &img\n  tag: v1\nother: *img\n"), 1, 8, "anchored as &img", "*img");
    }

    [Test]
    public void Shared_anchor_above_the_target_is_refused()
    {
        Fails(() => SetImage("app: &a\n  image:\n    tag: v1\ncopy: *a\n", "app.image"), 1, 6, "`app` is anchored as &a");
    }

    [Test]
    public void Alias_or_shared_anchor_at_the_edited_value_is_refused()
    {
        Fails(() => SetImage("t: &t v1\nimage:\n  tag: *t\n"), 3, 8, "`image.tag` is an alias (*t)");
        Fails(() => SetImage("image:\n  tag: &t v1\nother: *t\n"), 2, 8, "`image.tag` is anchored as &t");
    }

    [Test]
    public void Merge_key_supplying_the_image_is_refused()
    {
        Fails(() => SetImage("base: &b\n  image:\n    tag: v1\napp:\n  <<: *b\n  name: x\n", "app.image"), 5, 3, "merge key `<<`", "write `image:` with its own values directly under `app`");
    }

    [Test]
    public void Several_documents_with_the_path_are_listed()
    {
        Fails(() => SetImage("image:\n  tag: a\n---\nother: 1\n---\nimage:\n  tag: b\n"), 1, 1, "2 documents", "document index 0 (line 1)", "document index 2 (line 5)", "--document=N", "document: N");
    }

    [Test]
    public void Malformed_yaml_reports_the_parser_position()
    {
        var ex = Fails(() => SetImage("image:\n  tag: v1\n bad: 2\n"), 3, 2, "is not valid YAML", "did not find expected key");
        Assert.That(ex.InnerException, Is.InstanceOf<YamlDotNet.Core.YamlException>());
        Fails(() => SetImage("image:\n  tag: \"v1\n"), 2, 8, "is not valid YAML", "quoted scalar");
        Fails(() => SetImage("a: [1, 2\n"), 2, 1, "is not valid YAML");
    }

    [TestCase("image:\n  tag: [1.0\nreplicas: 2\n")]
    [TestCase("image:\n  tag: {a: 1\nreplicas: 2\n")]
    public void An_unclosed_flow_collection_is_a_located_error_not_a_crash(string text)
    {
        var ex = Assert.Throws<YamlEditException>(() => SetImage(text))!;
        Assert.That(ex.Line, Is.InRange(2, 3), ex.Message);
        Assert.That(ex.Message, Does.StartWith($"{Samples.File}:{ex.Line}:").And.Contain("unclosed"));
        Assert.Throws<YamlEditException>(() => ImagePinEditor.ReadImage(text, "image", Samples.File));
    }

    [Test]
    public void Malformed_yaml_in_another_document_is_still_reported()
    {
        Fails(() => SetImage("image:\n  tag: v1\n---\nx: : y: [\n"), 4, 4, "is not valid YAML");
    }

    [Test]
    public void Tab_indentation_names_the_tab()
    {
        Fails(() => SetImage("image:\n\ttag: v1\n"), 2, 1, "tab for indentation", "replace the tab with spaces");
        Fails(() => SetImage("image:\n  tag: v1\n  \trepo: x\n"), 3, 3, "tab for indentation");
    }

    [Test]
    public void Duplicate_keys_on_the_path_or_at_the_target_are_refused()
    {
        Fails(() => SetImage("image:\n  tag: v1\n  tag: v2\n"), 3, 3, "`tag` appears twice", "lines 2 and 3", "delete one");
        Fails(() => SetImage("image:\n  tag: v1\nimage:\n  tag: v2\n"), 3, 1, "`image` appears twice", "top level");
        Fails(() => SetImage("image:\n  digest: a\n  'digest': b\n"), 3, 3, "`digest` appears twice");
    }

    [Test]
    public void Target_that_is_not_a_mapping_is_refused()
    {
        Fails(() => SetImage("image: nginx:1.2\n"), 1, 8, "'nginx:1.2'", "not a mapping");
        Fails(() => SetImage("image:\n  - a\n"), 2, 3, "is a list");
        Fails(() => SetImage("image:\n  tag:\n    a: 1\n"), 3, 5, "`image.tag` is a mapping, not a single value");
        Fails(() => ImagePinEditor.ReadImage("image: nginx\n", "image", Samples.File), 1, 8, "not a mapping");
    }

    [Test]
    public void Empty_file_has_nothing_to_pin()
    {
        Fails(() => SetImage(""), 1, 1, "no YAML document");
        Fails(() => SetImage("# only a comment\n"), 1, 1, "no YAML document");
    }

    [Test]
    public void Block_scalar_that_cannot_hold_the_value_is_refused()
    {
        Fails(() => ImagePinEditor.SetScalar("a: |\n  x\n", "a", "x\ny", Samples.File), 1, 4, "block scalar (|)", "quoted value");
    }

    [Test]
    public void List_selectors_explain_what_they_found()
    {
        const string pods = "spec:\n  containers:\n  - name: web\n    image: a\n  - name: sidecar\n    image: b\n";
        Fails(() => ImagePinEditor.SetScalar(pods, "spec.containers[name=app].image", "x", Samples.File), 2, 3, "no item of `spec.containers` has `name: app`", "web, sidecar");
        Fails(() => ImagePinEditor.SetScalar(pods.Replace("sidecar", "web"), "spec.containers[name=web].image", "x", Samples.File), 5, 5, "more than one item with `name: web`", "lines 3 and 5", "[1]");
        Fails(() => ImagePinEditor.SetScalar(pods, "spec.containers[5].image", "x", Samples.File), 2, 3, "has 2 item(s)", "no item [5]");
        Fails(() => ImagePinEditor.SetScalar(pods, "spec.containers.image", "x", Samples.File), 2, 3, "is a list, not a mapping", "`spec.containers[0].image`");
        Fails(() => ImagePinEditor.SetScalar(pods, "spec[name=x]", "x", Samples.File), 1, 1, "is a mapping, not a list");
    }

    [Test]
    public void Scalar_path_to_a_mapping_is_refused()
    {
        Fails(() => ImagePinEditor.SetScalar("spec:\n  x: 1\n", "spec", "v", Samples.File), 2, 3, "`spec` is a mapping, not a single value");
        Fails(() => ImagePinEditor.ReadScalar("spec:\n  x: 1\n", "spec", Samples.File), 2, 3, "not a single value");
        Fails(() => ImagePinEditor.SetScalar("spec: x\n", "spec.tag", "v", Samples.File), 1, 1, "`spec` is the scalar 'x'");
    }

    [Test]
    public void Document_index_out_of_range_is_refused()
    {
        Fails(() => ImagePinEditor.SetScalar("a: 1\n---\na: 2\n", "a", "x", Samples.File, document: 2), 1, 1, "2 YAML document(s)", "from 0 to 1");
    }

    [Test]
    public void Kustomize_refusals()
    {
        Fails(() => ImagePinEditor.SetKustomizeImage("images:\n- name: app\n- name: app\n", "app", Pin, Samples.File), 3, 3, "two entries with `name: app`", "lines 2 and 3");
        Fails(() => ImagePinEditor.SetKustomizeImage("images: app\n", "app", Pin, Samples.File), 1, 9, "not a list");
        Fails(() => ImagePinEditor.SetKustomizeImage("- a\n", "app", Pin, Samples.File), 1, 1, "is not a kustomization");
        Fails(() => ImagePinEditor.SetKustomizeImage("a: 1\n---\nb: 2\n", "app", Pin, Samples.File), 1, 1, "2 YAML documents", "none has an `images:` list");
        Fails(() => ImagePinEditor.SetKustomizeImage("base: &e\n  name: app\nimages:\n- *e\n", "app", Pin, Samples.File), 4, 3, "alias (*e)");
    }

    [Test]
    public void Messages_never_contain_a_stack_trace_and_nothing_is_returned_half_done()
    {
        const string text = "image:\n  tag: v1\n  tag: v2\n";
        var ex = Assert.Throws<YamlEditException>(() => SetImage(text))!;
        Assert.That(ex.Message, Does.Not.Contain("   at "));
        Assert.That(ex, Is.InstanceOf<InputFileException>());
        Assert.That(ex, Is.InstanceOf<HandoffException>());
    }

    [TestCase("")]
    [TestCase("a..b")]
    [TestCase(".a")]
    [TestCase("a.")]
    [TestCase("a[b")]
    [TestCase("a]b")]
    [TestCase("a[]")]
    [TestCase("a[0]b")]
    [TestCase("a['b]")]
    public void Invalid_paths_explain_the_syntax(string path)
    {
        var ex = Assert.Throws<YamlPathException>(() => SetImage("a: 1\n", path))!;
        Assert.That(ex.Message, Does.Contain($"'{path}'"));
        Assert.That(ex.Message, Does.Contain("Fix: write keys separated by dots"));
    }
}
