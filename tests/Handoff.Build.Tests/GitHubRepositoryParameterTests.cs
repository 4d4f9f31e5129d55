using System.Text.Json.Nodes;
using Handoff.Testing;

namespace Handoff.Build.Tests;

/// <summary>--github-repository is what the errors ask for; --github-repo, the spelling they used to suggest, reaches the same setting.</summary>
public class GitHubRepositoryParameterTests
{
    [TestCase("--github-repository")]
    [TestCase("--github-repo")]
    public async Task Both_spellings_reach_the_GitHub_repository_setting(string parameter)
    {
        using var dir = new TempDirectory("github-repository");
        var digest = Digest.Sha256("v1"u8).ToString();
        dir.Write("release.json", new JsonObject
        {
            ["image"] = new JsonObject { ["registry"] = "registry.example.com", ["repository"] = "handoff/myapp", ["digest"] = digest, ["reference"] = $"registry.example.com/handoff/myapp@{digest}" },
        }.ToJsonString());
        Directory.CreateDirectory(dir.Combine("delivery"));

        // Not OWNER/NAME: refused before any token is read or any request made, quoting the value given.
        var run = await BuildScript.RunAsync(dir.Path, new Dictionary<string, string?> { ["GITHUB_TOKEN"] = null, ["HANDOFF_GITHUB_TOKEN"] = null, ["HANDOFF_GITHUB_REPOSITORY"] = null },
            "--target=OpenPromotionPr", "--release=release.json", "--delivery-repo=delivery", "--scm=github", $"{parameter}=example-org");
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output, Does.Contain("--github-repository 'example-org' is not OWNER/NAME."));
    }
}
