using System.Diagnostics;
using Handoff.Testing;
using Handoff.Validation.Loading;
using Handoff.Validation.Schemas;
using Handoff.Validation.Tests.Support;
using Handoff.Validation.Validation;

namespace Handoff.Validation.Tests.Schemas;

[TestFixture]
public sealed class SchemaLocationTests
{
    private const string Service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n";
    private const string Deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx}]\n";

    [TestCase("v1", "Service", "service", "v1", "v1", "-v1")]
    [TestCase("apps/v1", "Deployment", "deployment", "v1", "apps", "-apps-v1")]
    [TestCase("rbac.authorization.k8s.io/v1", "RoleBinding", "rolebinding", "v1", "rbac.authorization.k8s.io", "-rbac-v1")]
    [TestCase("sagemaker.aws.amazon.com/v1", "TrainingJob", "trainingjob", "v1", "sagemaker.aws.amazon.com", "-sagemaker-v1")]
    public void Template_values_match_kubeconform(string apiVersion, string kind, string resourceKind, string version, string group, string suffix)
    {
        var values = SchemaTemplateValues.For(new SchemaKey(apiVersion, kind), "1.34.0", strict: true);

        Assert.That((values.ResourceKind, values.ResourceApiVersion, values.Group, values.KindSuffix, values.NormalizedKubernetesVersion, values.StrictSuffix),
            Is.EqualTo((resourceKind, version, group, suffix, "v1.34.0", "-strict")));
        Assert.That(SchemaPathTemplate.Parse("x/{{ .NormalizedKubernetesVersion }}-standalone{{.StrictSuffix}}/{{ .ResourceKind }}{{ .KindSuffix }}.json").Render(values),
            Is.EqualTo($"x/v1.34.0-standalone-strict/{resourceKind}{suffix}.json"));
    }

    [TestCase("https://x/{{ .Kind }}.json", "'{{ .Kind }}' is not a supported template field")]
    [TestCase("https://x/{{ .ResourceKind | lower }}.json", "is not a supported template field")]
    [TestCase("https://x/{{ .ResourceKind.json", "unbalanced")]
    public void Bad_templates_are_rejected_with_the_fields_that_exist(string template, string message)
    {
        var ex = Assert.Throws<HandoffException>(() => SchemaPathTemplate.Parse(template));

        Assert.That(ex!.Message, Does.Contain(message));
        Assert.That(ex.Message, Does.Contain("{{ .ResourceKind }}").Or.Contain("{{ .ResourceKind }}"));
    }

    [Test]
    public void A_missing_schema_folder_or_bad_version_is_a_configuration_error()
    {
        var folder = Assert.Throws<HandoffException>(() => new KubernetesSchemaRegistry(new SchemaRegistryOptions { Locations = ["/no/such/schemas"] }));
        var version = Assert.Throws<HandoffException>(() => new KubernetesSchemaRegistry(new SchemaRegistryOptions { Locations = [Fixtures.Schemas], KubernetesVersion = "v1.34" }));

        Assert.That(folder!.Message, Does.Contain("'/no/such/schemas' does not exist"));
        Assert.That(version!.Message, Does.Contain("MAJOR.MINOR.PATCH"));
    }

    [Test]
    public void A_folder_in_kubernetes_json_schema_layout_is_used_by_version_and_strictness()
    {
        using var dir = new TempDirectory();
        dir.Write("v1.34.0-standalone-strict/service-v1.json", File.ReadAllText(Path.Combine(Fixtures.Schemas, "service-v1.json")));

        using var registry = new KubernetesSchemaRegistry(new SchemaRegistryOptions { Locations = [dir.Path], KubernetesVersion = "1.34.0", Strict = true });
        var lookup = registry.Resolve(new SchemaKey("v1", "Service"));

        Assert.That(lookup.Status, Is.EqualTo(SchemaLookupStatus.Found));
        Assert.That(lookup.Schema!.Origin, Does.EndWith(Path.Combine("v1.34.0-standalone-strict", "service-v1.json")));
    }

    [Test]
    public void Url_template_tries_the_next_location_on_404_and_caches_on_disk()
    {
        using var served = new TempDirectory();
        File.Copy(Path.Combine(Fixtures.Schemas, "service-v1.json"), served.Combine("service-v1.json"));
        Directory.CreateDirectory(served.Combine("second"));
        File.Copy(Path.Combine(Fixtures.Schemas, "deployment-apps-v1.json"), served.Combine("second", "deployment-apps-v1.json"));
        using var server = new SchemaHttpServer(served.Path);
        using var cache = new TempDirectory();
        var options = new ManifestValidationOptions
        {
            Paths = [],
            SchemaLocations = [server.Address + "/{{ .ResourceKind }}{{ .KindSuffix }}.json", server.Address + "/second/{{ .ResourceKind }}{{ .KindSuffix }}.json"],
            SchemaCacheDirectory = cache.Path,
        };
        using var input = new TempDirectory();
        var file = input.Write("app.yaml", Service + "---\n" + Deployment);

        var first = Fixtures.Run(options with { Paths = [file] });
        var afterFirst = server.Requests.ToArray();
        var second = Fixtures.Run(options with { Paths = [file] });

        Assert.That(first.Exit, Is.EqualTo(0), first.Output);
        Assert.That(first.Report.Results.Select(r => r.Status), Is.All.EqualTo(ValidationStatus.Valid));
        Assert.That(afterFirst, Is.EquivalentTo(new[] { "/service-v1.json", "/deployment-apps-v1.json", "/second/deployment-apps-v1.json" }), "404 at the first location, found at the second");
        Assert.That(first.Report.Results[1].SchemaOrigin, Is.EqualTo(server.Address + "/second/deployment-apps-v1.json"));
        Assert.That(second.Exit, Is.EqualTo(0), second.Output);
        Assert.That(server.Requests.Count, Is.EqualTo(afterFirst.Length + 1), "the second run reads both schemas from the disk cache; only the 404 is asked again");
        Assert.That(Directory.GetFiles(cache.Path), Has.Length.EqualTo(2));
    }

    [Test]
    public void A_location_that_does_not_answer_in_time_is_an_error_for_the_resources_that_needed_it()
    {
        using var served = new TempDirectory();
        File.Copy(Path.Combine(Fixtures.Schemas, "service-v1.json"), served.Combine("service-v1.json"));
        using var server = new SchemaHttpServer(served.Path);
        server.Delays["/deployment"] = TimeSpan.FromSeconds(10);
        server.WarmUp();
        using var input = new TempDirectory();
        var file = input.Write("app.yaml", Service + "---\n" + Deployment + "---\n" + Deployment.Replace("name: web\nspec", "name: web2\nspec"));

        var watch = Stopwatch.StartNew();
        var (exit, output, report) = Fixtures.Run(new ManifestValidationOptions
        {
            Paths = [file],
            SchemaLocations = [server.Address + "/{{ .ResourceKind }}{{ .KindSuffix }}.json", Fixtures.Schemas],
            // 1 s was too short for the schema that is served at once when the suite shares two cores with
            // Build.Tests (it timed out too); 3 s still fails the 10 s delay well inside the 8 s bound.
            SchemaDownloadTimeout = TimeSpan.FromSeconds(3),
        });

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(8)));
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(report.Results.Select(r => r.Status), Is.EqualTo(new[] { ValidationStatus.Valid, ValidationStatus.Error, ValidationStatus.Error }));
        Assert.That(report.Results[1].ErrorKind, Is.EqualTo(ManifestErrorKind.SchemaUnavailable));
        Assert.That(report.Results[1].Message, Does.Contain("/deployment-apps-v1.json: no answer within 3 s (timeout)"));
        Assert.That(server.RequestsFor("/deployment"), Is.EqualTo(1), "a failed type is not retried for each resource");
        Assert.That(output, Does.Contain("Errors: 2"));
    }

    [Test]
    public void A_server_error_is_retried_then_reported_and_credentials_never_show()
    {
        using var served = new TempDirectory();
        using var server = new SchemaHttpServer(served.Path);
        server.Statuses["/"] = 503;
        using var input = new TempDirectory();
        var file = input.Write("svc.yaml", Service);
        var location = server.Address.Replace("http://", "http://robot:s3cr3t-t0ken@") + "/{{ .ResourceKind }}{{ .KindSuffix }}.json";

        var (exit, output, report) = Fixtures.Run(new ManifestValidationOptions { Paths = [file], SchemaLocations = [location] });

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(report.Results.Single().ErrorKind, Is.EqualTo(ManifestErrorKind.SchemaUnavailable));
        Assert.That(output, Does.Contain("HTTP 503"));
        Assert.That(server.RequestsFor("/service-v1.json"), Is.EqualTo(3), "one attempt and two retries");
        Assert.That(output, Does.Not.Contain("s3cr3t-t0ken").And.Not.Contain("robot:"));
    }

    [Test]
    public void Strict_mode_asks_a_template_for_the_strict_variant()
    {
        using var served = new TempDirectory();
        Directory.CreateDirectory(served.Combine("v1.34.0-standalone-strict"));
        File.Copy(Path.Combine(Fixtures.Schemas, "service-v1.json"), served.Combine("v1.34.0-standalone-strict", "service-v1.json"));
        using var server = new SchemaHttpServer(served.Path);
        using var input = new TempDirectory();
        var file = input.Write("svc.yaml", Service);

        var (exit, output, _) = Fixtures.Run(new ManifestValidationOptions { Paths = [file], SchemaLocations = [server.Address], KubernetesVersion = "1.34.0", Strict = true });

        Assert.That(exit, Is.EqualTo(0), output);
        Assert.That(server.Requests, Is.EqualTo(new[] { "/v1.34.0-standalone-strict/service-v1.json" }));
    }

    [Test]
    public void A_broken_schema_file_is_an_error_naming_the_file_not_a_pass()
    {
        using var schemas = new TempDirectory();
        schemas.Write("service-v1.json", "{ not json");
        using var input = new TempDirectory();
        var file = input.Write("svc.yaml", Service);

        var (exit, _, report) = Fixtures.Run(new ManifestValidationOptions { Paths = [file], SchemaLocations = [schemas.Path], IgnoreMissingSchemas = true });

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(report.Results.Single().ErrorKind, Is.EqualTo(ManifestErrorKind.SchemaInvalid));
        Assert.That(report.Results.Single().Message, Does.Contain(Path.Combine(schemas.Path, "service-v1.json")).And.Contain("not valid JSON"));
    }
}
