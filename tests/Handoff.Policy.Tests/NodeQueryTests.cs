using System.Text.Json.Nodes;
using Handoff.Policy.Variables;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Handoff.Policy.Tests;

/// <summary>
/// Differential tests: every expression the node evaluator handles must give exactly what JmesPath.Net gives on the
/// Json.NET form of the same data — same value, same types (1 vs 1.0 vs "1"), same key order, same nulls dropped or
/// kept, same error message — over documents from the YAML reader and from System.Text.Json's parser alike.
/// </summary>
public sealed class NodeQueryTests
{
    private const string Pod = """
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"web","namespace":"shop","labels":{"app":"web","tier":"front","version":"1.2"},"annotations":{}},
         "spec":{"containers":[
            {"name":"a","image":"registry.example.com/a:1@sha256:4c9a7d2f0b1e3a5c6d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e",
             "ports":[{"containerPort":80},{"containerPort":8080,"name":"http"}],"securityContext":{"privileged":false,"runAsUser":1000}},
            {"name":"b","image":"nginx:latest","securityContext":null,"resources":{"limits":{"memory":"1Gi","cpu":1.5}}}],
          "initContainers":[],"ephemeralContainers":null,"volumes":[{"name":"v","emptyDir":{}}]}}
        """;

    private const string EdgeCases = """
        {"a":null,"b":[null,1,"1",1.0,2.5,true,false,"",[],{},[1,[2,null,[3]]],{"c":null}],
         "c":{"d":{"e":[{"f":1},{"f":"1"},{"g":null},{"f":null},[{"f":2}],null]}},
         "n":0,"s":"abc","t":"","arr":[[1,2],[3,[4,5]],[],null,"x"],
         "objs":[{"name":"x","v":1},{"name":"y","v":"2"},{"name":null},{"v":3.5},{}],
         "nested":[[{"k":"a"}],[{"k":"b"},{"k":null}]],"num":-7,"big":12345678901,"f":1e21,"neg":-0.5,
         "mixed":[1,"a",null,true,{"k":1},[2]],
         "spec":{"containers":[{"name":"x","image":"x:latest"},{"name":"y"}],"initContainers":null}}
        """;

    private static readonly string[] Documents = [Pod, EdgeCases, """[1, {"a": 2}, [3], null, "s", [[4]]]""", "{}", "42", "\"text\"", "[]"];

