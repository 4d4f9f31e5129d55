using Handoff.MSBuild.Tests.Support;
using Handoff.Testing;

namespace Handoff.MSBuild.Tests;

/// <summary>HandoffValidateManifests in real MSBuild against the shared Kubernetes 1.34 schemas.</summary>
public sealed class ValidateManifestsTests
{
    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: "two"
          replicaz: 1
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
                - name: web
                  image: ghcr.io/team/web:1.0
        """;

    private const string Service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          ports:
            - port: 80
          selector:
            app: web
        """;

    private TempDirectory _temp = null!;
    private string _project = null!;

    [SetUp]
    public void CreateProject()
    {
        _temp = new TempDirectory("msbuild-validate");
        _project = TaskProject.Write(_temp, """
              <Target Name="Validate">
                <HandoffValidateManifests Paths="$(Paths)" SchemaLocations="$(Schemas)" Strict="$(Strict)" IgnoreMissingSchemas="$(IgnoreMissing)" KubernetesVersion="1.34.0">
                  <Output TaskParameter="ValidResources" PropertyName="Valid" />
                  <Output TaskParameter="InvalidResources" PropertyName="Invalid" />
                </HandoffValidateManifests>
                <Message Importance="high" Text="OUT:Valid=$(Valid)" />
              </Target>
            """);
    }

    [TearDown]
    public void DeleteProject() => _temp.Dispose();

    [Test]
    public async Task Each_violation_is_an_error_at_its_line_in_msbuild_format_and_fails_the_build()
    {
        var file = _temp.Write("deploy/app.yaml", Deployment + "\n---\n" + Service + "\n");

        var result = await ValidateAsync(_temp.Combine("deploy"));

        Assert.That(result.Succeeded, Is.False, result.ToString);
        Assert.That(result.Errors, Has.Count.EqualTo(1), result.ToString);
        var error = result.Errors[0];
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo("HANDOFF501"));
            Assert.That(error.File, Is.EqualTo(file));
            Assert.That(error.Line, Is.EqualTo(6), "the line of replicas");
            Assert.That(error.Column, Is.GreaterThan(0));
            Assert.That(error.Message, Does.StartWith("Deployment web is invalid: /spec/replicas"));
            Assert.That(result.Output, Does.Contain($"{file}(6,{error.Column}): error HANDOFF501: Deployment web is invalid"), "MSBuild's file(line,col): error CODE: format");
            Assert.That(result.Output, Does.Contain("Summary: 2 resources found in 1 file - Valid: 1, Invalid: 1, Errors: 0, Skipped: 0"));
        });
    }

    [Test]
    public async Task Strict_also_reports_properties_the_schema_does_not_define()
    {
        _temp.Write("deploy/app.yaml", Deployment + "\n");

        var result = await ValidateAsync(_temp.Combine("deploy"), strict: true);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Errors.Select(e => e.Line).Order(), Is.EqualTo(new[] { 6, 7 }), result.ToString);
        Assert.That(result.Errors.Single(e => e.Line == 7).Message, Does.Contain("replicaz"));
    }

    [Test]
    public async Task Valid_manifests_pass_with_the_summary_as_a_message()
    {
        _temp.Write("deploy/service.yaml", Service + "\n");

        var result = await ValidateAsync(_temp.Combine("deploy"));

        Assert.That(result.Succeeded, Is.True, result.ToString);
        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Value("Valid"), Is.EqualTo("1"));
        Assert.That(result.Output, Does.Contain("Summary: 1 resource found in 1 file - Valid: 1, Invalid: 0, Errors: 0, Skipped: 0"));
    }

    [Test]
    public async Task A_kind_without_a_schema_is_an_error_unless_missing_schemas_are_ignored()
    {
        var file = _temp.Write("deploy/widget.yaml", "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n");

        var strict = await ValidateAsync(file);
        var lenient = await ValidateAsync(file, ignoreMissing: true);

        Assert.That(strict.Errors, Has.Count.EqualTo(1), strict.ToString);
        Assert.That(strict.Errors[0].Code, Is.EqualTo("HANDOFF502"));
        Assert.That(strict.Errors[0].File, Is.EqualTo(file));
        Assert.That(strict.Errors[0].Line, Is.EqualTo(1));
        Assert.That(lenient.Succeeded, Is.True, lenient.ToString);
        Assert.That(lenient.Output, Does.Contain("Skipped: 1"));
    }

    [Test]
    public async Task A_schema_location_that_does_not_exist_is_one_setup_error()
    {
        var file = _temp.Write("deploy/service.yaml", Service + "\n");

        var result = await ValidateAsync(file, schemas: _temp.Combine("no-schemas-here"));

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Errors, Has.Count.EqualTo(1), result.ToString);
        Assert.That(result.Errors[0].Code, Is.EqualTo("HANDOFF500"));
        Assert.That(result.Errors[0].Message, Does.Contain("no-schemas-here"));
    }

    private Task<BuildResult> ValidateAsync(string paths, bool strict = false, bool ignoreMissing = false, string? schemas = null) =>
        DotNet.MSBuildAsync(_project, "Validate", new Dictionary<string, string>
        {
            ["Paths"] = paths,
            ["Schemas"] = schemas ?? RepoPaths.Shared("k8s-json-schema", "schemas"),
            ["Strict"] = strict ? "true" : "false",
            ["IgnoreMissing"] = ignoreMissing ? "true" : "false",
        });
}
