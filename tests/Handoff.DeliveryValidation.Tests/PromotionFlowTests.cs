using System.Xml.Linq;
using Handoff.DeliveryValidation.Tests.Support;
using Handoff.Reports;
using static Handoff.DeliveryValidation.Tests.Support.ReportAssertions;

namespace Handoff.DeliveryValidation.Tests;

/// <summary>The gate on the sample delivery repository through a normal life: every promotion request is validated before it is merged.</summary>
public sealed class PromotionFlowTests
{
    [Test]
    public async Task Every_request_of_a_promotion_in_order_passes_and_touches_only_its_environment()
    {
        using var workspace = await DeliveryWorkspace.CreateAsync();
        var release = DeliveryWorkspace.Release(tag: "1.4.0");

        var dev = await workspace.OpenAsync(release);
        var devRun = await workspace.ValidateAsync(workspace.Checkout(dev), "main");
        AssertPassed(devRun, "myapp/dev");
        Assert.That(devRun.Result.Targets.Select(t => t.Scope), Is.EqualTo(new[] { "myapp/dev" }));
        Assert.That(devRun.Result.Targets[0].ChangedFiles, Is.EqualTo(new[] { "env/dev/values.yaml" }));
        Assert.That(devRun.Console, Does.StartWith("ValidateDelivery: 1 of 3 app/environment pairs affected"));
        await workspace.MergeAsync(dev);

        foreach (var (from, to) in new[] { ("dev", "staging"), ("staging", "prod") })
        {
            var branch = await workspace.PromoteAsync(from, to);
            var run = await workspace.ValidateAsync(workspace.Checkout(branch), "main");
            AssertPassed(run, $"myapp/{to}");
            Assert.That(run.Result.Targets.Select(t => t.Scope), Is.EqualTo(new[] { $"myapp/{to}" }));
            await workspace.MergeAsync(branch);
        }

        // Afterwards the whole repository audits clean: each environment's digest ran in the one before.
        var audit = await workspace.ValidateAsync(workspace.Checkout());
        AssertPassed(audit, "myapp/dev", "myapp/staging", "myapp/prod");
        Assert.That(audit.Console, Does.StartWith("ValidateDelivery: auditing all 3 app/environment pairs"));
        var junit = XDocument.Load(audit.Result.Files!.JUnit);
        Assert.That(junit.Root!.Attribute("failures")!.Value, Is.EqualTo("0"));
        Assert.That(audit.Report.Runs.Where(r => r.Check == CheckKinds.Policy).Select(r => r.Scope), Is.EquivalentTo(new[] { "myapp/dev", "myapp/staging", "myapp/prod" }));
        Assert.That(audit.Report.Runs.Where(r => r.Check == CheckKinds.Schema).Sum(r => r.ItemsChecked), Is.EqualTo(6), "a Deployment and a Service per environment");
    }

    [Test]
    public async Task Running_again_in_the_same_checkout_gives_the_same_verdict_and_ignores_its_own_reports()
    {
        using var workspace = await DeliveryWorkspace.CreateAsync();
        var checkout = workspace.Checkout(await workspace.OpenAsync(DeliveryWorkspace.Release()));

        var first = await workspace.ValidateAsync(checkout, "main");
        var second = await workspace.ValidateAsync(checkout, "main");

        AssertPassed(second, "myapp/dev");
        Assert.That(second.Result.ScopeSummary, Is.EqualTo(first.Result.ScopeSummary));
        Assert.That(second.Result.Targets.Single().ChangedFiles, Is.EqualTo(new[] { "env/dev/values.yaml" }), "artifacts/validation of the first run is not a change");
        Assert.That(File.ReadAllText(second.Result.Files!.JUnit), Is.EqualTo(File.ReadAllText(first.Result.Files!.JUnit).Replace(
            $"time=\"{first.Report.Duration.TotalSeconds:0.000}\"", $"time=\"{second.Report.Duration.TotalSeconds:0.000}\"", StringComparison.Ordinal)));
    }

    [Test]
    public async Task The_sample_policies_note_that_verifyImages_is_covered_by_provenance_only_when_a_key_is_configured()
    {
        using var workspace = await DeliveryWorkspace.CreateAsync();
        var run = await workspace.ValidateAsync(workspace.Checkout(), configure: o => o with { App = "myapp", Environment = "dev" });

        var verifyImages = run.Report.Findings.Single(f => f.RuleId == "verify-handoff-provenance/require-signed-slsa-provenance");
        Assert.That(verifyImages.Severity, Is.EqualTo(FindingSeverity.Warning));
        Assert.That(verifyImages.File, Is.EqualTo("policies/verify-images.yaml"));
        Assert.That(verifyImages.Line, Is.EqualTo(LineOf(File.ReadAllText(Path.Combine(run.Checkout, "policies", "verify-images.yaml")), "- name: require-signed-slsa-provenance")));
        Assert.That(verifyImages.Fix, Does.Contain("provenance.publicKey"));
        Assert.That(run.Report.Findings.Count(f => f.RuleId.StartsWith("verify-handoff-provenance", StringComparison.Ordinal)), Is.EqualTo(1),
            "reported once, not once per resource");
    }

    [Test]
    public async Task The_step_summary_is_appended_and_GitLab_gets_a_code_quality_report()
    {
        using var workspace = await DeliveryWorkspace.CreateAsync();
        var summary = workspace.Directory.Write("step-summary.md", "# earlier step\n");
        var github = await workspace.ValidateAsync(workspace.Checkout(), configure: o => o with { Environment = "dev" },
            environment: new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary });
        Assert.That(File.ReadAllText(summary), Does.StartWith("# earlier step\n").And.Contain("Delivery validation failed"),
            "the template pins no digest yet, so dev fails the digest policy");
        Assert.That(github.Result.Files!.GitLabCodeQuality, Is.Null);

        var gitlab = await workspace.ValidateAsync(workspace.Checkout(), configure: o => o with { Environment = "dev" },
            environment: new Dictionary<string, string> { ["GITLAB_CI"] = "true" });
        Assert.That(gitlab.Result.Files!.GitLabCodeQuality, Is.Not.Null);
        var quality = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(gitlab.Result.Files.GitLabCodeQuality!))!.AsArray();
        Assert.That(quality.Any(i => (string?)i!["check_name"] == "policy/require-image-digest/images-pinned-by-digest" && (string?)i["severity"] == "critical"), Is.True);
        Assert.That(gitlab.Console, Does.Not.Contain("::error"), "annotations only on GitHub Actions");
    }
}
