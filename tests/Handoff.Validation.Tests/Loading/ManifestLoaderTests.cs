using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Handoff.Testing;
using Handoff.Validation.Loading;
using Handoff.Validation.Tests.Support;

namespace Handoff.Validation.Tests.Loading;

[TestFixture]
public sealed class ManifestLoaderTests
{
    [Test]
    public void Multi_document_file_gives_each_document_with_its_start_line()
    {
        var result = Fixtures.Load("""
            # leading comment
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a}
            ---
            ---
            # only a comment
            --- # comment after the marker
            apiVersion: v1
            kind: Secret
            metadata:
              name: b
              namespace: prod
            """);

        var documents = result.Documents.ToList();
        Assert.That(result.Errors, Is.Empty);
        Assert.That(documents.Select(d => (d.Identity.Kind, d.Identity.Name, d.Line, d.DocumentIndex)),
            Is.EqualTo(new[] { ("ConfigMap", "a", 2, 0), ("Secret", "b", 9, 3) }));
        Assert.That(documents[1].Identity.Namespace, Is.EqualTo("prod"));
        Assert.That(documents[1].Identity.GroupVersionKind, Is.EqualTo("v1/Secret"));
    }

    [Test]
    public void Empty_and_comment_only_documents_produce_nothing()
    {
        var result = Fixtures.Load("---\n# nothing\n---\n\n---\n~\n...\n");

        Assert.That(result.Entries, Is.Empty);
        Assert.That(result.Files, Is.EqualTo(new[] { "input.yaml" }));
    }

    [Test]
    public void Scalars_resolve_the_way_Kubernetes_reads_YAML()
    {
        var document = Fixtures.Single("""
            apiVersion: v1
            kind: ConfigMap
            data:
              yes: 1
            values:
              bools: [true, yes, On, y, no, off, N, FALSE]
              nulls: [~, null, NULL, ""]
              ints: [42, -7, 0x1F, 0o17, 017, 0b101, 1_000, +3]
              floats: [1.5, 1e3, .5, -0.25, 09]
              strings: ['yes', "42", 2024-01-02, 1.2.3, 0x, v1, 12:30, !!str 5, ! 6, !custom 7]
              big: 18446744073709551615
            """);

        var values = document.Element.GetProperty("values");
        Assert.That(values.GetProperty("bools").EnumerateArray().Select(b => b.GetBoolean()), Is.EqualTo(new[] { true, true, true, true, false, false, false, false }));
        Assert.That(values.GetProperty("nulls").EnumerateArray().Select(n => n.ValueKind), Is.EqualTo(new[] { JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.String }));
        Assert.That(values.GetProperty("ints").EnumerateArray().Select(i => i.GetInt64()), Is.EqualTo(new long[] { 42, -7, 31, 15, 15, 5, 1000, 3 }));
        Assert.That(values.GetProperty("floats").EnumerateArray().Select(f => f.GetDouble()), Is.EqualTo(new[] { 1.5, 1000, 0.5, -0.25, 9 }));
        Assert.That(values.GetProperty("strings").EnumerateArray().Select(s => s.GetString()),
            Is.EqualTo(new[] { "yes", "42", "2024-01-02", "1.2.3", "0x", "v1", "12:30", "5", "6", "7" }));
        Assert.That(values.GetProperty("big").GetUInt64(), Is.EqualTo(ulong.MaxValue));
        Assert.That(document.Element.GetProperty("data").TryGetProperty("true", out _), Is.True, "a boolean key becomes the JSON key \"true\"");
    }

    [Test]
    public void Unconventional_keys_become_strings_like_sigs_k8s_io_yaml()
    {
        var document = Fixtures.Single(File.ReadAllText(Path.Combine(Fixtures.KubeconformFixtures, "unconventional_keys.yaml")));

        var keys = document.Element.GetProperty("data").EnumerateObject().Select(p => p.Name);
        Assert.That(keys, Is.EqualTo(new[] { "5", "3.14", "true" }));
    }

