using Handoff.Delivery.Commands;
using Handoff.Delivery.Tests.Support;

namespace Handoff.Delivery.Tests;

/// <summary>
/// Concurrent runs against one real bare repository, with server hooks playing the other party: a
/// pre-receive hook holds the first push for a second, so the other run is guaranteed to push in
/// between and one of them must refetch, re-apply and retry; an update hook that moves the branch
/// on every push shows the retries are bounded; a hook that declines shows refusals are not retried.
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
    public async Task A_request_branch_that_keeps_moving_gives_up_after_the_bounded_attempts_and_changes_nothing_else()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var count = repo.Directory.Combine("moves.txt");
        var last = repo.Directory.Combine("last-move.txt");
        // Someone else moves the request branch during every push: the update hook runs after the
        // pushed objects are in the repository and before the ref is updated, so moving the ref
        // there makes the push's compare-and-swap fail exactly as a concurrent push would.
        repo.InstallHook("update", $$"""
            case "$1" in
              refs/heads/handoff/*)
                echo moved >> '{{count}}'
                n=$(wc -l < '{{count}}')
                export GIT_AUTHOR_NAME=Other GIT_AUTHOR_EMAIL=other@example.com GIT_COMMITTER_NAME=Other GIT_COMMITTER_EMAIL=other@example.com
                c=$(git commit-tree -p refs/heads/main -m "someone else's change $n" 'refs/heads/main^{tree}')
                git update-ref "$1" "$c"
                echo "$c" > '{{last}}'
                ;;
            esac
            exit 0
            """);
        var mainBefore = repo.Head();
        var options = repo.Options() with { MaxPushAttempts = 2 };

        var error = Assert.ThrowsAsync<HandoffException>(() => OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = TestReleases.Create() }, repo.Logger));

        Assert.That(error!.Message, Does.StartWith("Gave up after 2 attempts: each push was rejected because the request branch kept moving"));
        Assert.That(error.Message, Does.Contain("wait for them and run again"));
        Assert.That(File.ReadAllLines(count), Has.Length.EqualTo(2), "one push per attempt, no more");
        Assert.That(repo.Log.Where(l => l.Contains("was rejected")), Has.Exactly(2).Items.And.Some.Contains("attempt 2 of 2"));
        Assert.That(repo.Head(), Is.EqualTo(mainBefore), "main is untouched");
        Assert.That(repo.Head("handoff/dev/myapp"), Is.EqualTo(File.ReadAllText(last).Trim()), "the branch holds the other party's commit, not ours");
        Assert.That(repo.Git("log", "-1", "--format=%an", "handoff/dev/myapp"), Is.EqualTo("Other"));
        Assert.That(repo.LeftoverClones(), Is.Empty);
    }

    [Test]
    public async Task A_push_a_server_hook_declines_is_not_retried_and_names_the_hooks_reason()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var count = repo.Directory.Combine("pushes.txt");
        repo.InstallHook("pre-receive", $$"""
            cat > /dev/null
            echo push >> '{{count}}'
            echo "promotion branches are protected here" >&2
            exit 1
            """);
        var mainBefore = repo.Head();

        var error = Assert.ThrowsAsync<HandoffException>(() => OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = repo.Options(), Environment = "dev", Release = TestReleases.Create() }, repo.Logger));

        Assert.That(error!.Message, Does.Contain("refused the push (a server hook or branch protection)").And.Contain("promotion branches are protected here"));
        Assert.That(File.ReadAllLines(count), Has.Length.EqualTo(1), "a refusal is not a race: retrying would only be refused again");
        Assert.That(repo.Head(), Is.EqualTo(mainBefore));
        Assert.That(repo.Branches(), Is.EqualTo(new[] { "main" }));
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
