using System.Text.Json.Nodes;
using Handoff.Policy.Engine;
using Handoff.Policy.Matching;
using Handoff.Policy.Variables;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Handoff.Policy.Tests;

/// <summary>
/// The variable scope keeps two forms of the same variables: engine values over the resource's nodes (for node
/// queries) and a Json.NET object (for JmesPath.Net), built on demand. Both must say the same thing through every
/// set, undo and rebuild, and writes into resource data must never reach the resource itself.
/// </summary>
public sealed class ResourceScopeTests
{
    private const string PodYaml = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          namespace: shop
          labels:
            app: web
        spec:
          containers:
          - name: a
            image: registry.example.com/a:1
          - name: b
            image: nginx:latest
            securityContext: null
        """;

    private static readonly string[] Expressions =
    [
        "request.object.metadata.name", "request.operation", "request.kind", "request.kind.kind", "request.namespace", "request.name",
        "request.userInfo", "request.oldObject", "request.roles", "request.dryRun", "element.image", "elementIndex", "element0.name",
        "ctx.value.x[1]", "ctx", "allowed", "team", "team.name", "keys(@)", "keys(request)", "values(request.kind)", "*.kind", "request.*",
        "length(request.object.spec.containers)", "request", "@", "serviceAccountName", "extra", "[element, extra]", "$.request.name",
        "request.object.spec.containers[?name == element.name].image",
    ];

    private static (ResourceScope Scope, JsonNode Resource) NewScope(EvaluationContext? context = null)
    {
        context ??= new EvaluationContext()
            .WithGlobalValue("allowed", JsonNode.Parse("""["registry.example.com/*", "ghcr.io/*"]"""))
            .WithGlobalValue("team.name", JsonValue.Create("shop"));
        var resource = Support.Yaml(PodYaml);
        return (new ResourceScope(new ResourceFacts(resource, context), context), resource);
    }

    private static void AssertBothFormsAgree(ResourceScope scope, string when)
    {
        var library = JmesPathRuntime.Current;
        Assert.That(scope.NodeQueriesAllowed, Is.True, when);
        foreach (var expression in Expressions)
        {
            var query = JmesPathRuntime.Shared.Compile(expression);
            var viaNodes = Outcome(() => QueryValue.ToResultToken(query.EvaluateNodes(scope.Root, library)));
            var viaLibrary = Outcome(() => query.EvaluateLibrary(scope.TokenRoot, library));
            Assert.That(viaNodes, Is.EqualTo(viaLibrary), $"{expression} {when}");
        }
    }

    [Test]
    public void Both_forms_of_the_variables_agree_through_sets_undos_and_rebuilds()
    {
        AssertBothFormsAgree(NewScope().Scope, "before any variable is set");
        var (scope, resource) = NewScope();
        var containers = (JsonArray)resource["spec"]!["containers"]!;

        var rule = scope.Checkpoint();
        scope.Set("ctx.value", JToken.Parse("""{"x": [1, 2.5]}"""));
        scope.Set("element", containers[0]);
        scope.Set("elementIndex", new JValue(0));
        scope.Set("element0", containers[0]);
        AssertBothFormsAgree(scope, "after setting variables before the token form existed");

        var element = scope.Checkpoint();
        scope.Set("element", containers[1]);
        scope.Set("elementIndex", new JValue(1));
        scope.Set("extra", null);
        scope.Set("team.name", JValue.CreateString("other"));
        AssertBothFormsAgree(scope, "after changes made while the token form existed");

        scope.Restore(element);
        AssertBothFormsAgree(scope, "after undoing the changes made while the token form existed");

        scope.Restore(rule);
        AssertBothFormsAgree(scope, "after undoing everything (token form dropped and rebuilt)");
    }

    [Test]
    public void A_variable_written_into_resource_data_is_seen_by_queries_but_never_changes_the_resource()
    {
        var (scope, resource) = NewScope();
        var query = JmesPathRuntime.Shared.Compile("request.object.metadata.name");
        var mark = scope.Checkpoint();

        scope.Set("request.object.metadata.name", JValue.CreateString("renamed"));
        var whileSet = QueryValue.AsString(query.Evaluate(scope));
        var allowedWhileSet = scope.NodeQueriesAllowed;
        scope.Restore(mark);

        Assert.Multiple(() =>
        {
            Assert.That(whileSet, Is.EqualTo("renamed"));
            Assert.That(allowedWhileSet, Is.False, "node queries would read the unchanged resource");
            Assert.That(resource["metadata"]!["name"]!.GetValue<string>(), Is.EqualTo("web"));
            Assert.That(scope.NodeQueriesAllowed, Is.True);
            Assert.That(QueryValue.AsString(query.Evaluate(scope)), Is.EqualTo("web"));
        });
        AssertBothFormsAgree(scope, "after undoing the write into resource data");
    }

    [Test]
    public void A_global_value_inside_the_resource_keeps_the_scope_on_the_library_for_good()
    {
        var context = new EvaluationContext().WithGlobalValue("request.object.metadata.labels.injected", JsonValue.Create("yes"));
        var (scope, resource) = NewScope(context);
        var mark = scope.Checkpoint();
        scope.Set("element", JValue.CreateString("x"));
        scope.Restore(mark);

        Assert.Multiple(() =>
        {
            Assert.That(scope.NodeQueriesAllowed, Is.False);
            Assert.That(QueryValue.AsString(JmesPathRuntime.Shared.Compile("request.object.metadata.labels.injected").Evaluate(scope)), Is.EqualTo("yes"));
            Assert.That(QueryValue.AsString(JmesPathRuntime.Shared.Compile("request.object.metadata.labels.app").Evaluate(scope)), Is.EqualTo("web"));
            Assert.That(resource["metadata"]!["labels"]!.AsObject().ContainsKey("injected"), Is.False);
        });
    }

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
}
