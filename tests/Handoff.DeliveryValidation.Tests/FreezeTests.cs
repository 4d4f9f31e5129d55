using Handoff.Delivery.Commands;
using Handoff.DeliveryValidation.Tests.Support;
using Handoff.Reports;
using static Handoff.DeliveryValidation.Tests.Support.ReportAssertions;

namespace Handoff.DeliveryValidation.Tests;

/// <summary>
/// prod is frozen on main (for a week, rollbacks allowed) while a promotion of release 3 to prod is
/// open. Releases 1 and 2 ran everywhere before, so prod can roll back to release 1.
/// </summary>
public sealed class FreezeTests
{
    private static readonly DateTimeOffset Until = DeliveryWorkspace.Now.AddDays(7);

    private DeliveryWorkspace _workspace = null!;
    private string _promotion = null!;
    private Release _first = null!;
    private Release _second = null!;

    [OneTimeSetUp]
    public async Task FreezeProdWithAPromotionOpen()
    {
        _workspace = await DeliveryWorkspace.CreateAsync();
        _first = DeliveryWorkspace.Release(tag: "1.0.0");
        _second = DeliveryWorkspace.Release(tag: "2.0.0");
        await _workspace.ShipAsync(_first);
        await _workspace.ShipAsync(_second);
        await _workspace.ShipAsync(DeliveryWorkspace.Release(tag: "3.0.0"), until: "staging");
        _promotion = await _workspace.PromoteAsync("staging", "prod");
        var freeze = await FreezeCommand.RunAsync(new FreezeOptions
        {
            Delivery = _workspace.Delivery,
            Environment = "prod",
            Reason = "Black Friday",
            Until = Until.ToString("O"),
        });
        await _workspace.MergeAsync(freeze.Request.Branch!);
    }

    [OneTimeTearDown]
    public void Cleanup() => _workspace.Dispose();

    [SetUp]
    public void ResetClock() => _workspace.Clock.Now = DeliveryWorkspace.Now;

    [Test]
    public async Task A_promotion_to_a_frozen_prod_fails_in_every_format()
    {
        var run = await _workspace.ValidateAsync(_workspace.Checkout(_promotion), "main", environment: GitHubActions);

        var values = File.ReadAllText(Path.Combine(run.Checkout, "env/prod/values.yaml"));
        var digest = values.Split('\n').Single(l => l.TrimStart().StartsWith("digest:", StringComparison.Ordinal)).Split('"')[1];
        var finding = AssertErrorEverywhere(run, CheckKinds.Freeze, "frozen", "env/prod/values.yaml", LineOf(values, digest), "Black Friday");
        Assert.That(finding.Message, Does.Contain("until 2026-06-08T12:00:00Z").And.Contain("env/prod/freeze.yaml on main").And.Contain("a promotion is not allowed while frozen"));
        Assert.That(finding.Fix, Does.Contain("--target=Unfreeze --env=prod").And.Contain("--target=Rollback --app=myapp --env=prod"));
        Assert.That(run.Errors.Count(), Is.EqualTo(1), "custody is fine: staging runs the digest on main");
    }

    [Test]
    public async Task A_rollback_of_prod_passes_because_the_freeze_allows_rollbacks()
    {
        var rollback = await RollbackCommand.RunAsync(new RollbackOptions { Delivery = _workspace.Delivery, App = "myapp", Environment = "prod", Reason = "bad release" });
        Assert.That(rollback.Outcome, Is.EqualTo(ChangeOutcome.Opened), rollback.Message);

        var run = await _workspace.ValidateAsync(_workspace.Checkout(rollback.Request.Branch!), "main");

        AssertPassed(run, "myapp/prod");
        var note = run.Report.Findings.Single(f => f.Check == CheckKinds.Freeze);
        Assert.That(note.RuleId, Is.EqualTo("frozen-rollback"));
        Assert.That(note.Severity, Is.EqualTo(FindingSeverity.Note));
        Assert.That(run.Report.Findings.Single(f => f.Check == CheckKinds.Custody).RuleId, Is.EqualTo("rollback"), "prod ran the digest before");
    }

    [Test]
    public async Task A_hand_edit_back_to_an_old_digest_is_not_a_rollback_without_the_trailer()
    {
        var values = _workspace.Show("main", "env/prod/values.yaml").Replace(_second.Image.Digest, _first.Image.Digest, StringComparison.Ordinal);
        _workspace.Commit("prod-by-hand", new Dictionary<string, string?> { ["env/prod/values.yaml"] = values + "\n" });

        var run = await _workspace.ValidateAsync(_workspace.Checkout("prod-by-hand"), "main");

        Assert.That(run.Errors.Select(f => f.Check + "/" + f.RuleId), Is.EqualTo(new[] { "freeze/frozen" }), run.Console);
    }

    [Test]
    public async Task Pointing_prod_at_another_values_file_during_the_freeze_fails()
    {
        // staging runs release 3 and prod release 2: rendering prod with staging's values deploys release 3
        // to prod, although no file prod renders from today changes.
        var config = ProdRender(_workspace.Show("main", "handoff.yaml"), """render: { helm: { valuesFiles: ["env/staging/values.yaml"] } }""");
        _workspace.Commit("prod-values-list", new Dictionary<string, string?> { ["handoff.yaml"] = config });

        var run = await _workspace.ValidateAsync(_workspace.Checkout("prod-values-list"), "main", environment: GitHubActions);

        var finding = AssertErrorEverywhere(run, CheckKinds.Freeze, "frozen", "handoff.yaml", LineOf(config, "render: { helm: { valuesFiles"), "Black Friday");
        Assert.That(finding.Message, Does.Contain("myapp: valuesFiles [env/prod/values.yaml] → [env/staging/values.yaml]").And.Contain("a promotion is not allowed while frozen"));
        Assert.That(run.Errors.Select(f => f.Check + "/" + f.RuleId), Is.EqualTo(new[] { "freeze/frozen" }), run.Console);
    }

