using Handoff.Delivery.Commands;
using Handoff.Delivery.Tests.Support;

namespace Handoff.Delivery.Tests;

/// <summary>
/// Concurrent runs against one real bare repository. A pre-receive hook holds the first push for a
/// second, so the other run is guaranteed to push in between and one of them must refetch, re-apply
/// and retry.
/// </summary>
public sealed class RaceTests
{
    private static void HoldFirstPush(DeliveryRepo repo)
    {
        var marker = repo.Directory.Combine("first-push-held");
        repo.InstallHook("pre-receive", $"""
            cat > /dev/null
            if mkdir '{marker}' 2>/dev/null; then sleep 1; fi
            exit 0
            """);
    }

    [Test]
    public async Task Two_promotions_to_different_environments_both_land()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var options = repo.Options();
        var dev = TestReleases.Create("5.0.0");
        var staging = TestReleases.Create("4.0.0");
        var opened = await Task.WhenAll(
            OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = dev }),
            OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "staging", Release = staging }));
        Assert.That(opened.Select(o => o.Outcome), Is.All.EqualTo(ChangeOutcome.Opened));

        HoldFirstPush(repo);
        var merged = await Task.WhenAll(opened.Select(o => MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = o.Request.Branch! }, repo.Logger)));

        Assert.That(merged.Select(m => m.Outcome), Is.All.EqualTo(MergeOutcome.Merged));
        Assert.That(repo.Log, Has.Some.Contains("was rejected"), "one merge found main moved and merged again");
        Assert.That(repo.PinnedDigest("dev"), Is.EqualTo(dev.Image.Digest));
        Assert.That(repo.PinnedDigest("staging"), Is.EqualTo(staging.Image.Digest));
        Assert.That(repo.Branches(), Is.EqualTo(new[] { "main" }));
    }

    [Test]
    public async Task Two_runs_for_the_same_environment_do_not_overwrite_blindly_and_both_succeed()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        HoldFirstPush(repo);
        var options = repo.Options();
        var releases = new[] { TestReleases.Create("6.0.0"), TestReleases.Create("6.0.1") };

        var results = await Task.WhenAll(releases.Select(r => OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = r }, repo.Logger)));

        Assert.That(results.Select(r => r.Outcome), Is.EquivalentTo(new[] { ChangeOutcome.Opened, ChangeOutcome.Updated }));
        Assert.That(repo.Log, Has.Some.Contains("was rejected"), "the held push lost its lease and was redone on the other run's branch");
        var pinned = repo.PinnedDigest("dev", "handoff/dev/myapp");
        var last = results.Single(r => r.Outcome == ChangeOutcome.Updated);
        Assert.That(pinned, Is.EqualTo(last.Digest.ToString()), "the run that pushed last owns the branch");
        Assert.That(repo.Git("rev-list", "--count", "main..handoff/dev/myapp"), Is.EqualTo("1"));
    }
}
