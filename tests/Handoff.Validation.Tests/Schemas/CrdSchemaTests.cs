using Handoff.Testing;
using Handoff.Validation.Loading;
using Handoff.Validation.Tests.Support;
using Handoff.Validation.Validation;

namespace Handoff.Validation.Tests.Schemas;

[TestFixture]
public sealed class CrdSchemaTests
{
    private const string WidgetCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          names: {kind: Widget, plural: widgets}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    required: [size]
                    properties:
                      size:
                        type: string
                        enum: [small, large]
                      port:
                        x-kubernetes-int-or-string: true
                      owner:
                        type: string
                        nullable: true
                      settings:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
                        properties:
                          level: {type: integer}
                      template:
                        type: object
                        x-kubernetes-embedded-resource: true
                        properties:
                          spec: {type: object}
          - name: v1alpha1
            served: false
            storage: false
            schema:
              openAPIV3Schema: {type: object}
        """;

    private static (int Exit, string Output, ValidationReport Report) Validate(string resources, bool strict = false)
    {
        using var dir = new TempDirectory();
        var file = dir.Write("all.yaml", WidgetCrd + "\n---\n" + resources);
        // The shared Kubernetes schemas have no schema for CustomResourceDefinition itself: skip the CRD,
        // which still provides the schema for its resources.
        var result = Fixtures.Run(Fixtures.Options(file) with { Strict = strict, Skip = ["apiextensions.k8s.io/v1/CustomResourceDefinition"] });
        Assert.That(result.Report.Results[0].Status, Is.EqualTo(ValidationStatus.Skipped));
        return (result.Exit, result.Output, new ValidationReport(result.Report.Results.Skip(1).ToList(), result.Report.Files));
    }

    [Test]
    public void A_custom_resource_is_validated_against_the_CRD_among_the_inputs()
    {
        var (exit, output, report) = Validate("""
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: ok}
            spec:
              size: small
              port: http
              owner: null
              settings: {level: 3, anything: [1, 2]}
              template: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {}}
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: numeric-port}
            spec: {size: large, port: 8080}
            """, strict: true);

        Assert.That(exit, Is.EqualTo(0), output);
        Assert.That(report.Results.Select(r => r.Status), Is.All.EqualTo(ValidationStatus.Valid));
        Assert.That(report.Results[1].SchemaOrigin, Does.StartWith("CustomResourceDefinition widgets.example.com ("));
    }

    [Test]
    public void Violations_of_a_CRD_schema_are_reported_at_their_lines()
    {
        var (exit, output, report) = Validate("""
            apiVersion: example.com/v1
            kind: Widget
            metadata: {name: bad}
            spec:
              size: medium
              port: [80]
              colour: blue
            """, strict: true);

        Assert.That(exit, Is.EqualTo(1));
        var widget = report.Results.Single(r => r.Identity.Kind == "Widget");
        Assert.That(widget.Violations.Select(v => (v.Path, v.Keyword, v.Position.Line - widget.Line + 1)), Is.EquivalentTo(new[]
        {
            ("/spec/size", "enum", 5),
            ("/spec/port", "type", 6),
            ("/spec/colour", "additionalProperties", 7),
        }));
        Assert.That(widget.Violations.Single(v => v.Keyword == "enum").Message, Is.EqualTo("must be one of \"small\", \"large\"; got string \"medium\""));
        Assert.That(widget.Violations.Single(v => v.Path == "/spec/port").Message, Is.EqualTo("expected integer or string, got an array"));
        Assert.That(output, Does.Contain("all.yaml:").And.Contain(": Widget bad is invalid: /spec/size: must be one of"));
    }

    [Test]
    public void Outside_strict_mode_unknown_fields_of_a_CRD_resource_pass()
    {
        var (exit, output, _) = Validate("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: small, colour: blue}\n");

        Assert.That(exit, Is.EqualTo(0), output);
    }

    [Test]
    public void A_version_that_is_not_served_has_no_schema()
    {
        var (exit, output, report) = Validate("apiVersion: example.com/v1alpha1\nkind: Widget\nmetadata: {name: w}\n");

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(report.Results.Single(r => r.Identity.Kind == "Widget").ErrorKind, Is.EqualTo(ManifestErrorKind.SchemaNotFound), output);
    }

    [Test]
    public void CRDs_can_come_from_an_extra_folder()
    {
        using var crds = new TempDirectory();
        crds.Write("widgets.yaml", WidgetCrd);
        using var input = new TempDirectory();
        var file = input.Write("widget.yaml", "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {}\n");

        crds.Write("broken.yaml", "kind: [\n");

        var (exit, output, report) = Fixtures.Run(Fixtures.Options(file) with { CrdPaths = [crds.Path] });
        var json = Fixtures.Run(Fixtures.Options(file) with { CrdPaths = [crds.Path], Output = ManifestOutputFormat.Json });

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(report.Results.Single().Violations.Single().Message, Is.EqualTo("missing required property 'size'"), output);
        Assert.That(output, Does.StartWith("warning: " + crds.Combine("broken.yaml") + ":"));
        using var parsed = System.Text.Json.JsonDocument.Parse(json.Output);
        Assert.That(parsed.RootElement.GetProperty("warnings").GetArrayLength(), Is.EqualTo(1), "warnings stay inside the JSON document");
    }

    [Test]
    public void Kubeconform_fixture_custom_resource_validates_against_its_v1beta1_CRD()
    {
        var fixtures = Fixtures.KubeconformFixtures;

        var (_, output, report) = Fixtures.Run(Fixtures.Options(Path.Combine(fixtures, "test_crd.yaml")) with
        {
            CrdPaths = [Path.Combine(fixtures, "crd_schema.yaml")],
            Strict = true,
        });

        var trainingJob = report.Results.Single();
        Assert.That(trainingJob.Status, Is.EqualTo(ValidationStatus.Valid), output);
        Assert.That(trainingJob.SchemaOrigin, Does.Contain("trainingjobs.sagemaker.aws.amazon.com"));
    }

    [Test]
    public void A_registry_reused_across_runs_picks_up_CRDs_added_later()
    {
        using var registry = new Handoff.Validation.Schemas.KubernetesSchemaRegistry(new() { Locations = [Fixtures.Schemas] });
        var validator = new ManifestValidator(registry);
        var loader = new ManifestLoader();
        var widget = loader.LoadText("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: small}\n", "widget.yaml");

        var before = validator.Validate(widget);
        registry.AddCustomResourceDefinitions(loader.LoadText(WidgetCrd, "crd.yaml").Documents);
        var after = validator.Validate(widget);

        Assert.That(before.Results.Single().ErrorKind, Is.EqualTo(ManifestErrorKind.SchemaNotFound));
        Assert.That(after.Results.Single().Status, Is.EqualTo(ValidationStatus.Valid));
    }
}
