using System.Text.Json.Nodes;
using Handoff.Testing;

namespace Handoff.Build.Tests;

/// <summary>The promotion targets through ./build.sh on a real local delivery repository (the embedded "branch" mode).</summary>
public class PromotionTargetTests
{
    private static string Git(string gitDir, params string[] args) =>
        Exec.Run("git", ["--git-dir", gitDir, .. args]).EnsureSuccess().StandardOutput.Trim();

    [Test]
    public async Task OpenPromotionPr_MergePromotion_Promote_and_Rollback_work_from_the_command_line()
    {
        using var dir = new TempDirectory("promotion-targets");
        var delivery = dir.Combine("delivery.git");
        await Handoff.Delivery.Commands.DeliveryTemplate.CreateBareRepositoryAsync(RepoPaths.InRepo("samples", "delivery-repo"), delivery);

        string Release(string seed)
        {
            var digest = Digest.Sha256(System.Text.Encoding.UTF8.GetBytes(seed)).ToString();
            var release = new JsonObject
            {
                ["image"] = new JsonObject { ["registry"] = "registry.example.com", ["repository"] = "handoff/myapp", ["tag"] = seed, ["digest"] = digest, ["reference"] = $"registry.example.com/handoff/myapp@{digest}" },
                ["source"] = new JsonObject { ["commit"] = new string('a', 40) },
            };
            dir.Write($"{seed}.json", release.ToJsonString());
            return digest;
        }

        var v1 = Release("v1");
        var open = await BuildScript.RunAsync(dir.Path, "--target=OpenPromotionPr", "--release=v1.json", $"--delivery-repo={delivery}", "--env=dev");
        Assert.That(open.ExitCode, Is.Zero, open.ToString());
        Assert.That(open.Output, Does.Contain("Opened branch handoff/dev/myapp"));
        Assert.That(File.ReadAllText(dir.Combine("artifacts", "promotion-pr.md")), Does.Contain(v1));
        var trailers = Git(delivery, "log", "-1", "--format=%(trailers)", "handoff/dev/myapp");
        Assert.That(trailers, Does.Contain($"Handoff-Digest: {v1}").And.Contain("Handoff-Env: dev").And.Contain("Handoff-App: myapp"));

        var again = await BuildScript.RunAsync(dir.Path, "--target=OpenPromotionPr", "--release=v1.json", $"--delivery-repo={delivery}", "--env=dev");
        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        Assert.That(again.Output, Does.Contain("Already up to date"), "idempotent: the same release opens nothing new");

        var merge = await BuildScript.RunAsync(dir.Path, "--target=MergePromotion", $"--delivery-repo={delivery}", "--branch=handoff/dev/myapp");
        Assert.That(merge.ExitCode, Is.Zero, merge.ToString());

        var skip = await BuildScript.RunAsync(dir.Path, "--target=Promote", "--app=myapp", "--from=dev", "--to=prod", $"--delivery-repo={delivery}");
        Assert.That(skip.ExitCode, Is.EqualTo(1), skip.ToString());
        Assert.That(skip.Output, Does.Contain("staging"), "skipping an environment is refused and names the one in between");

        var promote = await BuildScript.RunAsync(dir.Path, "--target=Promote", "--app=myapp", "--from=dev", "--to=staging", $"--delivery-repo={delivery}");
        Assert.That(promote.ExitCode, Is.Zero, promote.ToString());
        Assert.That((await BuildScript.RunAsync(dir.Path, "--target=MergePromotion", $"--delivery-repo={delivery}", "--branch=handoff/staging/myapp")).ExitCode, Is.Zero);

        var status = await BuildScript.RunAsync(dir.Path, "--target=DeliveryStatus", $"--delivery-repo={delivery}");
        Assert.That(status.Output.Split('\n').Count(l => l.Contains(v1)), Is.EqualTo(2), status.ToString());

        var freeze = await BuildScript.RunAsync(dir.Path, "--target=Freeze", "--env=prod", "--reason=release freeze", $"--delivery-repo={delivery}");
        Assert.That(freeze.ExitCode, Is.Zero, freeze.ToString());
        Assert.That(Git(delivery, "show", "handoff/freeze/prod:env/prod/freeze.yaml"), Does.Contain("frozen: true").And.Contain("release freeze"));
        Assert.That((await BuildScript.RunAsync(dir.Path, "--target=MergePromotion", $"--delivery-repo={delivery}", "--branch=handoff/freeze/prod")).ExitCode, Is.Zero);

        var frozen = await BuildScript.RunAsync(dir.Path, "--target=Promote", "--app=myapp", "--from=staging", "--to=prod", $"--delivery-repo={delivery}");
        Assert.That(frozen.ExitCode, Is.EqualTo(1), frozen.ToString());
        Assert.That(frozen.Output, Does.Contain("release freeze"), "the refusal quotes the freeze reason");
        Assert.That(() => Git(delivery, "rev-parse", "--verify", "--quiet", "refs/heads/handoff/prod/myapp"), Throws.Exception, "a refused promotion leaves no branch");

        var unfreeze = await BuildScript.RunAsync(dir.Path, "--target=Unfreeze", "--env=prod", $"--delivery-repo={delivery}");
        Assert.That(unfreeze.ExitCode, Is.Zero, unfreeze.ToString());
        Assert.That(Git(delivery, "show", "handoff/freeze/prod:env/prod/freeze.yaml"), Does.Contain("frozen: false"));
        Assert.That((await BuildScript.RunAsync(dir.Path, "--target=MergePromotion", $"--delivery-repo={delivery}", "--branch=handoff/freeze/prod")).ExitCode, Is.Zero);

        // Two releases reach prod, then prod is rolled back from the command line to the first.
        async Task PromoteAndMerge(string from, string to)
        {
            var run = await BuildScript.RunAsync(dir.Path, "--target=Promote", "--app=myapp", $"--from={from}", $"--to={to}", $"--delivery-repo={delivery}");
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            var merged = await BuildScript.RunAsync(dir.Path, "--target=MergePromotion", $"--delivery-repo={delivery}", $"--branch=handoff/{to}/myapp");
            Assert.That(merged.ExitCode, Is.Zero, merged.ToString());
        }

        await PromoteAndMerge("staging", "prod");
        var v2 = Release("v2");
        Assert.That((await BuildScript.RunAsync(dir.Path, "--target=OpenPromotionPr", "--release=v2.json", $"--delivery-repo={delivery}", "--env=dev")).ExitCode, Is.Zero);
        Assert.That((await BuildScript.RunAsync(dir.Path, "--target=MergePromotion", $"--delivery-repo={delivery}", "--branch=handoff/dev/myapp")).ExitCode, Is.Zero);
        await PromoteAndMerge("dev", "staging");
        await PromoteAndMerge("staging", "prod");
        Assert.That(Git(delivery, "show", "main:env/prod/values.yaml"), Does.Contain(v2));

        var rollback = await BuildScript.RunAsync(dir.Path, "--target=Rollback", "--app=myapp", "--env=prod", $"--delivery-repo={delivery}");
        Assert.That(rollback.ExitCode, Is.Zero, rollback.ToString());
        var rollbackTrailers = Git(delivery, "log", "-1", "--format=%(trailers)", "handoff/rollback/prod/myapp");
        Assert.That(rollbackTrailers, Does.Contain("Handoff-Rollback: true").And.Contain($"Handoff-Digest: {v1}"), rollbackTrailers);
        Assert.That(Git(delivery, "show", "handoff/rollback/prod/myapp:env/prod/values.yaml"), Does.Contain(v1).And.Not.Contain(v2));
        Assert.That(File.ReadAllText(dir.Combine("artifacts", "promotion-pr.md")), Does.Contain("rollback"));
    }

    [Test]
    public async Task SetImage_changes_only_the_pin_lines_of_a_values_file()
    {
        using var dir = new TempDirectory("setimage");
        var original = File.ReadAllText(Path.Combine(RepoPaths.Shared("values-corpus"), "podinfo-values.yaml"));
        var file = dir.Write("values.yaml", original);
        var digest = Digest.Sha256("x"u8).ToString();

        var run = await BuildScript.RunAsync(dir.Path, "--target=SetImage", "--file=values.yaml", "--key=image", $"--digest={digest}");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var before = original.Split('\n');
        var after = File.ReadAllText(file).Split('\n');
        Assert.That(after.Length, Is.EqualTo(before.Length + 1), "one line inserted: digest");
        Assert.That(after.Except(before).Single().Trim(), Is.EqualTo($"digest: {digest}"));

        var bad = await BuildScript.RunAsync(dir.Path, "--target=SetImage", "--file=values.yaml", "--key=image", "--digest=sha256:nothex");
        Assert.That(bad.ExitCode, Is.EqualTo(1));
        Assert.That(bad.Output, Does.Contain("--digest"));
    }
}
