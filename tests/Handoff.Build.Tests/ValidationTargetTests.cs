using System.Text.RegularExpressions;
using Handoff.Testing;

namespace Handoff.Build.Tests;

/// <summary>The validation targets through ./build.sh, with the shared conformance data.</summary>
public class ValidationTargetTests
{
    [Test]
    public async Task PolicyTest_passes_every_shared_Kyverno_expectation()
    {
        using var dir = new TempDirectory("policytest");
        var run = await BuildScript.RunAsync(dir.Path, "--target=PolicyTest", $"--path={RepoPaths.Shared("conformance", "kyverno-policies")}");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var summary = Regex.Match(run.Output, @"(\d+) passed, (\d+) failed");
        Assert.That(summary.Success, Is.True, run.Output);
        Assert.That(int.Parse(summary.Groups[1].Value), Is.GreaterThan(50));
        Assert.That(summary.Groups[2].Value, Is.EqualTo("0"));
    }

    [Test]
    public async Task ValidateManifests_ends_with_kubeconform_summary_and_fails_on_an_invalid_resource()
    {
        using var dir = new TempDirectory("validate-manifests");
        var fixtures = RepoPaths.Shared("conformance", "kubeconform", "fixtures");
        var schemas = RepoPaths.Shared("k8s-json-schema", "schemas");
        var valid = await BuildScript.RunAsync(dir.Path, "--target=ValidateManifests", $"--path={fixtures}/multi_valid.yaml", $"--schema-location={schemas}", "--noreport");
        Assert.That(valid.ExitCode, Is.Zero, valid.ToString());
        Assert.That(valid.Output, Does.Contain("Summary: 6 resources found in 1 file - Valid: 6, Invalid: 0, Errors: 0, Skipped: 0"));

        var invalid = await BuildScript.RunAsync(dir.Path, "--target=ValidateManifests", $"--path={fixtures}/invalid.yaml", $"--schema-location={schemas}", "--noreport");
        Assert.That(invalid.ExitCode, Is.EqualTo(1), invalid.ToString());
        Assert.That(invalid.Output, Does.Contain("is invalid").And.Contain("Invalid: 1"));
    }
}
