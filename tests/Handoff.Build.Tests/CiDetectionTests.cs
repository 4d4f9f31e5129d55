using System.Text.Json.Nodes;
using Handoff.Oci;
using Handoff.Testing;

namespace Handoff.Build.Tests;

/// <summary>
/// The CI system comes from Cake.Common's build-system providers inside the real graph, and the run's
/// facts from the variables each CI documents; release.json (and GitHub's step outputs) must show both.
/// </summary>
[NonParallelizable]
public class CiDetectionTests
{
    private RegistryServer _registry = null!;
    private TempDirectory _dir = null!;

    [OneTimeSetUp]
    public void OneTimeSetUp() => _registry = RegistryServer.Start();

    [OneTimeTearDown]
    public void OneTimeTearDown() => _registry.Dispose();

    [SetUp]
    public void SetUp()
    {
        _dir = new TempDirectory("ci-detect");
        _dir.Write(".handoff/scan.yaml", "version: 1\nwhenNoScanRan: warn\n");
        BuildScript.InitAppRepository(_dir.Path);
        MinimalBaseImage.WriteLayout(_dir.Combine("image-layout"));
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    public static IEnumerable<TestCaseData> Systems()
    {
        yield return new TestCaseData("GitHub Actions", new Dictionary<string, string?>
        {
            ["GITHUB_ACTIONS"] = "true", ["GITHUB_SERVER_URL"] = "https://github.com", ["GITHUB_REPOSITORY"] = "acme/myapp",
            ["GITHUB_RUN_ID"] = "4242", ["GITHUB_RUN_ATTEMPT"] = "2", ["GITHUB_SHA"] = "0123456789abcdef0123456789abcdef01234567",
            ["GITHUB_REF_NAME"] = "main",
        }, "https://github.com/acme/myapp/actions/runs/4242/attempts/2").SetName("GitHub_Actions");
        yield return new TestCaseData("GitLab CI", new Dictionary<string, string?>
        {
            ["GITLAB_CI"] = "true", ["CI_SERVER"] = "yes", ["CI_PIPELINE_ID"] = "77", ["CI_PIPELINE_URL"] = "https://gitlab.example/acme/myapp/-/pipelines/77",
            ["CI_PROJECT_URL"] = "https://gitlab.example/acme/myapp", ["CI_COMMIT_REF_NAME"] = "main",
        }, "https://gitlab.example/acme/myapp/-/pipelines/77").SetName("GitLab_CI");
        yield return new TestCaseData("Azure Pipelines", new Dictionary<string, string?>
        {
            ["TF_BUILD"] = "True", ["SYSTEM_COLLECTIONURI"] = "https://dev.azure.com/acme/", ["SYSTEM_TEAMPROJECT"] = "Shop",
            ["BUILD_BUILDID"] = "991",
        }, "https://dev.azure.com/acme/Shop/_build/results?buildId=991").SetName("Azure_Pipelines");
        yield return new TestCaseData("Jenkins", new Dictionary<string, string?>
        {
            ["JENKINS_URL"] = "https://jenkins.example/", ["JENKINS_HOME"] = "/var/jenkins_home", ["BUILD_NUMBER"] = "12",
            ["BUILD_URL"] = "https://jenkins.example/job/myapp/12/", ["JOB_NAME"] = "myapp",
        }, "https://jenkins.example/job/myapp/12/").SetName("Jenkins");
    }

    [TestCaseSource(nameof(Systems))]
    public async Task Publish_records_the_CI_system_and_run_in_release_json(string system, Dictionary<string, string?> variables, string runUrl)
    {
        var outputs = _dir.Combine("github-output");
        var summary = _dir.Combine("github-summary.md");
        if (system == "GitHub Actions")
        {
            variables["GITHUB_OUTPUT"] = outputs;
            variables["GITHUB_STEP_SUMMARY"] = summary;
        }

        var run = await BuildScript.RunAsync(_dir.Path, variables, "--target=Publish", $"--registry={_registry.Address}", "--repository=handoff/myapp",
            "--tag=ci", $"--image-archive={_dir.Combine("image-layout")}", "--skip-tests", "--trivy=off");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var release = JsonNode.Parse(File.ReadAllText(_dir.Combine("artifacts", "release.json")))!;
        Assert.That((string?)release["build"]?["ciSystem"], Is.EqualTo(system), release.ToJsonString());
        Assert.That((string?)release["build"]?["runUrl"], Is.EqualTo(runUrl), release.ToJsonString());
        var digest = (string)release["image"]!["digest"]!;
        if (system == "GitHub Actions")
        {
            Assert.That(File.ReadAllLines(outputs), Does.Contain($"digest={digest}"));
            Assert.That(File.ReadAllText(summary), Does.Contain(digest));
        }
        else
        {
            Assert.That(File.Exists(outputs), Is.False, "only GitHub Actions has step outputs");
        }
    }

    [Test]
    public async Task A_local_run_says_local_and_has_no_run_url()
    {
        var run = await BuildScript.RunAsync(_dir.Path, "--target=Publish", $"--registry={_registry.Address}", "--repository=handoff/myapp",
            "--tag=local", $"--image-archive={_dir.Combine("image-layout")}", "--skip-tests", "--trivy=off");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var release = JsonNode.Parse(File.ReadAllText(_dir.Combine("artifacts", "release.json")))!;
        Assert.That((string?)release["build"]?["ciSystem"], Is.EqualTo(CiInfo.Local.System), release.ToJsonString());
        Assert.That(release["build"]?["runUrl"], Is.Null);
    }
}
