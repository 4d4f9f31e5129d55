namespace Handoff.Yaml.Tests;

public class KustomizeImageTests
{
    private static readonly string D = Samples.D;

    private const string Overlay =
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ../../base\nimages:\n- name: app\n  newTag: v1 # old\n- name: other\n  newName: x/y\n  # about other\n\n# footer\n";

    private static YamlEdit Pin(string text, string name, string? tag = null, string? repository = null)
    {
        var pin = new ImagePin(Samples.Digest, tag, repository);
        var edit = ImagePinEditor.SetKustomizeImage(text, name, pin, Samples.File);
        EditAssert.OnlyReportedLinesChanged(text, edit);
        Assert.That(ImagePinEditor.ReadKustomizeImage(edit.Text, name, Samples.File), Is.EqualTo(new ImagePinState(repository ?? ImagePinEditor.ReadKustomizeImage(text, name, Samples.File)?.Repository, tag ?? ImagePinEditor.ReadKustomizeImage(text, name, Samples.File)?.Tag, D)));
        var again = ImagePinEditor.SetKustomizeImage(edit.Text, name, pin, Samples.File);
        Assert.That(again.Changed, Is.False);
        Assert.That(again.Text, Is.EqualTo(edit.Text));
        return edit;
    }

    [Test]
    public void Existing_entry_gets_digest_after_new_tag()
    {
        var edit = Pin(Overlay, "app", tag: "v2");
        Assert.That(edit.Text, Is.EqualTo(Overlay.Replace("  newTag: v1 # old\n", $"  newTag: v2 # old\n  digest: {D}\n")));
        Assert.That(edit.ChangedLines, Is.EqualTo(new[] { 7, 8 }));
    }

    [Test]
    public void Existing_entry_gets_new_name_after_name()
    {
        var edit = Pin("images:\n  - name: app\n    digest: old\n", "app", repository: "reg/app");
        Assert.That(edit.Text, Is.EqualTo($"images:\n  - name: app\n    newName: reg/app\n    digest: {D}\n"));
    }

    [Test]
    public void Missing_entry_is_appended_after_the_last_item_and_its_comments()
    {
        var edit = Pin(Overlay, "third", tag: "1.10", repository: "reg/third");
        Assert.That(edit.Text, Is.EqualTo(Overlay.Replace("  # about other\n", $"  # about other\n- name: third\n  newName: reg/third\n  newTag: \"1.10\"\n  digest: {D}\n")));
        Assert.That(edit.ChangedLines, Is.EqualTo(new[] { 11, 12, 13, 14 }));
    }

    [Test]
    public void New_item_copies_the_list_indentation()
    {
        var edit = Pin("images:\n    -   name: a\n        newTag: v1\n", "b");
        Assert.That(edit.Text, Is.EqualTo($"images:\n    -   name: a\n        newTag: v1\n    -   name: b\n        digest: {D}\n"));
    }

    [TestCase("resources:\n- ../../base\n", "resources:\n- ../../base\nimages:\n- name: app\n  digest: {D}\n")]
    [TestCase("resources:\n  - ../../base\n", "resources:\n  - ../../base\nimages:\n  - name: app\n    digest: {D}\n")]
    [TestCase("resources:\r\n- a", "resources:\r\n- a\r\nimages:\r\n- name: app\r\n  digest: {D}")]
    [TestCase("images: []  # none yet\n", "images:  # none yet\n- name: app\n  digest: {D}\n")]
    [TestCase("images:\nresources:\n  - a\n", "images:\n  - name: app\n    digest: {D}\nresources:\n  - a\n")]
    [TestCase("images: [{name: other}]\n", "images: [{name: other}, {name: app, digest: {D}}]\n")]
    [TestCase("images:\n- {name: app, newTag: v1}\n", "images:\n- {name: app, newTag: v1, digest: {D}}\n")]
    public void Images_list_is_created_or_extended_in_the_file_style(string text, string expected)
    {
        var edit = Pin(text, "app");
        Assert.That(edit.Text, Is.EqualTo(expected.Replace("{D}", D)));
    }

    [Test]
    public void Read_reports_values_or_null()
    {
        Assert.That(ImagePinEditor.ReadKustomizeImage(Overlay, "other", Samples.File), Is.EqualTo(new ImagePinState("x/y", null, null)));
        Assert.That(ImagePinEditor.ReadKustomizeImage(Overlay, "app", Samples.File), Is.EqualTo(new ImagePinState(null, "v1", null)));
        Assert.That(ImagePinEditor.ReadKustomizeImage(Overlay, "missing", Samples.File), Is.Null);
        Assert.That(ImagePinEditor.ReadKustomizeImage("resources: []\n", "app", Samples.File), Is.Null);
    }

    [Test]
    public void Name_is_matched_exactly()
    {
        var edit = Pin("images:\n- name: registry.example.com/app\n  newTag: v1\n", "registry.example.com/app", tag: "v2");
        Assert.That(edit.Text, Is.EqualTo($"images:\n- name: registry.example.com/app\n  newTag: v2\n  digest: {D}\n"));
    }
}
