namespace Handoff.Yaml.Tests;

public class SetImageTests
{
    private static readonly string D = Samples.D;

    private static YamlEdit Pin(string text, string key = "image", string? tag = null, string? repository = null)
    {
        var edit = ImagePinEditor.SetImage(text, key, new ImagePin(Samples.Digest, tag, repository), Samples.File);
        EditAssert.OnlyReportedLinesChanged(text, edit);
        var again = ImagePinEditor.SetImage(edit.Text, key, new ImagePin(Samples.Digest, tag, repository), Samples.File);
        Assert.That(again.Changed, Is.False, "setting the same values again is a no-op");
        Assert.That(again.Text, Is.EqualTo(edit.Text));
        return edit;
    }

    [Test]
    public void Digest_goes_right_after_tag_keeping_comments_and_quotes()
    {
        const string text = "image:\n  repository: x # repo\n  tag: \"1.0\" # the tag\n  # -- pull policy\n  pullPolicy: Always\nother: 1\n";
        var edit = Pin(text, tag: "1.1");
        Assert.That(edit.Text, Is.EqualTo($"image:\n  repository: x # repo\n  tag: \"1.1\" # the tag\n  digest: {D}\n  # -- pull policy\n  pullPolicy: Always\nother: 1\n"));
        Assert.That(edit.ChangedLines, Is.EqualTo(new[] { 3, 4 }));
        Assert.That(edit.Changed, Is.True);
    }

    [TestCase("tag: 1.0.0", "1.0.1", "tag: 1.0.1")]
    [TestCase("tag: '1.0'", "1.2", "tag: '1.2'")]
    [TestCase("tag: \"v1\"  # keep", "v2", "tag: \"v2\"  # keep")]
    [TestCase("tag: v1", "1.10", "tag: \"1.10\"")]
    [TestCase("tag: v1", "true", "tag: \"true\"")]
    [TestCase("tag: v1", "null", "tag: \"null\"")]
    [TestCase("tag: v1", "0x1F", "tag: \"0x1F\"")]
    [TestCase("tag: v1", "1e3", "tag: \"1e3\"")]
    [TestCase("tag: v1", "~", "tag: \"~\"")]
    [TestCase("tag: v1", "yes", "tag: \"yes\"")]
    [TestCase("tag: v1", "0755", "tag: \"0755\"")]
    [TestCase("tag: v1", "12", "tag: \"12\"")]
    [TestCase("tag: v1", "2024-01-02", "tag: \"2024-01-02\"")]
    [TestCase("tag: v1", "1:20", "tag: \"1:20\"")]
    [TestCase("tag: ", "v2", "tag: v2")]
    [TestCase("tag:", "v2", "tag: v2")]
    [TestCase("tag: ~", "v2", "tag: v2")]
    [TestCase("tag: # none", "v2", "tag: v2 # none")]
    [TestCase("tag:  # none", "v2", "tag: v2 # none")]
    [TestCase("tag: \"\"", "v2", "tag: \"v2\"")]
    [TestCase("tag: !!str v1", "1.10", "tag: !!str \"1.10\"")]
    public void Tag_keeps_its_style_and_stays_a_string(string tagLine, string tag, string expected)
    {
        var text = $"image:\n  repository: r\n  {tagLine}\n  digest: {D}\n";
        var edit = Pin(text, tag: tag);
        Assert.That(edit.Text, Is.EqualTo($"image:\n  repository: r\n  {expected}\n  digest: {D}\n"));
        Assert.That(edit.ChangedLines, Is.EqualTo(new[] { 3 }));
        Assert.That(EditAssert.Flatten(edit.Text), Does.Contain(("#0.image.tag", "str:" + tag)));
    }

    [Test]
    public void Single_quoted_value_with_a_quote_is_escaped_the_single_quoted_way()
    {
        var edit = ImagePinEditor.SetScalar("a: 'x'\n", "a", "it's", Samples.File);
        Assert.That(edit.Text, Is.EqualTo("a: 'it''s'\n"));
    }