    [Test]
    public void Anchors_aliases_and_merge_keys_expand()
    {
        var document = Fixtures.Single("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              labels: &labels {app: web, tier: front}
              annotations: *labels
            list:
              - &first {a: 1}
              - *first
              - [*first, &n 5, *n]
            defaults: &defaults {image: nginx, replicas: 1}
            merged:
              <<: *defaults
              replicas: 3
            """);

        var root = document.Element;
        Assert.That(root.GetProperty("metadata").GetProperty("annotations").GetRawText(), Is.EqualTo("""{"app":"web","tier":"front"}"""));
        Assert.That(root.GetProperty("list").GetRawText(), Is.EqualTo("""[{"a":1},{"a":1},[{"a":1},5,5]]"""));
        Assert.That(root.GetProperty("merged").GetProperty("replicas").GetInt32(), Is.EqualTo(3), "explicit keys win over merged ones");
        Assert.That(root.GetProperty("merged").GetProperty("image").GetString(), Is.EqualTo("nginx"));
    }

    [Test]
    public void Alias_bomb_is_an_error_not_a_hang()
    {
        var bomb = new StringBuilder("apiVersion: v1\nkind: ConfigMap\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'i'; level++)
        {
            var previous = (char)(level - 1);
            bomb.Append($"{level}: &{level} [{string.Join(",", Enumerable.Repeat("*" + previous, 9))}]\n");
        }

        var watch = Stopwatch.StartNew();
        var error = Fixtures.SingleError(bomb.ToString());

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(error.Kind, Is.EqualTo(ManifestErrorKind.AliasLimitExceeded));
        Assert.That(error.Message, Does.Contain("alias bomb"));
        Assert.That(error.Line, Is.InRange(5, 11));
    }

    [Test]
    public void Alias_bomb_through_merge_keys_is_stopped_too()
    {
        var bomb = new StringBuilder("apiVersion: v1\nkind: ConfigMap\na0: &a0 {x: \"" + new string('x', 1000) + "\"}\n");
        for (var level = 1; level <= 12; level++)
        {
            bomb.Append($"a{level}: &a{level}\n");
            for (var copy = 0; copy < 4; copy++)
            {
                bomb.Append($"  k{copy}: *a{level - 1}\n");
            }
        }

        bomb.Append("m:\n  <<: *a12\n");

        var error = Fixtures.SingleError(bomb.ToString());

        Assert.That(error.Kind, Is.EqualTo(ManifestErrorKind.AliasLimitExceeded));
    }

    [Test]
    public void Duplicate_keys_are_an_error_with_the_location_in_strict_mode()
    {
        const string yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    app: x\n    app: y\n";

        var error = Fixtures.SingleError(yaml, strict: true);

        Assert.That(error.Kind, Is.EqualTo(ManifestErrorKind.DuplicateKey));
        Assert.That((error.Line, error.Column), Is.EqualTo((7, 5)));
        Assert.That(error.Message, Does.Contain("duplicate key 'app'").And.Contain("line 6"));
        Assert.That(error.ToString(), Does.StartWith("input.yaml:7:5: duplicate key"));
    }

    [Test]
    public void Duplicate_keys_keep_the_last_value_outside_strict_mode()
    {
        var document = Fixtures.Single("apiVersion: v1\nkind: ConfigMap\ndata:\n  a: first\n  b: x\n  a: last\n");

        Assert.That(document.Element.GetProperty("data").GetRawText(), Is.EqualTo("""{"a":"last","b":"x"}"""));
    }

    [Test]
    public void Non_utf8_bytes_are_reported_with_their_byte_offset_and_other_documents_still_load()
    {
        var bytes = Encoding.UTF8.GetBytes("apiVersion: v1\nkind: ConfigMap\ndata:\n  a: caf").Concat(new byte[] { 0xE9, (byte)'\n' })
            .Concat(Encoding.UTF8.GetBytes("---\napiVersion: v1\nkind: Secret\n")).ToArray();

        var result = new ManifestLoader().LoadBytes(bytes, "latin1.yaml");

        var error = result.Errors.Single();
        Assert.That(error.Kind, Is.EqualTo(ManifestErrorKind.InvalidEncoding));
        Assert.That(error.Message, Does.Contain("byte 0xE9 at byte offset 45").And.Contain("UTF-8"));
        Assert.That((error.Line, error.Column), Is.EqualTo((4, 9)));
        Assert.That(result.Documents.Single().Identity.Kind, Is.EqualTo("Secret"));
    }

    [Test]
    public void Syntax_errors_name_line_and_column_and_do_not_hide_later_documents()
    {
        var result = Fixtures.Load("apiVersion: v1\nkind: ConfigMap\ndata:\n  a: [1, 2\n  b: 3\n---\napiVersion: v1\nkind: Secret\n");

        var error = result.Errors.Single();
        Assert.That(error.Kind, Is.EqualTo(ManifestErrorKind.SyntaxError));
        Assert.That(error.Line, Is.InRange(4, 6));
        Assert.That(error.Column, Is.GreaterThan(0));
        Assert.That(error.Message, Does.StartWith("YAML syntax error"));
        Assert.That(result.Documents.Single().Identity.Kind, Is.EqualTo("Secret"));
    }

    [Test]
    public void Tab_indentation_is_a_syntax_error_with_a_hint()
    {
        var error = Fixtures.SingleError("apiVersion: v1\nkind: ConfigMap\ndata:\n\ta: 1\n");

        Assert.That(error.Kind, Is.EqualTo(ManifestErrorKind.SyntaxError));
        Assert.That((error.Line, error.Column), Is.EqualTo((4, 1)));
        Assert.That(error.Message, Does.Contain("replace the tab at line 4, column 1"));
    }

    [Test]
    public void An_unclosed_quote_points_at_the_quote()
    {
        var error = Fixtures.SingleError("apiVersion: v1\nkind: ConfigMap\ndata:\n  a: \"open\n  b: 1\n");

        Assert.That((error.Kind, error.Line, error.Column), Is.EqualTo((ManifestErrorKind.SyntaxError, 4, 6)));
        Assert.That(error.Message, Does.Contain("reading stopped at line"));
    }

    [TestCase("key: value\n", ManifestErrorKind.MissingKind, "missing 'kind' key")]
    [TestCase("kind:\n", ManifestErrorKind.MissingKind, "missing 'kind' key")]
    [TestCase("kind: [a]\napiVersion: v1\n", ManifestErrorKind.MissingKind, "'kind' is a sequence")]
    [TestCase("kind: Service\n", ManifestErrorKind.MissingApiVersion, "missing 'apiVersion' key for kind Service")]
    [TestCase("kind: Service\napiVersion: 1\n", ManifestErrorKind.MissingApiVersion, "'apiVersion' is the number 1")]
    [TestCase("- a\n- b\n", ManifestErrorKind.NotAnObject, "the document is a sequence, not a mapping")]
    [TestCase("--- |\n  just text\n", ManifestErrorKind.NotAnObject, "the document is the string 'just text")]
    [TestCase("apiVersion: v1\nkind: ConfigMap\nratio: .inf\n", ManifestErrorKind.UnsupportedValue, "not a finite number")]
    [TestCase("apiVersion: v1\nkind: ConfigMap\n? [a, b]\n: c\n", ManifestErrorKind.UnsupportedValue, "used as a mapping key")]
    [TestCase("apiVersion: v1\nkind: ConfigMap\ndata: *nowhere\n", ManifestErrorKind.SyntaxError, "refers to no anchor")]
    public void Documents_that_are_not_kubernetes_objects_get_a_classified_error(string yaml, ManifestErrorKind kind, string message)
    {
        var error = Fixtures.SingleError(yaml);

        Assert.That(error.Kind, Is.EqualTo(kind));
        Assert.That(error.Message, Does.Contain(message));
        Assert.That(error.Line, Is.GreaterThan(0));
    }

    [Test]
    public void A_v1_List_expands_to_its_items_with_their_own_lines()
    {
        var result = Fixtures.Load("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: one}
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: two}
            - just a string
            """);

        Assert.That(result.Documents.Select(d => (d.Identity.Name, d.Line, d.ItemIndex)), Is.EqualTo(new (string?, int, int?)[] { ("one", 4, 0), ("two", 7, 1) }));
        var error = result.Errors.Single();
        Assert.That((error.Kind, error.Line), Is.EqualTo((ManifestErrorKind.NotAnObject, 10)));
        Assert.That(result.Documents.Last().Locate("/metadata/name").Value, Is.EqualTo(new SourcePosition(9, 20)));
    }

