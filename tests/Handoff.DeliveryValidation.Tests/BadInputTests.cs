using System.Text;
using Handoff.DeliveryValidation.Tests.Support;
using Handoff.Reports;
using Handoff.Testing;
using static Handoff.DeliveryValidation.Tests.Support.ReportAssertions;

namespace Handoff.DeliveryValidation.Tests;

/// <summary>Bad input of every kind is a classified, located error finding with a non-zero exit code: never a crash, never a pass.</summary>
public sealed class BadInputTests
{
    private DeliveryWorkspace _workspace = null!;

    [OneTimeSetUp]
    public async Task CreateRepository()
    {
        _workspace = await DeliveryWorkspace.CreateAsync(Variants.TwoApps);
        await _workspace.ShipAsync(DeliveryWorkspace.Release(), until: "dev");
    }

    [OneTimeTearDown]
    public void Cleanup() => _workspace.Dispose();

    private async Task<ValidationRun> ValidateAsync(string branch, IReadOnlyDictionary<string, string?> files, IReadOnlyDictionary<string, byte[]>? bytes = null)
    {
        _workspace.Commit(branch, files, bytes: bytes);
        return await _workspace.ValidateAsync(_workspace.Checkout(branch), "main", environment: GitHubActions);
    }

    [Test]
    public async Task A_chart_whose_template_fails_shows_helms_error_with_the_chart_and_values()
    {
        var values = _workspace.Show("main", "env/dev/values.yaml");
        var digestLine = values.Split('\n').Single(l => l.TrimStart().StartsWith("digest:", StringComparison.Ordinal));
        var run = await ValidateAsync("bad-digest", new Dictionary<string, string?> { ["env/dev/values.yaml"] = values.Replace(digestLine, "  digest: \"sha256:not-hex\"", StringComparison.Ordinal) });

        var finding = AssertErrorEverywhere(run, CheckKinds.Render, "helm-template", messageContains: "image.digest \"sha256:not-hex\" is not a digest");
        Assert.That(finding.Message, Does.Contain("helm template of chart apps/myapp/chart").And.Contain("env/dev/values.yaml"));
        Assert.That(finding.Message, Does.Not.Contain(run.Checkout), "paths are repository-relative");
        Assert.That(finding.File, Does.StartWith("apps/myapp/chart/templates/"));
        Assert.That(finding.Line, Is.GreaterThan(0));
        Assert.That(run.Errors.Any(f => f.Check == CheckKinds.Custody && f.RuleId == "invalid-digest" && f.File == "env/dev/values.yaml"), Is.True, run.Console);
    }

    [Test]
    public async Task A_template_syntax_error_names_the_template()
    {
        var path = "apps/myapp/chart/templates/service.yaml";
        var run = await ValidateAsync("bad-template", new Dictionary<string, string?> { [path] = _workspace.Show("main", path).Replace("{{ .Values.service.type }}", "{{ .Values.service.type ", StringComparison.Ordinal) });

        var finding = AssertErrorEverywhere(run, CheckKinds.Render, "helm-template", path);
        Assert.That(run.Errors.Count(f => f.RuleId == "helm-template"), Is.EqualTo(3), "every environment renders the chart");
        Assert.That(finding.Line, Is.GreaterThanOrEqualTo(LineOf(_workspace.Show("main", path), "{{ .Values.service.type }}")));
        Assert.That(finding.Message, Does.Contain($"myapp/templates/service.yaml:{finding.Line}"), "the line helm names");
    }

    [Test]
    public async Task A_yaml_alias_bomb_in_a_plain_manifest_is_stopped()
    {
        var bomb = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'i'; level++)
        {
            var previous = (char)(level - 1);
            bomb.Append($"  {level}: &{level} [{string.Join(",", Enumerable.Repeat("*" + previous, 9))}]\n");
        }

        var run = await ValidateAsync("alias-bomb", new Dictionary<string, string?> { ["env/dev/api/bomb.yaml"] = bomb.ToString() });