    [Test]
    public void Without_tag_digest_goes_after_the_last_sibling_and_its_nested_block()
    {
        const string text =
            "image:\n  repository: r\n  pullPolicy: Always\n  nested:\n    a: 1\n    # about a\n\n  # -- for next key\nnext: 1\n";
        var edit = Pin(text);
        Assert.That(edit.Text, Is.EqualTo(
            $"image:\n  repository: r\n  pullPolicy: Always\n  nested:\n    a: 1\n    # about a\n  digest: {D}\n\n  # -- for next key\nnext: 1\n"));
        Assert.That(edit.ChangedLines, Is.EqualTo(new[] { 7 }));
    }

    [Test]
    public void Without_tag_digest_goes_after_a_nested_list_and_block_scalar()
    {
        const string text = "image:\n  pullSecrets:\n    - a\n    - b\n  script: |\n    echo hi\n\n    echo bye\n\nnext: 1\n";
        var edit = Pin(text);
        Assert.That(edit.Text, Is.EqualTo($"image:\n  pullSecrets:\n    - a\n    - b\n  script: |\n    echo hi\n\n    echo bye\n  digest: {D}\n\nnext: 1\n"));
        Assert.That(EditAssert.Flatten(edit.Text), Does.Contain(("#0.image.script", "str:echo hi\n\necho bye\n")));
    }

    [Test]
    public void Existing_digest_is_replaced_in_place()
    {
        var text = $"image:\n  digest: {Samples.Other} # pinned\n  tag: v1\n";
        var edit = Pin(text);
        Assert.That(edit.Text, Is.EqualTo($"image:\n  digest: {D} # pinned\n  tag: v1\n"));
        Assert.That(edit.ChangedLines, Is.EqualTo(new[] { 2 }));
    }

    [Test]
    public void Missing_keys_are_added_in_a_sensible_order()
    {
        const string text = "image:\n  registry: quay.io\n  pullPolicy: Always\n";
        var edit = Pin(text, tag: "v1", repository: "team/app");
        Assert.That(edit.Text, Is.EqualTo($"image:\n  registry: quay.io\n  repository: team/app\n  tag: v1\n  digest: {D}\n  pullPolicy: Always\n"));
        Assert.That(edit.ChangedLines, Is.EqualTo(new[] { 3, 4, 5 }));
    }

    [Test]
    public void A_digest_after_an_existing_last_tag_comes_before_a_new_repository()
    {
        const string text = "image:\n  tag: v1\n";
        var edit = Pin(text, repository: "team/app");
        Assert.That(edit.Text, Is.EqualTo($"image:\n  tag: v1\n  digest: {D}\n  repository: team/app\n"));
    }

    [Test]
    public void Crlf_file_gets_crlf_lines()
    {
        const string text = "image:\r\n  repository: r\r\n  tag: v1\r\nnext: 1\r\n";
        var edit = Pin(text, tag: "v2");
        Assert.That(edit.Text, Is.EqualTo($"image:\r\n  repository: r\r\n  tag: v2\r\n  digest: {D}\r\nnext: 1\r\n"));
    }

    [Test]
    public void File_without_final_newline_stays_without_one()
    {
        const string text = "image:\n  repository: r\n  tag: v1";
        var edit = Pin(text);
        Assert.That(edit.Text, Is.EqualTo($"image:\n  repository: r\n  tag: v1\n  digest: {D}"));
        Assert.That(edit.ChangedLines, Is.EqualTo(new[] { 3, 4 }), "the old last line gained a line ending");
    }

    [Test]
    public void Bom_is_kept()
    {
        const string text = "\uFEFFimage:\n  tag: v1\n";
        var edit = Pin(text);
        Assert.That(edit.Text, Is.EqualTo($"\uFEFFimage:\n  tag: v1\n  digest: {D}\n"));
    }