    [Test]
    public void Locate_maps_json_pointers_back_to_lines_and_columns()
    {
        var document = Fixtures.Single("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              template:
                spec:
                  containers:
                  - name: app
                    image: nginx
                    ports:
                    - containerPort: "eighty"
                  - name: "a/b~c"
                    env: {x: 1}
            """);

        var positions = document.Locate(["/spec/template/spec/containers/0/ports/0/containerPort", "/spec/template/spec/containers/1/name", "/spec/template/spec/containers/1/env/x", "/spec/missing/deeper", ""]);

        Assert.That(positions["/spec/template/spec/containers/0/ports/0/containerPort"], Is.EqualTo(new NodePosition(new SourcePosition(12, 26), new SourcePosition(12, 11))));
        Assert.That(positions["/spec/template/spec/containers/1/name"].Value, Is.EqualTo(new SourcePosition(13, 15)));
        Assert.That(positions["/spec/template/spec/containers/1/env/x"].Value, Is.EqualTo(new SourcePosition(14, 18)));
        Assert.That(positions["/spec/missing/deeper"].Value, Is.EqualTo(new SourcePosition(6, 3)), "a missing node maps to its nearest existing ancestor");
        Assert.That(positions[""].Value, Is.EqualTo(new SourcePosition(1, 1)));
    }

    [Test]
    public void Content_is_available_as_a_JsonNode()
    {
        var document = Fixtures.Single("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  k: v\n");

        Assert.That(document.Content["metadata"]!["name"]!.GetValue<string>(), Is.EqualTo("cfg"));
        Assert.That(document.Content["data"]!.ToJsonString(), Is.EqualTo("""{"k":"v"}"""));
    }

    [Test]
    public void Files_and_directories_are_read_recursively_in_order_and_a_missing_path_is_an_error()
    {
        using var dir = new TempDirectory();
        dir.Write("b/deploy.yml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n");
        dir.Write("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n");
        dir.Write("c.json", """{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}""");
        dir.Write("notes.txt", "not a manifest");
        var missing = Path.Combine(dir.Path, "nope.yaml");

        var result = new ManifestLoader().Load([dir.Path, missing]);

        Assert.That(result.Documents.Select(d => d.Identity.Name), Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That(result.Files.Select(Path.GetFileName), Is.EqualTo(new[] { "a.yaml", "deploy.yml", "c.json", "nope.yaml" }));
        var error = result.Errors.Single();
        Assert.That(error.Kind, Is.EqualTo(ManifestErrorKind.FileNotFound));
        Assert.That(error.File, Is.EqualTo(missing));
        Assert.That(error.ToString(), Does.StartWith(missing + ": no such file or directory"));
    }

    [Test]
    public void Json_files_with_duplicate_keys_follow_the_same_rules_as_yaml()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("dup.json", "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"ConfigMap\",\n  \"data\": {\"a\": \"1\", \"a\": \"2\"}\n}\n");

        var lenient = new ManifestLoader().Load([file]);
        var strict = new ManifestLoader(new ManifestLoaderOptions { DuplicateKeysAreErrors = true }).Load([file]);

        Assert.That(lenient.Documents.Single().Element.GetProperty("data").GetRawText(), Is.EqualTo("""{"a":"2"}"""));
        Assert.That((strict.Errors.Single().Kind, strict.Errors.Single().Line), Is.EqualTo((ManifestErrorKind.DuplicateKey, 4)));
    }

    [Test]
    public void Windows_line_endings_and_a_byte_order_mark_keep_lines_right()
    {
        var text = "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: a\r\n---\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: b\r\ndata:\r\n  k: v\r\n";
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();

        var result = new ManifestLoader().LoadBytes(bytes, "crlf.yaml");

        var documents = result.Documents.ToList();
        Assert.That(documents.Select(d => (d.Identity.Name, d.Line)), Is.EqualTo(new (string?, int)[] { ("a", 1), ("b", 6) }));
        Assert.That(documents[1].Element.GetProperty("data").GetProperty("k").GetString(), Is.EqualTo("v"));
        Assert.That(documents[1].Locate("/data/k").Value, Is.EqualTo(new SourcePosition(11, 6)));
    }

    [Test]
    public void Utf16_files_with_a_byte_order_mark_are_read()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: wide}\n")).ToArray();

        var result = new ManifestLoader().LoadBytes(bytes, "utf16.yaml");

        Assert.That(result.Documents.Single().Identity.Name, Is.EqualTo("wide"));
    }

    /// <summary>The shape of a real giant manifest: a ConfigMap embedding files (dashboards, configs) as block scalars.</summary>
    private static byte[] GiantConfigMap(int megabytes, out int files)
    {
        var builder = new StringBuilder((megabytes + 2) * 1024 * 1024);
        builder.Append("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\n  labels:\n    name: not-this\ndata:\n");
        var line = "    " + new string('x', 116) + "\n";
        files = 0;
        while (builder.Length < megabytes * 1024 * 1024)
        {
            builder.Append("  file-").Append(files++).Append(".json: |\n");
            for (var i = 0; i < 4000; i++)
            {
                builder.Append(line);
            }
        }

        builder.Append("  last: end\n");
        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    [Test]
    public void A_50_MB_document_loads_in_reasonable_time_when_the_object_size_limit_is_lifted()
    {
        var bytes = GiantConfigMap(50, out var files);

        var watch = Stopwatch.StartNew();
        var result = new ManifestLoader(new ManifestLoaderOptions { Limits = new LoaderLimits { MaxObjectBytes = null } }).LoadBytes(bytes, "huge.yaml");
        watch.Stop();

        var data = result.Documents.Single().Element.GetProperty("data");
        Assert.That(data.EnumerateObject().Count(), Is.EqualTo(files + 1));
        Assert.That(data.GetProperty("file-0.json").GetString()!.Length, Is.EqualTo(4000 * 117));
        Assert.That(data.GetProperty("last").GetString(), Is.EqualTo("end"));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), $"loading took {watch.Elapsed}");
        TestContext.Out.WriteLine($"{bytes.Length / 1048576.0:0.0} MB in {watch.Elapsed.TotalSeconds:0.00} s");
    }

    [Test]
    public void A_document_over_the_Kubernetes_object_size_limit_is_an_error_naming_it_and_is_not_parsed()
    {
        var giant = GiantConfigMap(50, out _);
        var small = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: small}\n"u8.ToArray();
        var bytes = small.Concat("---\n"u8.ToArray()).Concat(giant).Concat("---\n"u8.ToArray()).Concat(small).ToArray();

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var result = new ManifestLoader().LoadBytes(bytes, "huge.yaml");
        watch.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        var error = result.Errors.Single();
        Assert.That(error.Kind, Is.EqualTo(ManifestErrorKind.ObjectTooLarge));
        Assert.That((error.File, error.Line, error.DocumentIndex), Is.EqualTo(("huge.yaml", 4, 1)));
        Assert.That(error.Identity, Is.EqualTo(new ResourceIdentity("v1", "ConfigMap", null, "huge")));
        Assert.That(error.Message, Does.Contain("the document starting at line 4 (ConfigMap huge) is 52,").And.Contain("over the 1,572,864 bytes (1.5 MiB) Kubernetes accepts"));
        Assert.That(result.Documents.Select(d => (d.Identity.Name, d.DocumentIndex)), Is.EqualTo(new[] { ("small", 0), ("small", 2) }), "the documents around it still load");
        Assert.That(allocated, Is.LessThan(bytes.Length), "no tree is built for the giant document");
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), $"{watch.Elapsed}");
    }

    [Test]
    public void The_object_size_limit_is_configurable_and_a_large_List_is_judged_by_its_items()
    {
        var configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  blob: " + new string('x', 3000) + "\n";
        var limited = new ManifestLoader(new ManifestLoaderOptions { Limits = new LoaderLimits { MaxObjectBytes = 2048 } });

        Assert.That(limited.LoadText(configMap, "a.yaml").Errors.Single().Kind, Is.EqualTo(ManifestErrorKind.ObjectTooLarge));
        Assert.That(new ManifestLoader().LoadText(configMap, "a.yaml").Errors, Is.Empty, "3 KB is far below the default");

        var list = "apiVersion: v1\nkind: List\nitems:\n" + string.Concat(Enumerable.Range(0, 3).Select(i => $"  - {{apiVersion: v1, kind: ConfigMap, metadata: {{name: c{i}}}, data: {{blob: {new string('x', 1000)}}}}}\n"));
        var items = limited.LoadText(list, "list.yaml");
        Assert.That(items.Errors, Is.Empty);
        Assert.That(items.Documents.Count(), Is.EqualTo(3));
    }

    [Test]
    public void A_document_with_hundreds_of_thousands_of_nodes_loads_and_locates()
    {
        var builder = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wide\ndata:\n");
        for (var i = 0; i < 100_000; i++)
        {
            builder.Append("  key-").Append(i).Append(": value-").Append(i).Append('\n');
        }

        // 2.5 MB: over Kubernetes' object size limit, lifted here because the parser and locator are under test.
        var result = new ManifestLoader(new ManifestLoaderOptions { Limits = new LoaderLimits { MaxObjectBytes = null } }).LoadText(builder.ToString(), "wide.yaml");

        var document = result.Documents.Single();
        Assert.That(document.Element.GetProperty("data").GetProperty("key-99999").GetString(), Is.EqualTo("value-99999"));
        Assert.That(document.Locate("/data/key-99999").Value, Is.EqualTo(new SourcePosition(100_005, 14)));
    }
}