    /// <summary>Expressions the node evaluator must handle (each has a node query) and match the library on.</summary>
    public static readonly string[] NodeExpressions =
    [
        // Paths and indexes.
        "a", "a.b", "metadata.name", "metadata.labels.app", "metadata.labels.\"app\"", "metadata.missing.x", "spec.containers",
        "spec.containers[0].name", "spec.containers[-1].image", "spec.containers[5]", "spec.containers[0].ports[1].name", "@", "@.metadata",
        "$.kind", "$", "[0]", "[-1]", "b[0]", "b[10][1][2]", "s.x", "s[0]",
        // Projections and flattening.
        "spec.containers[*].name", "spec.containers[].image", "spec.containers[*].securityContext", "spec.containers[*].securityContext.privileged",
        "spec.containers[*].ports[*].containerPort", "spec.containers[].ports[].containerPort", "spec.[ephemeralContainers, initContainers, containers][]",
        "spec.[ephemeralContainers, initContainers, containers][].image", "spec.[containers, initContainers][][]", "b[*]", "b[]", "b[][]",
        "arr[]", "arr[][]", "arr[*][*]", "arr[*][0]", "nested[*][*].k", "nested[].k", "nested[][].k", "c.d.e[*].f", "c.d.e[].f",
        "c.d.e[*][*].f", "objs[*].name", "objs[*].[name, v]", "objs[*].[name, v][]", "objs[*].{n: name, v: v}", "*", "metadata.*",
        "metadata.labels.*", "c.*.e", "*.d", "objs[0].*", "mixed[*]", "mixed[]", "[*]", "[]", "[*].a", "[][]", "a[*]", "a[]",
        "b[*].c", "spec.containers[*].ports", "spec.containers[*].ports[0]", "spec.containers[].ports[0]",
        // Filters.
        "objs[?name == 'x']", "objs[?name == 'x'].v", "objs[?v > `1`]", "objs[?v >= `1`].name", "objs[?v < `3`]", "objs[?v <= '2']",
        "objs[?name != null]", "objs[?name != `null`]", "objs[?name]", "objs[?!name]", "objs[?name && v]", "objs[?name || v]", "b[?@ == `1`]",
        "b[?@ == '1']", "b[?@ == `1.0`]", "b[?@]", "b[?@ > `0`]", "b[?@ < 'b']", "b[?@ >= `null`]", "b[?@ <= `null`]", "b[?@ > `null`]",
        "b[?@ < `null`]", "spec.containers[?name == 'a'].image", "spec.containers[?securityContext.privileged == `false`].name",
        "spec.containers[?contains(image, 'latest')].name", "spec.containers[?starts_with(image, 'registry.example.com/')].name",
        "mixed[?@ != `null`]", "c.d.e[?f == `1`]", "c.d.e[?f]", "arr[?length(@) > `1`]", "objs[?v > `1`] | [0]", "[?@]", "[?a == `2`]",
        // Multi-select lists and hashes.
        "[a, s]", "[missing]", "[missing, a][]", "{x: s, y: missing}", "{name: metadata.name, images: spec.containers[].image}",
        "[metadata.name, spec.containers[0].name]", "missing.[a, b]", "missing.{a: a}", "objs[*].[missing]", "[[a, b], [s]][]",
        // Pipes.
        "spec.containers[*].name | [0]", "b[] | length(@)", "objs[*].v | [?@ > `1`]", "arr | [0]", "spec.containers[].image | join(', ', @)",
        "b | [0]", "nested[*] | [1]", "nested[*][*] | [0]",
        // Literals and raw strings.
        "`1`", "`\"x\"`", "`[1, 2]`", "`{\"a\": 1}`", "'raw'", "`null`", "[`null`, a]", "`1.0`", "[`1`, `true`][]",
        // Boolean operators.
        "a || s", "a && s", "s && n", "!s", "!t", "missing || `\"d\"`", "n || 'zero'", "b[0] || b[1]", "b[*] || s", "b[?@ == `99`] || 'none'",
        "!b[?@ == `99`]", "!(a || t)", "(s)", "(metadata).name",
        // Comparisons.
        "n == `0`", "num < `0`", "s == 'abc'", "s > 'abb'", "s < `null`", "`null` < s", "`null` <= `null`", "big > `12345678900`",
        "f > `1e20`", "neg < `0`", "b[3] == `1`", "b[1] == b[3]", "c == c", "b == b", "objs[0] == `{\"name\":\"x\",\"v\":1}`",
        "objs[0] == `{\"v\":1,\"name\":\"x\"}`", "s == `\"abc\"`", "n == `false`", "b[5] == `true`", "b[*] == b[*]", "s >= 'abc'", "s < 'b'",
        "n < s", "`[1]` == `[1.0]`", "metadata.labels.version == '1.2'", "spec.containers[0].securityContext.runAsUser >= `1000`",
        // JMESPath functions.
        "length(spec.containers)", "length(s)", "length(metadata.labels)", "keys(metadata.labels)", "values(metadata.labels)",
        "join('-', spec.containers[].name)", "contains(spec.containers[].name, 'a')", "starts_with(s, 'ab')", "ends_with(s, 'c')",
        "to_string(n)", "to_string(b)", "to_number('12')", "to_number('1.5')", "type(b)", "type(missing)", "not_null(missing, a, s)",
        "not_null(missing)", "max(`[1, 5, 3]`)", "sort(spec.containers[].name)", "reverse(s)", "merge(metadata.labels, `{\"x\": \"y\"}`)",
        "to_array(s)", "to_array(b)", "abs(num)", "floor(neg)", "ceil(neg)", "sum(`[1, 2.5]`)", "length(missing)", "length(b[*])",
        "contains(s, 'b')", "min(`[\"b\", \"a\"]`)", "keys(@)", "values(c)", "to_string(objs[0])", "length(`{}`)",
        // Kyverno functions.
        "to_upper(s)", "to_lower(metadata.name)", "split(s, 'b')", "regex_match('^a', s)",
        "regex_match('^[^@]+@sha256:[0-9a-f]{64}$', spec.containers[0].image)", "truncate(s, `2`)", "base64_encode(s)",
        "label_match(`{\"app\":\"web\"}`, metadata.labels)", "pattern_match('a*', s)", "compare(s, 'abd')", "equal_fold(s, 'ABC')",
        "replace_all(s, 'b', 'x')", "trim_prefix(s, 'a')", "add(n, `1`)", "divide(`6`, `4`)", "parse_json('{\"a\":[1,2]}').a[1]",
        "items(metadata.labels, 'k', 'v')", "object_from_lists(`[\"a\"]`, `[1]`)", "to_upper(n)", "regex_match('(', s)",
        "spec.containers[?regex_match('latest$', image)].name", "join(', ', `[\"registry.example.com/*\", \"ghcr.io/example-org/*\"]`)",
        "split(spec.containers[0].image, ':')[0]", "to_upper(spec.containers[].name[0])", "length(split(s, ''))",
    ];

