using Handoff.DeliveryValidation.Tests.Support;
using Handoff.Reports;
using static Handoff.DeliveryValidation.Tests.Support.ReportAssertions;

namespace Handoff.DeliveryValidation.Tests;

/// <summary>
/// Changes the gate must stop, each on its own branch of one delivery repository where release 1 runs
/// everywhere and release 2 has reached dev only. Each failure must carry the right reason in every
/// report format (console, SARIF, JUnit, GitHub annotation, summary).
/// </summary>
public sealed class FailureTests
{
    private DeliveryWorkspace _workspace = null!;
    private Release _first = null!;
    private Release _second = null!;

    [OneTimeSetUp]
    public async Task ShipReleases()
    {
        _workspace = await DeliveryWorkspace.CreateAsync();
        _first = DeliveryWorkspace.Release(tag: "1.0.0");
        _second = DeliveryWorkspace.Release(tag: "2.0.0");
        await _workspace.ShipAsync(_first);
        await _workspace.ShipAsync(_second, until: "dev");
    }

    [OneTimeTearDown]
    public void Cleanup() => _workspace.Dispose();

    private Task<ValidationRun> ValidateBranchAsync(string branch) =>
        _workspace.ValidateAsync(_workspace.Checkout(branch), "main", environment: GitHubActions);

    [Test]
    public async Task A_tag_only_image_fails_the_digest_policy()
    {
        var values = _workspace.Show("main", "env/staging/values.yaml").Replace($"digest: \"{_first.Image.Digest}\"", "digest: \"\"", StringComparison.Ordinal);
        _workspace.Commit("tag-only", new Dictionary<string, string?> { ["env/staging/values.yaml"] = values });

        var run = await ValidateBranchAsync("tag-only");

        var template = File.ReadAllText(Path.Combine(run.Checkout, "apps/myapp/chart/templates/deployment.yaml"));
        var finding = AssertErrorEverywhere(run, CheckKinds.Policy, "require-image-digest/images-pinned-by-digest",
            "apps/myapp/chart/templates/deployment.yaml", LineOf(template, "kind: Deployment"), "registry.example.com/handoff/myapp:1.0.0");
        Assert.That(finding.Environment, Is.EqualTo("staging"));
        Assert.That(finding.Resource!.ToString(), Is.EqualTo("Deployment/myapp-staging/myapp"), "the Argo CD destination namespace is filled in");
        Assert.That(run.Result.Targets.Select(t => t.Scope), Is.EqualTo(new[] { "myapp/staging" }));
    }

    [Test]
    public async Task A_privileged_container_fails_the_policy_in_every_environment_at_the_template_line()
    {
        var path = "apps/myapp/chart/templates/deployment.yaml";
        var template = _workspace.Show("main", path).Replace("privileged: false", "privileged: true", StringComparison.Ordinal);
        _workspace.Commit("privileged", new Dictionary<string, string?> { [path] = template });

        var run = await ValidateBranchAsync("privileged");

        Assert.That(run.Result.Targets.Select(t => t.Scope), Is.EquivalentTo(new[] { "myapp/dev", "myapp/staging", "myapp/prod" }), "a chart change affects every environment");
        var line = LineOf(template, "privileged: true");
        AssertErrorEverywhere(run, CheckKinds.Policy, "disallow-privileged/no-privileged-containers", path, line, "Privileged mode is not allowed");
        var failures = run.Errors.Where(f => f.RuleId == "disallow-privileged/no-privileged-containers").ToList();
        Assert.That(failures.Select(f => f.Environment), Is.EquivalentTo(new[] { "dev", "staging", "prod" }));
        Assert.That(failures.All(f => f.File == path && f.Line == line), Is.True);
        Assert.That(run.Errors.Where(f => f.Check != CheckKinds.Policy), Is.Empty, run.Console);
    }