    [Test]
    public async Task Editing_prod_render_settings_during_the_freeze_fails_even_when_the_output_is_the_same()
    {
        // The same values file twice renders exactly what prod runs; the settings still change how prod is deployed.
        var config = ProdRender(_workspace.Show("main", "handoff.yaml"), """render: { helm: { valuesFiles: ["env/prod/values.yaml", "env/prod/values.yaml"] } }""");
        _workspace.Commit("prod-values-twice", new Dictionary<string, string?> { ["handoff.yaml"] = config });

        var run = await _workspace.ValidateAsync(_workspace.Checkout("prod-values-twice"), "main");

        var finding = run.Errors.Single();
        Assert.That((finding.Check, finding.RuleId, finding.File), Is.EqualTo((CheckKinds.Freeze, "frozen", "handoff.yaml")), run.Console);
        Assert.That(finding.Message, Does.Contain("valuesFiles [env/prod/values.yaml] → [env/prod/values.yaml, env/prod/values.yaml]"));
    }

    /// <summary>handoff.yaml with a render: override added to prod's entry.</summary>
    internal static string ProdRender(string config, string render)
    {
        const string prod = "      prod:\n        file: env/prod/values.yaml\n        helm: image\n";
        Assert.That(config, Does.Contain(prod));
        return config.Replace(prod, prod + "        " + render + "\n", StringComparison.Ordinal);
    }

    [Test]
    public async Task The_same_promotion_passes_once_until_has_passed()
    {
        _workspace.Clock.Now = Until.AddMinutes(1);

        var run = await _workspace.ValidateAsync(_workspace.Checkout(_promotion), "main");

        AssertPassed(run, "myapp/prod");
        Assert.That(run.Report.Findings.Where(f => f.Check == CheckKinds.Freeze), Is.Empty);
    }

    [Test]
    public async Task Editing_the_freeze_file_itself_passes()
    {
        var unfreeze = await FreezeCommand.RunAsync(new FreezeOptions { Delivery = _workspace.Delivery, Environment = "prod", Frozen = false });

        var run = await _workspace.ValidateAsync(_workspace.Checkout(unfreeze.Request.Branch!), "main");

        Assert.That(run.Result.ExitCode, Is.EqualTo(0), run.Console);
        Assert.That(run.Result.Targets.Select(t => t.Scope), Is.EqualTo(new[] { "myapp/prod" }), "a file under env/prod/ puts prod's apps in scope");
        Assert.That(run.Report.Findings.Single(f => f.Check == CheckKinds.Freeze).RuleId, Is.EqualTo("frozen-unchanged"));
    }

    [Test]
    public async Task Without_a_base_the_freeze_is_reported_as_a_note()
    {
        var run = await _workspace.ValidateAsync(_workspace.Checkout(), configure: o => o with { Environment = "prod" });

        var note = run.Report.Findings.Single(f => f.Check == CheckKinds.Freeze);
        Assert.That(note.Severity, Is.EqualTo(FindingSeverity.Note));
        Assert.That(note.Message, Does.Contain("prod is frozen (Black Friday) until 2026-06-08T12:00:00Z").And.Contain("No --base was given"));
        Assert.That(note.File, Is.EqualTo("env/prod/freeze.yaml"));
        Assert.That(run.Result.ExitCode, Is.EqualTo(0), run.Console);
    }
}

/// <summary>A repository rendered through its Argo CD Applications, with prod frozen on main.</summary>
public sealed class ArgoCdFreezeTests
{
    [Test]
    public async Task Pointing_the_prod_Application_at_another_values_file_during_the_freeze_fails()
    {
        var config = Variants.SampleConfig.Replace("""
                  helm:
                    chart: apps/myapp/chart
                    releaseName: myapp
                    namespace: "myapp-{env}"
                    valuesFiles: ["env/{env}/values.yaml"]
            """, "      argocd: apps/myapp/app.yaml\n", StringComparison.Ordinal);
        using var workspace = await DeliveryWorkspace.CreateAsync(DeliveryWorkspace.Variant("argocd-freeze", new Dictionary<string, string?> { ["handoff.yaml"] = config }));
        workspace.Commit("main", new Dictionary<string, string?>
        {
            ["env/prod/freeze.yaml"] = "frozen: true\nreason: \"Black Friday\"\nuntil: \"2026-06-08T12:00:00Z\"\nallow: [rollback]\n",
        }, "Freeze prod");
        var application = workspace.Show("main", "apps/myapp/app.yaml");
        var edited = application.Replace("- ../../../env/prod/values.yaml", "- ../../../env/staging/values.yaml", StringComparison.Ordinal);
        Assert.That(edited, Is.Not.EqualTo(application));
        workspace.Commit("argo-prod-values", new Dictionary<string, string?> { ["apps/myapp/app.yaml"] = edited + "\n" });

        var run = await workspace.ValidateAsync(workspace.Checkout("argo-prod-values"), "main", configure: o => o with { Environment = "prod" });

        var finding = run.Errors.SingleOrDefault(f => f.Check == CheckKinds.Freeze);
        Assert.That(finding, Is.Not.Null, run.Console);
        Assert.That(finding!.RuleId, Is.EqualTo("frozen"));
        Assert.That(finding.Message, Does.Contain("valuesFiles [env/prod/values.yaml] → [env/staging/values.yaml]"));
        Assert.That((finding.File, finding.Line), Is.EqualTo(("apps/myapp/app.yaml", LineOf(edited, "name: myapp-prod") - 3)), "the prod Application's document");
    }
}