        var finding = AssertErrorEverywhere(run, CheckKinds.Render, "alias-limit-exceeded", "env/dev/api/bomb.yaml");
        Assert.That(finding.App, Is.EqualTo("api"));
        Assert.That(run.Result.Targets.Select(t => t.Scope), Is.EqualTo(new[] { "api/dev" }));
    }

    [Test]
    public async Task Duplicate_keys_in_a_plain_manifest_point_at_the_second_key()
    {
        var manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n  mode: safe\n";
        var run = await ValidateAsync("duplicate-key", new Dictionary<string, string?> { ["env/dev/api/settings.yaml"] = manifest });

        var finding = AssertErrorEverywhere(run, CheckKinds.Render, "duplicate-key", "env/dev/api/settings.yaml", 7);
        Assert.That(finding.Message, Does.Contain("mode"));
    }

    [Test]
    public async Task Non_utf8_bytes_in_a_plain_manifest_are_an_encoding_error()
    {
        var bytes = Encoding.UTF8.GetBytes("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: latin\ndata:\n  city: Caf").Concat(new byte[] { 0xE9, 0x0A }).ToArray();
        var run = await ValidateAsync("latin1", new Dictionary<string, string?>(), new Dictionary<string, byte[]> { ["env/dev/api/latin.yaml"] = bytes });

        var finding = AssertErrorEverywhere(run, CheckKinds.Render, "invalid-encoding", "env/dev/api/latin.yaml");
        Assert.That(finding.Line, Is.EqualTo(6));
    }

    [Test]
    public async Task A_50_MB_object_is_too_large_for_Kubernetes()
    {
        var manifest = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dashboards\ndata:\n  grafana.json: |\n");
        var line = "    " + new string('x', 120) + "\n";
        while (manifest.Length < 50 * 1024 * 1024)
        {
            manifest.Append(line);
        }

        var run = await ValidateAsync("giant", new Dictionary<string, string?> { ["env/dev/api/dashboards.yaml"] = manifest.ToString() });

        var finding = AssertErrorEverywhere(run, CheckKinds.Render, "object-too-large", "env/dev/api/dashboards.yaml", 1, "ConfigMap dashboards");
        Assert.That(finding.Message, Does.Contain("1.5 MiB"));
        Assert.That(finding.Scope, Is.EqualTo("api/dev"));
    }

    [Test]
    public async Task An_unknown_kind_has_no_schema()
    {
        var manifest = "apiVersion: example.com/v1\nkind: Frobnicator\nmetadata:\n  name: thing\nspec:\n  level: 11\n";
        var run = await ValidateAsync("unknown-kind", new Dictionary<string, string?> { ["env/dev/api/thing.yaml"] = manifest });

        var finding = AssertErrorEverywhere(run, CheckKinds.Schema, "schema-not-found", "env/dev/api/thing.yaml", 1, "example.com/v1/Frobnicator");
        Assert.That(finding.Resource!.ToString(), Is.EqualTo("Frobnicator/thing"));
    }

    [Test]
    public async Task A_property_the_schema_does_not_know_is_an_error_in_strict_mode_at_its_line()
    {
        var manifest = Variants.ApiDeployment.Replace("  replicas: 1", "  replicas: 1\n  replica: 2", StringComparison.Ordinal);
        var run = await ValidateAsync("unknown-field", new Dictionary<string, string?> { ["env/dev/api/deployment.yaml"] = manifest });

        AssertErrorEverywhere(run, CheckKinds.Schema, "additionalProperties", "env/dev/api/deployment.yaml", LineOf(manifest, "replica: 2"));
    }

    [Test]
    public async Task A_schema_location_that_answers_404_is_a_missing_schema_per_kind()
    {
        using var empty = new TempDirectory("no-schemas");
        using var server = new SchemaHttpServer(empty.Path);
        var run = await _workspace.ValidateAsync(_workspace.Checkout(), configure: o => o with
        {
            App = "myapp",
            Environment = "dev",
            SchemaLocations = [server.Address + "/" + "{{ .ResourceKind }}{{ .KindSuffix }}.json"],
        }, environment: GitHubActions);

        var finding = AssertErrorEverywhere(run, CheckKinds.Schema, "schema-not-found", messageContains: server.Address + "/" + "deployment-apps-v1.json");
        Assert.That(run.Errors.Where(f => f.RuleId == "schema-not-found").Select(f => f.Resource!.Kind), Is.EquivalentTo(new[] { "Deployment", "Service" }));
        Assert.That(finding.File, Is.EqualTo("apps/myapp/chart/templates/deployment.yaml"));
        Assert.That(server.Requests, Has.Count.EqualTo(2), "each kind is looked up once");
    }

    [Test]
    public async Task Downloaded_schemas_are_cached_and_a_cache_inside_the_checkout_is_not_part_of_the_change()
    {
        using var server = new SchemaHttpServer(Testing.RepoPaths.Shared("k8s-json-schema", "schemas"));
        var branch = await _workspace.OpenAsync(DeliveryWorkspace.Release(tag: "1.1.0"), "dev", "myapp");
        var checkout = _workspace.Checkout(branch);
        ValidateDeliveryOptions Configure(ValidateDeliveryOptions o) => o with
        {
            SchemaLocations = [server.Address + "/" + "{{ .ResourceKind }}{{ .KindSuffix }}.json"],
            SchemaCacheDirectory = Path.Combine(checkout, "artifacts", ".schema-cache"),
        };

        var first = await _workspace.ValidateAsync(checkout, "main", Configure);
        var downloads = server.Requests.Count;
        var second = await _workspace.ValidateAsync(checkout, "main", Configure);

        AssertPassed(first, "myapp/dev");
        AssertPassed(second, "myapp/dev");
        Assert.That(downloads, Is.EqualTo(2), "Deployment and Service");
        Assert.That(server.Requests.Count, Is.EqualTo(downloads), "the second run reads the cache");
        Assert.That(Directory.EnumerateFiles(Path.Combine(checkout, "artifacts", ".schema-cache"), "*", SearchOption.AllDirectories), Is.Not.Empty);
        Assert.That(second.Console, Does.Contain(", 1 changed file)"), "the cached schemas are not files of the change");
    }

    [Test]
    public async Task A_schema_location_that_times_out_is_an_unavailable_schema()
    {
        using var empty = new TempDirectory("slow-schemas");
        using var server = new SchemaHttpServer(empty.Path);
        server.Delays["/"] = TimeSpan.FromSeconds(10);
        var run = await _workspace.ValidateAsync(_workspace.Checkout(), configure: o => o with
        {
            App = "myapp",
            Environment = "dev",
            SchemaLocations = [server.Address + "/" + "{{ .ResourceKind }}{{ .KindSuffix }}.json"],
            SchemaDownloadTimeout = TimeSpan.FromMilliseconds(300),
        }, environment: GitHubActions);

        AssertErrorEverywhere(run, CheckKinds.Schema, "schema-unavailable", messageContains: "timeout");
    }

    [Test]
    public async Task A_schema_folder_that_does_not_exist_is_one_settings_error()
    {
        var run = await _workspace.ValidateAsync(_workspace.Checkout(), configure: o => o with { App = "myapp", Environment = "dev", SchemaLocations = ["no-such-schemas"] }, environment: GitHubActions);

        var finding = AssertErrorEverywhere(run, CheckKinds.Schema, "schema-settings", "handoff.yaml", messageContains: "no-such-schemas");
        Assert.That(finding.Message, Does.Not.Contain(run.Checkout));
        Assert.That(run.Report.Findings.Count(f => f.Check == CheckKinds.Schema), Is.EqualTo(1));
    }

    [TestCase("        valuesFiles: [\"env/{env}/values.yaml\"]", "        valuesFile: [\"env/{env}/values.yaml\"]", "valuesFile:", "unknown key 'valuesFile'", TestName = "an unknown render key")]
    [TestCase("        namespace: \"myapp-{env}\"", "        namespace: \"myapp-{environment}\"", "namespace:", "unknown placeholder '{environment}'", TestName = "an unknown placeholder")]
    [TestCase("        chart: apps/myapp/chart", "        chart: ../charts/myapp", "chart:", "is not a path inside the repository", TestName = "a path outside the repository")]
    [TestCase("    render:", "    render:\n      plain: env", "plain: env", "only one is allowed", TestName = "two render tools")]
    [TestCase("  kubeVersion: \"1.34.0\"", "  kubeVersion: \"latest\"", "kubeVersion:", "is not a Kubernetes version", TestName = "a bad kube version")]
    public async Task Malformed_render_settings_in_handoff_yaml_are_located(string original, string replacement, string key, string problem)
    {
        var config = Variants.SampleConfig.Replace(original, replacement, StringComparison.Ordinal);
        Assert.That(config, Is.Not.EqualTo(Variants.SampleConfig), "the sample has the line to break");
        var branch = "config-" + Guid.NewGuid().ToString("N")[..6];

        var run = await ValidateAsync(branch, new Dictionary<string, string?> { ["handoff.yaml"] = config });

        var index = Array.FindIndex(config.Split('\n'), l => l.TrimStart().StartsWith(key, StringComparison.Ordinal) && replacement.Contains(l.Trim(), StringComparison.Ordinal));
        var finding = AssertErrorEverywhere(run, CheckKinds.Config, "handoff-yaml", "handoff.yaml", index + 1, problem);
        Assert.That(finding.Column, Is.GreaterThan(0));
        Assert.That(run.Console, Does.Contain($"handoff.yaml:{index + 1}:{finding.Column}: error [config/handoff-yaml]"));
    }

    [Test]
    public async Task A_repository_without_handoff_yaml_is_one_clear_error()
    {
        using var empty = new Testing.TempDirectory("handoff-empty");
        using var console = new StringWriter();

        var result = await ValidateDeliveryCommand.RunAsync(new ValidateDeliveryOptions { RepositoryRoot = empty.Path, EnvironmentVariables = _ => null }, console);

        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Report.Errors, Is.EqualTo(1));
        Assert.That(result.Report.Findings[0].Message, Does.Contain("handoff.yaml: not found"));
        Assert.That(File.Exists(result.Files!.Sarif), Is.True, "the reports are written even then");
    }

    [Test]
    public async Task A_bad_kube_version_option_is_a_setup_error()
    {
        var run = await _workspace.ValidateAsync(_workspace.Checkout(), configure: o => o with { KubeVersion = "latest" });

        Assert.That(run.Result.ExitCode, Is.EqualTo(1));
        Assert.That(run.Errors.Single().Message, Does.StartWith("--kube-version=latest is not a Kubernetes version"));
    }

    [Test]
    public async Task An_unknown_base_is_a_setup_error_with_the_fetch_hint()
    {
        var run = await _workspace.ValidateAsync(_workspace.Checkout(), "no-such-branch");

        var finding = run.Errors.Single();
        Assert.That(finding.Check, Is.EqualTo(CheckKinds.Config));
        Assert.That(finding.Message, Does.Contain("--base=no-such-branch").And.Contain("fetch-depth: 0"));
    }
}