    [TestCase("image:\n", "image:\n  digest: {D}\n")]
    [TestCase("image:", "image:\n  digest: {D}")]
    [TestCase("image: {}\n", "image:\n  digest: {D}\n")]
    [TestCase("image: {}  # set by CI\nnext: 1\n", "image:  # set by CI\n  digest: {D}\nnext: 1\n")]
    [TestCase("image: ~\n", "image:\n  digest: {D}\n")]
    [TestCase("image: null # none\n", "image: # none\n  digest: {D}\n")]
    [TestCase("app:\n    name: a\n    image:\n", "app:\n    name: a\n    image:\n        digest: {D}\n")]
    [TestCase("image: &img {}\n", "image: &img\n  digest: {D}\n")]
    public void Empty_mapping_becomes_a_block_mapping_with_the_file_indentation(string text, string expected)
    {
        var key = text.StartsWith("app") ? "app.image" : "image";
        var edit = Pin(text, key);
        Assert.That(edit.Text, Is.EqualTo(expected.Replace("{D}", D)));
    }

    [Test]
    public void Empty_mapping_gets_tag_and_repository_too()
    {
        var edit = Pin("x: 1\nimage: {}\ny: 2\n", tag: "v1", repository: "r");
        Assert.That(edit.Text, Is.EqualTo($"x: 1\nimage:\n  repository: r\n  tag: v1\n  digest: {D}\ny: 2\n"));
        Assert.That(edit.ChangedLines, Is.EqualTo(new[] { 2, 3, 4, 5 }));
    }

