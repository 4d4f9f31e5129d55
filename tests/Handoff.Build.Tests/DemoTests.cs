using System.Text.RegularExpressions;
using Handoff.Testing;

namespace Handoff.Build.Tests;

/// <summary>
/// The README's main command, whole: throwaway registry, Publish, dev → staging → prod, a second
/// release, prod rolled back, provenance verified and ValidateDelivery on the demo's delivery repo.
/// </summary>
[NonParallelizable]
public class DemoTests
{
    [Test]
    public async Task Demo_ships_one_digest_through_every_environment_and_rolls_prod_back()
    {
        using var dir = new TempDirectory("demo");
        // The app repo the demo describes: provenance and tags name its commit.
        BuildScript.InitAppRepository(dir.Path);

        var run = await BuildScript.RunAsync(dir.Path, "--target=Demo");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var published = Regex.Matches(run.Output, @"^Published \S+/handoff/myapp@(sha256:[0-9a-f]{64})", RegexOptions.Multiline);
        Assert.That(published, Has.Count.EqualTo(1), run.Output);
        var first = published[0].Groups[1].Value;

        var rolledBack = Table(run.Output, "After rolling prod back");
        var second = rolledBack["dev"];
        Assert.That(second, Is.Not.EqualTo(first).And.Match("^sha256:[0-9a-f]{64}$"), "the second release is a new digest");
        Assert.That(rolledBack["staging"], Is.EqualTo(second));
        Assert.That(rolledBack["prod"], Is.EqualTo(first), "prod runs the first release again");

        var beforeRollback = Table(run.Output, "After promoting staging → prod", last: true);
        Assert.That(beforeRollback.Values, Is.All.EqualTo(second), "the same digest reached every environment, never rebuilt");

        Assert.That(run.Output, Does.Contain($"Verified: ").And.Contain(first));
        Assert.That(run.Output, Does.Contain("ValidateDelivery: passed"));

        var delivery = dir.Combine("artifacts", "demo", "delivery.git");
        var trailers = Exec.Run("git", ["--git-dir", delivery, "log", "--no-merges", "--format=%(trailers:only,unfold)%x00", "main"]).EnsureSuccess().StandardOutput;
        var promotions = trailers.Split('\0').Where(t => t.Contains("Handoff-Env")).ToList();
        Assert.That(promotions, Has.Count.EqualTo(7), "dev, staging, prod twice, and the rollback:\n" + trailers);
        foreach (var key in new[] { "Handoff-App: myapp", "Handoff-Env:", "Handoff-Digest: sha256:", "Handoff-Tag:", "Handoff-Source-Commit:", "Handoff-Promoted-From:", "Handoff-Run:" })
        {
            Assert.That(promotions, Has.All.Contain(key), trailers);
        }

        Assert.That(promotions.Count(p => p.Contains("Handoff-Env: staging") && p.Contains("Handoff-Promoted-From: dev")), Is.EqualTo(2), trailers);
        Assert.That(promotions.Count(p => p.Contains("Handoff-Env: prod") && p.Contains("Handoff-Promoted-From: staging")), Is.EqualTo(2), trailers);
        Assert.That(promotions[0], Does.Contain("Handoff-Rollback: true").And.Contain($"Handoff-Digest: {first}"), "newest first: the rollback");
    }

    /// <summary>The environment → digest table printed after the step whose caption starts with <paramref name="caption"/>.</summary>
    private static Dictionary<string, string> Table(string output, string caption, bool last = false)
    {
        var lines = output.Split('\n');
        var starts = Enumerable.Range(0, lines.Length).Where(i => lines[i].StartsWith(caption, StringComparison.Ordinal)).ToList();
        Assert.That(starts, Is.Not.Empty, $"no table after '{caption}':\n{output}");
        var table = new Dictionary<string, string>();
        foreach (var line in lines.Skip((last ? starts[^1] : starts[0]) + 3))
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cells.Length < 3 || cells[0] != "myapp")
            {
                break;
            }

            table[cells[1]] = cells[2];
        }

        Assert.That(table.Keys, Is.EquivalentTo(new[] { "dev", "staging", "prod" }), caption);
        return table;
    }
}