    [Test]
    public async Task A_prod_digest_that_never_ran_in_staging_fails_custody_with_the_promote_command()
    {
        var values = _workspace.Show("main", "env/prod/values.yaml").Replace(_first.Image.Digest, _second.Image.Digest, StringComparison.Ordinal);
        _workspace.Commit("skip-staging", new Dictionary<string, string?> { ["env/prod/values.yaml"] = values });

        var run = await ValidateBranchAsync("skip-staging");

        var finding = AssertErrorEverywhere(run, CheckKinds.Custody, "not-promoted-in-order", "env/prod/values.yaml", LineOf(values, _second.Image.Digest),
            "./build.sh --target=Promote --app=myapp --from=dev --to=staging");
        Assert.That(finding.Message, Does.Contain(_second.Image.Digest).And.Contain("staging does not run it on main").And.Contain($"staging runs {_first.Image.Digest}"));
        Assert.That(finding.Fix, Does.StartWith("Promote it to staging first"));
        Assert.That(run.Errors.Count(), Is.EqualTo(1), run.Console);
    }

    [Test]
    public async Task Auditing_without_a_base_finds_a_prod_digest_that_never_ran_in_staging()
    {
        var values = _workspace.Show("main", "env/prod/values.yaml").Replace(_first.Image.Digest, _second.Image.Digest, StringComparison.Ordinal);
        _workspace.Commit("audit-skip", new Dictionary<string, string?> { ["env/prod/values.yaml"] = values });

        var run = await _workspace.ValidateAsync(_workspace.Checkout("audit-skip"), configure: o => o with { Environment = "prod" }, environment: GitHubActions);

        var finding = AssertErrorEverywhere(run, CheckKinds.Custody, "never-ran-in-previous", "env/prod/values.yaml", LineOf(values, _second.Image.Digest));
        Assert.That(finding.Message, Does.Contain($"prod runs {_second.Image.Digest} for myapp, which was never pinned in staging"));

        // Staging's digest did run in dev: history, not only the current pin, counts.
        var staging = await _workspace.ValidateAsync(_workspace.Checkout(), configure: o => o with { Environment = "staging" });
        Assert.That(staging.Report.Findings.Where(f => f.Check == CheckKinds.Custody), Is.Empty, staging.Console);
    }

    [Test]
    public async Task A_digest_no_environment_ran_is_sent_back_to_the_first_environment()
    {
        var digest = DeliveryWorkspace.RandomDigest().ToString();
        var values = _workspace.Show("main", "env/staging/values.yaml").Replace(_first.Image.Digest, digest, StringComparison.Ordinal);
        _workspace.Commit("unknown-digest", new Dictionary<string, string?> { ["env/staging/values.yaml"] = values });

        var run = await ValidateBranchAsync("unknown-digest");

        var finding = AssertErrorEverywhere(run, CheckKinds.Custody, "not-promoted-in-order", "env/staging/values.yaml", messageContains: "Pin it in dev first");
        Assert.That(finding.Message, Does.Contain("no earlier environment runs it"));
    }

    [Test]
    public async Task Pinning_what_the_previous_environment_runs_is_an_ordinary_promotion()
    {
        var staging = _workspace.Show("main", "env/staging/values.yaml").Replace(_first.Image.Digest, _second.Image.Digest, StringComparison.Ordinal);
        _workspace.Commit("staging-by-hand", new Dictionary<string, string?> { ["env/staging/values.yaml"] = staging });

        var run = await ValidateBranchAsync("staging-by-hand");

        AssertPassed(run, "myapp/staging");
        Assert.That(run.Report.Findings.Where(f => f.Check == CheckKinds.Custody), Is.Empty);
    }

    [Test]
    public async Task The_first_environment_takes_digests_straight_from_releases()
    {
        var dev = _workspace.Show("main", "env/dev/values.yaml").Replace(_second.Image.Digest, DeliveryWorkspace.RandomDigest().ToString(), StringComparison.Ordinal);
        _workspace.Commit("dev-new-release", new Dictionary<string, string?> { ["env/dev/values.yaml"] = dev });

        var run = await ValidateBranchAsync("dev-new-release");

        AssertPassed(run, "myapp/dev");
    }

    [Test]
    public async Task A_change_outside_every_render_input_validates_nothing_and_passes()
    {
        _workspace.Commit("docs", new Dictionary<string, string?> { ["README.md"] = "# Delivery\n\nNew docs.\n" });

        var run = await ValidateBranchAsync("docs");

        Assert.That(run.Result.ExitCode, Is.EqualTo(0), run.Console);
        Assert.That(run.Result.Targets, Is.Empty);
        Assert.That(run.Console, Does.Contain("0 of 3 app/environment pairs affected"));
    }
}