    [Test]
    public void Flow_mapping_is_edited_inside_the_braces()
    {
        var edit = Pin("image: {repository: r, tag: v1}  # flow\nnext: 1\n", tag: "1.10");
        Assert.That(edit.Text, Is.EqualTo($"image: {{repository: r, tag: \"1.10\", digest: {D}}}  # flow\nnext: 1\n"));
        Assert.That(edit.ChangedLines, Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void Flow_mapping_without_tag_gets_digest_at_the_end()
    {
        var edit = Pin("image: {repository: r, pullPolicy: Always}\n");
        Assert.That(edit.Text, Is.EqualTo($"image: {{repository: r, pullPolicy: Always, digest: {D}}}\n"));
    }

    [Test]
    public void Empty_flow_mapping_inside_flow_stays_flow()
    {
        var edit = Pin("values: {image: {}, x: 1}\n", "values.image", tag: "v1");
        Assert.That(edit.Text, Is.EqualTo($"values: {{image: {{tag: v1, digest: {D}}}, x: 1}}\n"));
    }

    [Test]
    public void Null_image_inside_flow_becomes_a_flow_mapping()
    {
        var edit = Pin("values: {image: ~, x: 1}\n", "values.image");
        Assert.That(edit.Text, Is.EqualTo($"values: {{image: {{digest: {D}}}, x: 1}}\n"));
    }

    [Test]
    public void Nested_paths_lists_and_bracketed_keys()
    {
        const string text = "apps:\n  web.frontend:\n    sidecars:\n      - name: proxy\n        image:\n          tag: v1\n";
        var edit = Pin(text, "apps[web.frontend].sidecars[0].image");
        Assert.That(edit.Text, Is.EqualTo($"apps:\n  web.frontend:\n    sidecars:\n      - name: proxy\n        image:\n          tag: v1\n          digest: {D}\n"));
        var bySelector = Pin(text, "apps[web.frontend].sidecars[name=proxy].image");
        Assert.That(bySelector.Text, Is.EqualTo(edit.Text));
    }

    [Test]
    public void Quoted_keys_are_found_by_value()
    {
        var edit = Pin("\"image\":\n  'tag': v1\n");
        Assert.That(edit.Text, Is.EqualTo($"\"image\":\n  'tag': v1\n  digest: {D}\n"));
    }

    [Test]
    public void Block_scalar_tag_is_replaced_keeping_its_style_and_header_comment()
    {
        var edit = Pin("image:\n  tag: | # pinned\n    v1\n\nnext: 1\n", tag: "v2");
        Assert.That(edit.Text, Is.EqualTo($"image:\n  tag: |- # pinned\n    v2\n  digest: {D}\n\nnext: 1\n"));
        Assert.That(ImagePinEditor.ReadImage(edit.Text, "image", Samples.File)!.Tag, Is.EqualTo("v2"));
    }

    [Test]
    public void Unreferenced_anchor_on_the_target_is_fine()
    {
        var edit = Pin("image: &img\n  tag: v1\n");
        Assert.That(edit.Text, Is.EqualTo($"image: &img\n  tag: v1\n  digest: {D}\n"));
    }

    [Test]
    public void Own_keys_override_a_merge_in_the_target()
    {
        const string text = "base: &base\n  repository: r\n  tag: v1\nimage:\n  <<: *base\n  pullPolicy: Always\n";
        Assert.That(ImagePinEditor.ReadImage(text, "image", Samples.File), Is.EqualTo(new ImagePinState("r", "v1", null)), "merged values are read");
        var edit = Pin(text, tag: "v2");
        Assert.That(edit.Text, Is.EqualTo($"base: &base\n  repository: r\n  tag: v1\nimage:\n  <<: *base\n  pullPolicy: Always\n  tag: v2\n  digest: {D}\n"));
        Assert.That(ImagePinEditor.ReadImage(edit.Text, "base", Samples.File), Is.EqualTo(new ImagePinState("r", "v1", null)), "the merged source is untouched");
    }

    [Test]
    public void Picks_the_document_that_has_the_path()
    {
        const string text = "kind: A\nother: 1\n---\nkind: B\nimage:\n  tag: v1\n...\n";
        var edit = Pin(text);
        Assert.That(edit.Text, Is.EqualTo($"kind: A\nother: 1\n---\nkind: B\nimage:\n  tag: v1\n  digest: {D}\n...\n"));
    }

    [Test]
    public void Document_index_chooses_among_documents()
    {
        const string text = "image:\n  tag: a\n---\nimage:\n  tag: b\n";
        var edit = ImagePinEditor.SetImage(text, "image", new ImagePin(Samples.Digest), Samples.File, document: 1);
        Assert.That(edit.Text, Is.EqualTo($"image:\n  tag: a\n---\nimage:\n  tag: b\n  digest: {D}\n"));
        Assert.That(ImagePinEditor.ReadImage(edit.Text, "image", Samples.File, document: 0)!.Digest, Is.Null);
    }

    [Test]
    public void Unicode_and_comments_elsewhere_are_untouched()
    {
        const string text = "# Überschrift 😀\nimage: # ✓\n  tag: v1 # 日本\nname: \"😀\"\n";
        var edit = Pin(text, tag: "v2");
        Assert.That(edit.Text, Is.EqualTo($"# Überschrift 😀\nimage: # ✓\n  tag: v2 # 日本\n  digest: {D}\nname: \"😀\"\n"));
    }

    [Test]
    public void Same_values_return_the_identical_text()
    {
        var text = $"image:\n  tag: 'v1'\n  digest: \"{D}\"\n";
        var edit = ImagePinEditor.SetImage(text, "image", new ImagePin(Samples.Digest, "v1"), Samples.File);
        Assert.That(edit.Changed, Is.False);
        Assert.That(edit.Text, Is.SameAs(text));
        Assert.That(edit.ChangedLines, Is.Empty);
    }

    [Test]
    public void A_plain_tag_that_is_not_a_string_gets_quoted_even_with_the_same_value()
    {
        var edit = Pin("image:\n  tag: 1.10\n", tag: "1.10");
        Assert.That(edit.Text, Is.EqualTo($"image:\n  tag: \"1.10\"\n  digest: {D}\n"));
    }

    [Test]
    public void Read_image_reports_values_and_absence()
    {
        const string text = "image:\n  repository: \"r\"\n  tag: 'v1'\nempty:\nscalar: x\n";
        Assert.That(ImagePinEditor.ReadImage(text, "image", Samples.File), Is.EqualTo(new ImagePinState("r", "v1", null)));
        Assert.That(ImagePinEditor.ReadImage(text, "empty", Samples.File), Is.EqualTo(new ImagePinState(null, null, null)));
        Assert.That(ImagePinEditor.ReadImage(text, "missing", Samples.File), Is.Null);
        Assert.That(ImagePinEditor.ReadImage(text, "image.deeper.still", Samples.File), Is.Null);
        Assert.That(ImagePinEditor.ReadImage("", "image", Samples.File), Is.Null);
    }

    [Test]
    public void Read_image_follows_aliases()
    {
        const string text = "base: &b\n  tag: v1\nimage: *b\n";
        Assert.That(ImagePinEditor.ReadImage(text, "image", Samples.File), Is.EqualTo(new ImagePinState(null, "v1", null)));
    }

    [Test]
    public void A_large_file_is_edited_at_its_last_entry_touching_only_those_lines()
    {
        // Speed is measured by benchmarks, not asserted here; this keeps the large-input behaviour honest.
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < 4000; i++)
        {
            builder.Append("svc").Append(i).Append(":\n  image:\n    repository: r\n    tag: v1 # c\n");
        }

        var large = builder.ToString();
        var edit = ImagePinEditor.SetImage(large, "svc3999.image", new ImagePin(Samples.Digest, "v2"), Samples.File);
        Assert.That(edit.ChangedLines, Is.EqualTo(new[] { 16000, 16001 }));
        Assert.That(edit.Text[..(large.Length - 60)], Is.EqualTo(large[..(large.Length - 60)]));
    }

    [TestCase("image: {tag: }\n", "image: {tag: v2, digest: {D}}\n")]
    [TestCase("image: {tag: , x: 1}\n", "image: {tag: v2, digest: {D}, x: 1}\n")]
    [TestCase("{\"image\": {\"tag\": \"v1\"}}\n", "{\"image\": {\"tag\": \"v2\", \"digest\": \"{D}\"}}\n")]
    [TestCase("{\"image\": {}}\n", "{\"image\": {\"tag\": \"v2\", \"digest\": \"{D}\"}}\n")]
    [TestCase("{\"image\": null}\n", "{\"image\": {\"tag\": \"v2\", \"digest\": \"{D}\"}}\n")]
    [TestCase("image:\n  ? tag\n  : v1\n", "image:\n  ? tag\n  : v2\n  digest: {D}\n")]
    [TestCase("image: {repository: x,\n  tag: y}\n", "image: {repository: x,\n  tag: v2, digest: {D}}\n")]
    [TestCase("image: !!map\n  tag: v1\n", "image: !!map\n  tag: v2\n  digest: {D}\n")]
    [TestCase("image:\r  tag: v1\rnext: 1\r", "image:\r  tag: v2\r  digest: {D}\rnext: 1\r")]
    [TestCase("%YAML 1.2\n---\nimage:\n  tag: v1\n...\n", "%YAML 1.2\n---\nimage:\n  tag: v2\n  digest: {D}\n...\n")]
    [TestCase("image:\n  tag:\n    v1\n", "image:\n  tag:\n    v2\n  digest: {D}\n")]
    [TestCase("image:\n  tag: v1 # c\n    # about the tag\n  # -- next\n  pullPolicy: Always", "image:\n  tag: v2 # c\n    # about the tag\n  digest: {D}\n  # -- next\n  pullPolicy: Always")]
    public void Unusual_shapes_are_edited_correctly(string text, string expected)
    {
        var edit = Pin(text, tag: "v2");
        Assert.That(edit.Text, Is.EqualTo(expected.Replace("{D}", D)));
    }

    // `{tag}` has no value to replace; YamlDotNet reads `{tag:}` as the key "tag:" but `{tag:, x}` as "tag".
    [TestCase("image: {tag}\n")]
    [TestCase("image: {tag:}\n")]
    public void Shapes_that_cannot_be_spliced_safely_are_refused_not_corrupted(string text)
    {
        var ex = Assert.Throws<YamlEditException>(() => ImagePinEditor.SetImage(text, "image", new ImagePin(Samples.Digest, "v2"), Samples.File))!;
        Assert.That(ex.Message, Does.StartWith(Samples.File + ":1:8: "));
        Assert.That(ex.Message, Does.Contain("could not be edited safely").And.Contain("The file was not changed").And.Contain("Fix: "));
    }

    [Test]
    public void Very_deep_nesting_does_not_overflow()
    {
        const int depth = 1000;
        var text = string.Concat(Enumerable.Range(0, depth).Select(i => new string(' ', i) + "k:\n")) + new string(' ', depth) + "image:\n" + new string(' ', depth + 2) + "tag: v1\n";
        var edit = Pin(text, string.Join(".", Enumerable.Repeat("k", depth)) + ".image");
        Assert.That(edit.ChangedLines, Is.EqualTo(new[] { depth + 3 }));
    }
}