    /// <summary>Constructs the node evaluator leaves to JmesPath.Net (slices, arithmetic, expression arguments, let).</summary>
    public static readonly string[] LibraryOnlyExpressions =
    [
        "spec.containers[0:1]", "b[::2]", "s[::-1]", "n + `1`", "-num", "sort_by(objs[?v != null], &to_string(v))", "map(&name, objs)",
        "max_by(spec.containers, &name)", "spec.containers[*].ports[0:1]",
    ];

    private static IEnumerable<(string Name, JsonNode Node)> Inputs()
    {
        for (var i = 0; i < Documents.Length; i++)
        {
            // Both shapes the engine sees: the YAML reader's typed values, and JsonElement-backed nodes from a JSON parser.
            yield return ($"doc{i}/yaml", Support.Yaml(Documents[i]));
            yield return ($"doc{i}/json", JsonNode.Parse(Documents[i])!);
        }
    }

    [TestCaseSource(nameof(NodeExpressions))]
    public void Node_evaluation_returns_exactly_what_JmesPath_Net_returns(string expression)
    {
        var query = JmesPathRuntime.Shared.Compile(expression);
        Assert.That(query.HasNodeQuery, Is.True, $"'{expression}' should be evaluated on nodes");

        var library = JmesPathRuntime.Current;
        Assert.Multiple(() =>
        {
            foreach (var (name, node) in Inputs())
            {
                var expected = Outcome(() => query.EvaluateLibrary(JsonBridge.ToToken(node), library));
                var actual = Outcome(() => QueryValue.ToResultToken(query.EvaluateNodes(node, library)));
                Assert.That(actual, Is.EqualTo(expected), $"{expression} on {name}");
            }
        });
    }

    [TestCaseSource(nameof(LibraryOnlyExpressions))]
    public void Constructs_without_a_node_mirror_are_left_to_JmesPath_Net(string expression)
    {
        var query = JmesPathRuntime.Shared.Compile(expression);
        Assert.That(query.HasNodeQuery, Is.False);

        var scope = new ValueScope();
        foreach (var (name, node) in Inputs())
        {
            var expected = Outcome(() => query.EvaluateLibrary(JsonBridge.ToToken(node), JmesPathRuntime.Current));
            Assert.That(Outcome(() => QueryValue.ToResultToken(query.EvaluateOn(node, scope))), Is.EqualTo(expected), $"{expression} on {name}");
        }
    }

    [Test]
    public void The_guardrail_expressions_are_all_evaluated_on_nodes()
    {
        string[] guardrail =
        [
            "request.object.spec.[ephemeralContainers, initContainers, containers][]",
            "request.object.spec.template.spec.[ephemeralContainers, initContainers, containers][]",
            "request.object.spec.jobTemplate.spec.template.spec.[ephemeralContainers, initContainers, containers][]",
            "regex_match('^[^@]+@sha256:[0-9a-f]{64}$', element.image)",
            "element.image",
            "allowedRegistries",
            "join(', ', allowedRegistries)",
        ];

        Assert.That(guardrail.Where(e => !JmesPathRuntime.Shared.Compile(e).HasNodeQuery), Is.Empty);
    }

    [Test]
    public void Projections_drop_missing_values_but_keep_explicit_nulls_like_the_library()
    {
        var node = Support.Yaml("""
            items:
            - name: a
              value: null
            - name: b
            """);
        var library = JmesPathRuntime.Current;
        var query = JmesPathRuntime.Shared.Compile("items[*].value");

        var viaNodes = QueryValue.ToResultToken(query.EvaluateNodes(node, library));
        var viaLibrary = query.EvaluateLibrary(JsonBridge.ToToken(node), library);

        Assert.Multiple(() =>
        {
            Assert.That(viaNodes!.ToString(Formatting.None), Is.EqualTo("[null]"));
            Assert.That(viaLibrary!.ToString(Formatting.None), Is.EqualTo("[null]"));
        });
    }

    /// <summary>A value or the error, written so types and key order count: 1, 1.0 and "1" all differ.</summary>
    private static string Outcome(Func<JToken?> evaluate)
    {
        try
        {
            var token = evaluate();
            return token is null ? "<null>" : $"{token.Type}: {token.ToString(Formatting.None)}";
        }
        catch (EvaluationException ex)
        {
            return "error: " + ex.Message;
        }
    }

    /// <summary>A scope with no variables, for expressions applied to a value.</summary>
    private sealed class ValueScope : IQueryScope
    {
        public object Root => new MapValue();
        public JToken TokenRoot => new JObject();
        public bool NodeQueriesAllowed => true;
        public JmesPathRuntime.ThreadEvaluator Library => JmesPathRuntime.Current;
    }
}
