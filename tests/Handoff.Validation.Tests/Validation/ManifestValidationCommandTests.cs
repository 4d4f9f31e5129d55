using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Handoff.Testing;
using Handoff.Validation.Loading;
using Handoff.Validation.Tests.Support;
using Handoff.Validation.Validation;

namespace Handoff.Validation.Tests.Validation;

[TestFixture]
public sealed class ManifestValidationCommandTests
{
    private const string BadDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
        spec:
          replicas: three
          strategy:
            type: Sometimes
            rollingUpdate:
              maxSurge: true
              maxUnavailable: null
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - image: nginx
                imagePullPolicy: Always
                ports:
                - containerPort: 80
                  protocol: TCP
                  hostIP: 1
        """;

    private static (int Exit, string Output, ValidationReport Report) RunOn(string yaml, Func<ManifestValidationOptions, ManifestValidationOptions>? configure = null, string name = "app.yaml")
    {
        using var dir = new TempDirectory();
        var file = dir.Write(name, yaml);
        var options = Fixtures.Options(file);
        return Fixtures.Run(configure?.Invoke(options) ?? options);
    }

    [Test]
    public void Each_violation_has_its_path_a_plain_message_and_its_line_and_column()
    {
        var (exit, output, report) = RunOn(BadDeployment);

        Assert.That(exit, Is.EqualTo(1));
        var result = report.Results.Single();
        Assert.That(result.Status, Is.EqualTo(ValidationStatus.Invalid));
        Assert.That(result.Identity, Is.EqualTo(new ResourceIdentity("apps/v1", "Deployment", "shop", "web")));
        var violations = result.Violations.ToDictionary(v => v.Path);
        Assert.That(violations.Keys, Is.EquivalentTo(new[]
        {
            "/spec/replicas", "/spec/strategy/type", "/spec/strategy/rollingUpdate/maxSurge", "/spec/strategy/rollingUpdate/maxUnavailable",
            "/spec", "/spec/template/spec/containers/0", "/spec/template/spec/containers/0/ports/0/hostIP",
        }));
        Assert.That(violations["/spec/replicas"].Message, Is.EqualTo("expected integer, got string \"three\""));
        Assert.That(violations["/spec/replicas"].Position, Is.EqualTo(new SourcePosition(7, 13)));
        Assert.That(violations["/spec/strategy/type"].Message, Is.EqualTo("must be one of \"Recreate\", \"RollingUpdate\"; got string \"Sometimes\""));
        Assert.That(violations["/spec/strategy/rollingUpdate/maxSurge"].Message, Is.EqualTo("expected string or integer, got boolean true"));
        Assert.That(violations["/spec/strategy/rollingUpdate/maxUnavailable"].Message, Is.EqualTo("expected string or integer, got null"), "null matched both int-or-string alternatives of the oneOf");
        Assert.That(violations["/spec"].Message, Is.EqualTo("missing required property 'selector'"));
        Assert.That(violations["/spec/template/spec/containers/0"].Message, Is.EqualTo("missing required property 'name'"));
        Assert.That(violations["/spec/template/spec/containers/0"].Position, Is.EqualTo(new SourcePosition(18, 9)));
        Assert.That(violations["/spec/template/spec/containers/0/ports/0/hostIP"].Position, Is.EqualTo(new SourcePosition(23, 19)));
        Assert.That(output, Does.StartWith(Path.Combine(Path.GetDirectoryName(result.File)!, "app.yaml") + ":1: Deployment web is invalid: /spec"));
        Assert.That(output, Does.Contain("/spec/replicas: expected integer, got string \"three\" - "));
    }

    [Test]
    public void Strict_mode_reports_unknown_properties_at_the_key()
    {
        var (_, output, report) = RunOn(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  lables: {a: b}\nspec:\n  ports:\n  - port: 80\n    nodeport: 3\n",
            o => o with { Strict = true });

        var violations = report.Results.Single().Violations;
        Assert.That(violations.Select(v => (v.Path, v.Keyword, v.Position)), Is.EquivalentTo(new[]
        {
            ("/metadata/lables", "additionalProperties", new SourcePosition(5, 3)),
            ("/spec/ports/0/nodeport", "additionalProperties", new SourcePosition(9, 5)),
        }));
        Assert.That(output, Does.Contain("/metadata/lables: property 'lables' is not allowed here"));
    }

    [Test]
    public void Duplicate_keys_fail_in_strict_mode_and_last_wins_otherwise()
    {
        const string yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: \"1\"\n  a: \"2\"\n";

        var lenient = RunOn(yaml);
        var strict = RunOn(yaml, o => o with { Strict = true });

        Assert.That(lenient.Exit, Is.EqualTo(0), lenient.Output);
        Assert.That(strict.Exit, Is.EqualTo(1));
        Assert.That(strict.Report.Results.Single().ErrorKind, Is.EqualTo(ManifestErrorKind.DuplicateKey));
        Assert.That(strict.Output, Does.Contain("app.yaml:7: failed validation: duplicate key 'a'"));
    }

    [Test]
    public void An_unknown_kind_is_an_error_naming_the_locations_tried_or_skipped_when_asked()
    {
        const string yaml = "apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\n";

        var strictAboutSchemas = RunOn(yaml);
        var lenient = RunOn(yaml, o => o with { IgnoreMissingSchemas = true, Verbose = true });

        Assert.That(strictAboutSchemas.Exit, Is.EqualTo(1));
        Assert.That(strictAboutSchemas.Report.Results.Single().ErrorKind, Is.EqualTo(ManifestErrorKind.SchemaNotFound));
        Assert.That(strictAboutSchemas.Output, Does.Contain("Gadget g failed validation: could not find a schema for example.com/v1/Gadget (tried " + Path.Combine(Fixtures.Schemas, "gadget-example-v1.json") + ")"));
        Assert.That(lenient.Exit, Is.EqualTo(0));
        Assert.That(lenient.Output, Does.Contain("Gadget g skipped: no schema for example.com/v1/Gadget"));
    }

    [TestCase("Deployment", ValidationStatus.Skipped)]
    [TestCase("apps/v1/Deployment", ValidationStatus.Skipped)]
    [TestCase("apps/v1beta1/Deployment", ValidationStatus.Valid)]
    [TestCase("v1/Deployment", ValidationStatus.Valid)]
    [TestCase("deployment", ValidationStatus.Valid)]
    public void Skip_matches_kind_or_apiVersion_and_kind_exactly(string skip, ValidationStatus expected)
    {
        const string yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: i}]}\n";

        var (_, output, report) = RunOn(yaml, o => o with { Skip = [skip] });

        Assert.That(report.Results.Single().Status, Is.EqualTo(expected), output);
    }

    [Test]
    public void Json_output_carries_identity_location_status_and_violations()
    {
        var (exit, output, _) = RunOn(BadDeployment + "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine}\n---\nkind: Orphan\n",
            o => o with { Output = ManifestOutputFormat.Json });

        Assert.That(exit, Is.EqualTo(1));
        using var json = JsonDocument.Parse(output);
        var resources = json.RootElement.GetProperty("resources").EnumerateArray().ToList();
        Assert.That(resources, Has.Count.EqualTo(2), "valid resources are listed only when verbose");
        var invalid = resources[0];
        Assert.That(invalid.GetProperty("status").GetString(), Is.EqualTo("invalid"));
        Assert.That(invalid.GetProperty("kind").GetString(), Is.EqualTo("Deployment"));
        Assert.That(invalid.GetProperty("namespace").GetString(), Is.EqualTo("shop"));
        Assert.That(invalid.GetProperty("line").GetInt32(), Is.EqualTo(1));
        var replicas = invalid.GetProperty("violations").EnumerateArray().Single(v => v.GetProperty("path").GetString() == "/spec/replicas");
        Assert.That((replicas.GetProperty("line").GetInt32(), replicas.GetProperty("column").GetInt32(), replicas.GetProperty("keyword").GetString()), Is.EqualTo((7, 13, "type")));
        var orphan = resources[1];
        Assert.That((orphan.GetProperty("status").GetString(), orphan.GetProperty("errorKind").GetString()), Is.EqualTo(("error", "MissingApiVersion")));
        var summary = json.RootElement.GetProperty("summary");
        Assert.That((summary.GetProperty("resources").GetInt32(), summary.GetProperty("valid").GetInt32(), summary.GetProperty("invalid").GetInt32(), summary.GetProperty("errors").GetInt32()), Is.EqualTo((3, 1, 1, 1)));
    }

    [Test]
    public void Configuration_mistakes_throw_a_user_facing_error()
    {
        Assert.That(() => ManifestValidationCommand.Run(new ManifestValidationOptions { Paths = [] }, TextWriter.Null),
            Throws.TypeOf<HandoffException>().With.Message.Contains("--path=FILE_OR_DIR"));
        Assert.That(() => ManifestValidationOptions.ParseOutput("xml"),
            Throws.TypeOf<HandoffException>().With.Message.Contains("--output=text or --output=json"));
        Assert.That(ManifestValidationOptions.ParseOutput("JSON"), Is.EqualTo(ManifestOutputFormat.Json));
        Assert.That(() => ManifestValidationCommand.Run(Fixtures.Options("x.yaml") with { CrdPaths = ["/no/crds"] }, TextWriter.Null),
            Throws.TypeOf<HandoffException>().With.Message.Contains("CRD path /no/crds does not exist"));
    }

    [Test]
    public void An_object_over_the_size_limit_counts_as_an_error_in_the_summary()
    {
        var blob = new string('x', 2 * 1024 * 1024);
        var yaml = $"apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec:\n  ports: [{{port: 80}}]\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bundle\ndata:\n  blob: {blob}\n";

        var (exit, output, report) = RunOn(yaml, name: "big.yaml");

        Assert.That(exit, Is.EqualTo(1));
        var error = report.Results.Single(r => r.Status == ValidationStatus.Error);
        Assert.That((error.ErrorKind, Path.GetFileName(error.File), error.Position.Line), Is.EqualTo(((ManifestErrorKind?)ManifestErrorKind.ObjectTooLarge, "big.yaml", 6)));
        Assert.That(output, Does.Contain("big.yaml").And.Contain("ConfigMap bundle").And.Contain("1.5 MiB"));
        Assert.That(output.TrimEnd(), Does.EndWith("Summary: 2 resources found in 1 file - Valid: 1, Invalid: 0, Errors: 1, Skipped: 0"));
    }

    [Test]
    public void Thousands_of_resources_validate_quickly_with_schemas_compiled_once()
    {
        var yaml = new StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            yaml.Append($"---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: web-{i}, labels: {{app: web}}}}\nspec:\n  replicas: 2\n  selector: {{matchLabels: {{app: web}}}}\n  template:\n    metadata: {{labels: {{app: web}}}}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        ports: [{{containerPort: 8080}}]\n        resources: {{requests: {{cpu: 100m, memory: 64Mi}}}}\n");
            yaml.Append($"---\napiVersion: v1\nkind: Service\nmetadata: {{name: web-{i}}}\nspec:\n  selector: {{app: web}}\n  ports: [{{port: 80, targetPort: 8080}}]\n");
        }

        var watch = Stopwatch.StartNew();
        var (exit, output, report) = RunOn(yaml.ToString());
        watch.Stop();

        Assert.That(exit, Is.EqualTo(0), output);
        Assert.That(output.TrimEnd(), Is.EqualTo("Summary: 4000 resources found in 1 file - Valid: 4000, Invalid: 0, Errors: 0, Skipped: 0"));
        Assert.That(report.Results.Select(r => r.SchemaOrigin).Distinct().Count(), Is.EqualTo(2));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(30)), $"{watch.Elapsed}");
        TestContext.Out.WriteLine($"4000 resources in {watch.Elapsed.TotalSeconds:0.00} s ({4000 / watch.Elapsed.TotalSeconds:0} resources/s, Debug build, shared machine)");
    }
}
