using System.Text.Json.Nodes;
using Handoff.Policy.Yaml;

namespace Handoff.Policy.Tests;

public sealed class YamlJsonReaderTests
{
    [Test]
    public void Unquoted_scalars_are_typed_the_way_Kubernetes_reads_them()
    {
        var node = Support.Yaml("""
            int: 42
            negative: -7
            hex: 0x1F
            octal: 0755
            float: 1.5
            yes: yes
            off: off
            bool: true
            nothing: ~
            empty:
            quoted: "42"
            single: 'true'
            text: hello
            version: 1.2.3
            """);

        Assert.Multiple(() =>
        {
            Assert.That(node["int"]!.GetValue<long>(), Is.EqualTo(42));
            Assert.That(node["negative"]!.GetValue<long>(), Is.EqualTo(-7));
            Assert.That(node["hex"]!.GetValue<long>(), Is.EqualTo(31));
            Assert.That(node["octal"]!.GetValue<long>(), Is.EqualTo(493));
            Assert.That(node["float"]!.GetValue<double>(), Is.EqualTo(1.5));
            Assert.That(node["yes"]!.GetValue<bool>(), Is.True);
            Assert.That(node["off"]!.GetValue<bool>(), Is.False);
            Assert.That(node["bool"]!.GetValue<bool>(), Is.True);
            Assert.That(node["nothing"], Is.Null);
            Assert.That(node["empty"], Is.Null);
            Assert.That(node["quoted"]!.GetValue<string>(), Is.EqualTo("42"));
            Assert.That(node["single"]!.GetValue<string>(), Is.EqualTo("true"));
            Assert.That(node["text"]!.GetValue<string>(), Is.EqualTo("hello"));
            Assert.That(node["version"]!.GetValue<string>(), Is.EqualTo("1.2.3"));
        });
    }

    [Test]
    public void Anchors_aliases_and_merge_keys_are_resolved()
    {
        var node = Support.Yaml("""
            base: &base
              a: 1
              b: 2
            copy: *base
            merged:
              <<: *base
              b: 3
            """);

        Assert.Multiple(() =>
        {
            Assert.That(node["copy"]!["a"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(node["merged"]!["a"]!.GetValue<long>(), Is.EqualTo(1));
            Assert.That(node["merged"]!["b"]!.GetValue<long>(), Is.EqualTo(3), "keys of the mapping win over merged keys");
        });
    }

    [Test]
    public void Empty_documents_are_skipped_and_the_rest_are_returned_in_order()
    {
        var documents = YamlJsonReader.Read("---\na: 1\n---\n---\nb: 2\n", "multi.yaml");

        Assert.That(documents.Select(d => d.Root.AsObject().Single().Key), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void A_duplicate_key_is_an_error_naming_file_line_and_column()
    {
        var ex = Assert.Throws<InputFileException>(() => YamlJsonReader.Read("a: 1\nb: 2\na: 3\n", "dup.yaml"));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.File, Is.EqualTo("dup.yaml"));
            Assert.That(ex.Line, Is.EqualTo(3));
            Assert.That(ex.Message, Does.Contain("duplicate key 'a'"));
        });
    }

    [Test]
    public void Invalid_yaml_is_an_error_with_its_position_not_a_crash()
    {
        var ex = Assert.Throws<InputFileException>(() => YamlJsonReader.Read("a: [1, 2\nb: 3\n", "bad.yaml"));

        Assert.That(ex!.Message, Does.StartWith("bad.yaml:").And.Contain("invalid YAML"));
    }

    [Test]
    public void Source_positions_are_kept_for_error_messages()
    {
        var document = YamlJsonReader.Read("a:\n  b:\n    c: 1\n", "pos.yaml")[0];
        var c = document.Root["a"]!["b"]!["c"];

        Assert.That(document.Map.Locate(c), Is.EqualTo(new SourceMark(3, 8)));
    }
}
