using Handoff.DeliveryValidation.Tests.Support;
using Handoff.Reports;
using static Handoff.DeliveryValidation.Tests.Support.ReportAssertions;

namespace Handoff.DeliveryValidation.Tests;

/// <summary>
/// A custom resource in one app (widgets) whose CRD another app (operator, listed after it) deploys into the
/// same environment: its schema comes from that CRD whatever the scope and whichever target is checked first.
/// </summary>
public sealed class CrdTests
{
    [Test]
    public async Task A_full_audit_validates_the_custom_resource_against_the_other_apps_CRD_every_time()
    {
        using var workspace = await DeliveryWorkspace.CreateAsync(Variants.CrdInAnotherApp);
        var checkout = workspace.Checkout();

        // The targets are schema-checked in parallel: repeated runs must all see the CRD.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var run = await workspace.ValidateAsync(checkout);

            Assert.That(run.Result.Targets.Select(t => t.Scope), Does.Contain("widgets/prod").And.Contain("operator/dev"));
            Assert.That(run.Errors.Where(f => f.App is "widgets" or "operator"), Is.Empty, run.Console);
            Assert.That(run.Report.Runs.Single(r => r.Check == CheckKinds.Schema && r.Scope == "widgets/dev").ItemsChecked, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task A_change_to_the_custom_resource_alone_still_gets_the_schema_from_the_CRD_outside_the_scope()
    {
        using var workspace = await DeliveryWorkspace.CreateAsync(Variants.CrdInAnotherApp);
        workspace.Commit("more-widgets", new Dictionary<string, string?> { ["env/dev/widgets/widget.yaml"] = Variants.Widget("3") });
        workspace.Commit("bad-widget", new Dictionary<string, string?> { ["env/dev/widgets/widget.yaml"] = Variants.Widget("three") });

        var good = await workspace.ValidateAsync(workspace.Checkout("more-widgets"), "main");
        var bad = await workspace.ValidateAsync(workspace.Checkout("bad-widget"), "main", environment: GitHubActions);

        Assert.That(good.Result.Targets.Select(t => t.Scope), Is.EqualTo(new[] { "widgets/dev" }), "operator is not part of the change");
        AssertPassed(good, "widgets/dev");
        Assert.That(good.Report.Runs.Select(r => r.Scope), Has.None.EqualTo("operator/dev"), "the operator's render only feeds the schemas");

        var finding = AssertErrorEverywhere(bad, CheckKinds.Schema, "type", "env/dev/widgets/widget.yaml", 7);
        Assert.That(finding.Message, Does.Contain("replicas"));
        Assert.That(finding.Fix, Does.Contain("CustomResourceDefinition widgets.example.com"), "the schema is the operator's CRD");
    }

    [Test]
    public async Task Filtering_to_the_app_with_the_custom_resources_keeps_the_CRD()
    {
        using var workspace = await DeliveryWorkspace.CreateAsync(Variants.CrdInAnotherApp);

        var run = await workspace.ValidateAsync(workspace.Checkout(), configure: o => o with { App = "widgets" });

        AssertPassed(run, "widgets/dev", "widgets/staging", "widgets/prod");
    }
}
