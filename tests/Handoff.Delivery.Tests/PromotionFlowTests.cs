using Handoff.Delivery.Commands;
using Handoff.Delivery.Git;
using Handoff.Delivery.Tests.Support;

namespace Handoff.Delivery.Tests;

/// <summary>The embedded (branch SCM) flow end to end on real bare repositories: what the Demo does.</summary>
public sealed class PromotionFlowTests
{
    [Test]
    public async Task OpenPromotionPr_pushes_the_stable_branch_with_trailers_and_writes_the_description()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var release = TestReleases.Create("1.2.3");
        var before = repo.Head();

        var result = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = repo.Options(), Environment = "dev", Release = release }, repo.Logger);

        Assert.That(result.Outcome, Is.EqualTo(ChangeOutcome.Opened));
        Assert.That(result.App, Is.EqualTo("myapp"));
        Assert.That(result.Digest.ToString(), Is.EqualTo(release.Image.Digest));
        Assert.That(result.PreviousDigest, Is.Null);
        Assert.That(result.Request.Branch, Is.EqualTo("handoff/dev/myapp"));
        Assert.That(repo.Head(), Is.EqualTo(before), "the base branch is only changed by merging");
        Assert.That(repo.PinnedDigest("dev", "handoff/dev/myapp"), Is.EqualTo(release.Image.Digest));

        var trailers = repo.Trailers("handoff/dev/myapp");
        Assert.That(trailers[HandoffTrailers.App], Is.EqualTo("myapp"));
        Assert.That(trailers[HandoffTrailers.Env], Is.EqualTo("dev"));
        Assert.That(trailers[HandoffTrailers.Digest], Is.EqualTo(release.Image.Digest));
        Assert.That(trailers[HandoffTrailers.Tag], Is.EqualTo("1.2.3"));
        Assert.That(trailers[HandoffTrailers.SourceCommit], Is.EqualTo(release.Source.Commit));
        Assert.That(trailers[HandoffTrailers.PromotedFrom], Is.EqualTo("release"));
        Assert.That(trailers[HandoffTrailers.Run], Is.EqualTo(release.Build.RunUrl));
        Assert.That(repo.Git("log", "-1", "--format=%an <%ae>", "handoff/dev/myapp"), Is.EqualTo("Handoff Test <handoff-test@localhost>"));
        Assert.That(repo.Git("rev-parse", "handoff/dev/myapp^"), Is.EqualTo(before), "one commit on top of main");

        var description = await File.ReadAllTextAsync(Path.Combine(repo.Artifacts, "promotion-pr.md"));
        Assert.That(description, Does.StartWith($"# Promote myapp to dev: {Digest.Parse(release.Image.Digest).Short} ({release.Source.Commit![..7]})"));
        Assert.That(description, Does.Contain("12 passed, 0 failed, 1 skipped"));
        Assert.That(description, Does.Contain($"https://github.com/example-org/myapp/commit/{release.Source.Commit}"));
        Assert.That(result.Message, Does.Contain("--target=MergePromotion"));
        Assert.That(repo.LeftoverClones(), Is.Empty, "the temporary clone is removed");
    }

    [Test]
    public async Task A_release_built_outside_CI_still_carries_Handoff_Run_and_a_rerun_is_a_no_op()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var options = repo.Options();
        var release = TestReleases.Create("1.5.0");
        release.Build = new ReleaseBuild();
        var open = new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = release };

        var opened = await OpenPromotionPrCommand.RunAsync(open);
        Assert.That(repo.Trailers("handoff/dev/myapp")[HandoffTrailers.Run], Is.EqualTo("local"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(repo.Artifacts, "promotion-pr.md")), Does.Contain("| CI run | `local` (built outside CI) |"));

        var branchHead = repo.Head("handoff/dev/myapp");
        var again = await OpenPromotionPrCommand.RunAsync(open);
        Assert.That(again.Outcome, Is.EqualTo(ChangeOutcome.UpToDate), "the stand-in is deterministic, so the same release is still a no-op");
        Assert.That(repo.Head("handoff/dev/myapp"), Is.EqualTo(branchHead));

        await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = opened.Request.Branch! });
        var promoted = await PromoteCommand.RunAsync(new PromoteOptions { Delivery = options, App = "myapp", From = "dev", To = "staging" });
        Assert.That(repo.Trailers(promoted.Request.Branch!)[HandoffTrailers.Run], Is.EqualTo("local"), "promotion carries the run of the build forward");

        // A digest set by hand has no promotion commit to read the run from.
        var byHand = TestReleases.RandomDigest();
        repo.CommitFile("env/dev/values.yaml", repo.Show("main", "env/dev/values.yaml").Replace(release.Image.Digest, byHand.ToString()));
        var fromHandEdit = await PromoteCommand.RunAsync(new PromoteOptions { Delivery = options, App = "myapp", From = "dev", To = "staging" });
        Assert.That(fromHandEdit.Digest, Is.EqualTo(byHand));
        Assert.That(repo.Trailers(fromHandEdit.Request.Branch!)[HandoffTrailers.Run], Is.EqualTo("unknown"));
    }

    [Test]
    public async Task Only_the_digest_and_tag_lines_of_the_values_file_change()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var release = TestReleases.Create("2.0.0");
        await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = repo.Options(), Environment = "staging", Release = release });

        var before = repo.Show("main", "env/staging/values.yaml").Split('\n');
        var after = repo.Show("handoff/staging/myapp", "env/staging/values.yaml").Split('\n');
        Assert.That(after, Has.Length.EqualTo(before.Length));
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).Select(i => after[i].Trim()).ToList();
        Assert.That(changed, Is.EquivalentTo(new[] { "tag: \"2.0.0\"", $"digest: \"{release.Image.Digest}\"" }));
        Assert.That(repo.Git("diff", "--name-only", "main", "handoff/staging/myapp"), Is.EqualTo("env/staging/values.yaml"));
    }

    [Test]
    public async Task Demo_flow_dev_staging_prod_then_rollback_of_prod()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var options = repo.Options();
        var first = TestReleases.Create("1.0.0");
        var second = TestReleases.Create("1.1.0");

        async Task Ship(Release release)
        {
            var opened = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = release });
            await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = opened.Request.Branch! });
            foreach (var (from, to) in new[] { ("dev", "staging"), ("staging", "prod") })
            {
                var promoted = await PromoteCommand.RunAsync(new PromoteOptions { Delivery = options, App = "myapp", From = from, To = to });
                Assert.That(promoted.Outcome, Is.EqualTo(ChangeOutcome.Opened));
                Assert.That(promoted.Request.Branch, Is.EqualTo($"handoff/{to}/myapp"));
                var merged = await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = promoted.Request.Branch! });
                Assert.That(merged.Outcome, Is.EqualTo(MergeOutcome.Merged));
            }
        }

        await Ship(first);
        await Ship(second);
        var status = await StatusCommand.RunAsync(options);
        Assert.That(status.Pins.Select(p => p.Digest), Is.All.EqualTo(second.Image.Digest));
        Assert.That(status.ToTable(), Does.Contain("prod").And.Contain(second.Image.Digest));

        var promotionToProd = repo.Trailers("main^2");
        Assert.That(promotionToProd[HandoffTrailers.Env], Is.EqualTo("prod"));
        Assert.That(promotionToProd[HandoffTrailers.PromotedFrom], Is.EqualTo("staging"));
        Assert.That(promotionToProd[HandoffTrailers.SourceCommit], Is.EqualTo(second.Source.Commit), "the source commit travels from dev through staging");
        Assert.That(promotionToProd[HandoffTrailers.Tag], Is.EqualTo("1.1.0"));
        Assert.That(repo.Git("log", "-1", "--format=%P", "main").Split(' '), Has.Length.EqualTo(2), "merged with a merge commit");

        var rollback = await RollbackCommand.RunAsync(new RollbackOptions { Delivery = options, App = "myapp", Environment = "prod", Reason = "error rate" }, repo.Logger);
        Assert.That(rollback.Outcome, Is.EqualTo(ChangeOutcome.Opened));
        Assert.That(rollback.Request.Branch, Is.EqualTo("handoff/rollback/prod/myapp"));
        Assert.That(rollback.Digest.ToString(), Is.EqualTo(first.Image.Digest));
        Assert.That(rollback.Request.Request!.Labels, Does.Contain("rollback"));
        var rollbackTrailers = repo.Trailers("handoff/rollback/prod/myapp");
        Assert.That(rollbackTrailers[HandoffTrailers.Rollback], Is.EqualTo("true"));
        Assert.That(rollbackTrailers[HandoffTrailers.Digest], Is.EqualTo(first.Image.Digest));
        Assert.That(rollbackTrailers[HandoffTrailers.SourceCommit], Is.EqualTo(first.Source.Commit));
        Assert.That(repo.Git("log", "-1", "--format=%B", "handoff/rollback/prod/myapp"), Does.Contain("This reverts commit " + rollbackTrailers[HandoffTrailers.Reverts]));
        Assert.That(repo.Trailers(rollbackTrailers[HandoffTrailers.Reverts])[HandoffTrailers.Digest], Is.EqualTo(second.Image.Digest), "it reverts the promotion that brought the current digest");

        await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = rollback.Request.Branch! });
        Assert.That(repo.PinnedDigest("prod"), Is.EqualTo(first.Image.Digest));
        Assert.That(repo.PinnedDigest("staging"), Is.EqualTo(second.Image.Digest));
        Assert.That(repo.Show("main", "env/prod/values.yaml"), Does.Contain("tag: \"1.0.0\""));
        Assert.That(repo.Branches(), Is.EquivalentTo(new[] { "main" }), "merged branches are deleted");
    }

    [Test]
    public async Task A_second_run_with_the_same_release_changes_nothing_and_a_newer_release_supersedes_the_branch()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var options = new OpenPromotionPrOptions { Delivery = repo.Options(), Environment = "dev", Release = TestReleases.Create("1.0.0") };
        var first = await OpenPromotionPrCommand.RunAsync(options);
        var branchHead = repo.Head("handoff/dev/myapp");

        var again = await OpenPromotionPrCommand.RunAsync(options, repo.Logger);
        Assert.That(again.Outcome, Is.EqualTo(ChangeOutcome.UpToDate));
        Assert.That(repo.Head("handoff/dev/myapp"), Is.EqualTo(branchHead), "nothing pushed");
        Assert.That(again.Request.Commit, Is.EqualTo(first.Request.Commit));

        var newer = TestReleases.Create("1.0.1");
        var updated = await OpenPromotionPrCommand.RunAsync(options with { Release = newer });
        Assert.That(updated.Outcome, Is.EqualTo(ChangeOutcome.Updated));
        Assert.That(repo.PinnedDigest("dev", "handoff/dev/myapp"), Is.EqualTo(newer.Image.Digest));
        Assert.That(repo.Git("rev-list", "--count", "main..handoff/dev/myapp"), Is.EqualTo("1"), "the branch is rebuilt on main, not stacked");
        Assert.That(repo.Branches(), Is.EquivalentTo(new[] { "main", "handoff/dev/myapp" }));
    }

    [Test]
    public async Task An_environment_already_running_the_digest_opens_nothing()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var options = repo.Options();
        var release = TestReleases.Create();
        var opened = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = release });
        await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = opened.Request.Branch! });

        var result = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = release });

        Assert.That(result.Outcome, Is.EqualTo(ChangeOutcome.NothingToDo));
        Assert.That(result.Message, Does.Contain("already runs " + release.Image.Digest));
        Assert.That(repo.Branches(), Is.EquivalentTo(new[] { "main" }));
    }

    [Test]
    public async Task Promote_refuses_to_skip_or_reverse_the_configured_order()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var skip = Assert.ThrowsAsync<HandoffException>(() => PromoteCommand.RunAsync(new PromoteOptions { Delivery = repo.Options(), App = "myapp", From = "dev", To = "prod" }));
        Assert.That(skip!.Message, Does.Contain("skips staging").And.Contain("dev → staging → prod"));
        var back = Assert.ThrowsAsync<HandoffException>(() => PromoteCommand.RunAsync(new PromoteOptions { Delivery = repo.Options(), App = "myapp", From = "prod", To = "staging" }));
        Assert.That(back!.Message, Does.Contain("staging comes before prod").And.Contain("Rollback"));
        Assert.That(repo.Branches(), Is.EquivalentTo(new[] { "main" }));
    }

    [Test]
    public async Task Promote_from_an_environment_without_a_digest_explains_what_to_do()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var error = Assert.ThrowsAsync<HandoffException>(() => PromoteCommand.RunAsync(new PromoteOptions { Delivery = repo.Options(), App = "myapp", From = "dev", To = "staging" }));
        Assert.That(error!.Message, Does.Contain("dev has no digest pinned").And.Contain("OpenPromotionPr --env=dev"));
    }

    [Test]
    public async Task Rollback_to_a_digest_the_environment_ran_before_and_refusal_of_one_it_never_ran()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var options = repo.Options();
        var releases = new[] { TestReleases.Create("1.0.0"), TestReleases.Create("1.1.0"), TestReleases.Create("1.2.0") };
        await DeliveryRepo.MergeEachAsync(options, "dev", releases);

        var never = TestReleases.RandomDigest();
        var refused = Assert.ThrowsAsync<HandoffException>(() => RollbackCommand.RunAsync(new RollbackOptions { Delivery = options, App = "myapp", Environment = "dev", ToDigest = never.ToString() }));
        Assert.That(refused!.Message, Does.Contain($"never ran {never}").And.Contain(releases[0].Image.Digest));

        var bad = Assert.ThrowsAsync<HandoffException>(() => RollbackCommand.RunAsync(new RollbackOptions { Delivery = options, App = "myapp", Environment = "dev", ToDigest = "sha256:abc" }));
        Assert.That(bad!.Message, Does.Contain("--to-digest").And.Contain("64 lowercase hex"));

        var result = await RollbackCommand.RunAsync(new RollbackOptions { Delivery = options, App = "myapp", Environment = "dev", ToDigest = releases[0].Image.Digest });
        Assert.That(result.Outcome, Is.EqualTo(ChangeOutcome.Opened));
        Assert.That(repo.PinnedDigest("dev", result.Request.Branch!), Is.EqualTo(releases[0].Image.Digest));
        Assert.That(repo.Show(result.Request.Branch!, "env/dev/values.yaml"), Does.Contain("tag: \"1.0.0\""));
        Assert.That(repo.Trailers(result.Request.Branch!)[HandoffTrailers.SourceCommit], Is.EqualTo(releases[0].Source.Commit));
        Assert.That(repo.Branches(), Is.EquivalentTo(new[] { "main", "handoff/rollback/dev/myapp" }));
    }

    [Test]
    public async Task Rolling_back_twice_walks_further_back_instead_of_undoing_the_first_rollback()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var options = repo.Options();
        var releases = new[] { TestReleases.Create("1.0.0"), TestReleases.Create("1.1.0"), TestReleases.Create("1.2.0") };
        await DeliveryRepo.MergeEachAsync(options, "dev", releases);

        foreach (var expected in new[] { releases[1], releases[0] })
        {
            var rollback = await RollbackCommand.RunAsync(new RollbackOptions { Delivery = options, App = "myapp", Environment = "dev" });
            await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = rollback.Request.Branch! });
            Assert.That(repo.PinnedDigest("dev"), Is.EqualTo(expected.Image.Digest));
        }
    }

    [Test]
    public async Task Merging_an_already_merged_branch_only_deletes_it_and_a_missing_branch_is_named()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var options = repo.Options();
        var opened = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = TestReleases.Create() });
        await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = opened.Request.Branch!, DeleteBranch = false });
        var head = repo.Head();

        var again = await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = opened.Request.Branch! });
        Assert.That(again.Outcome, Is.EqualTo(MergeOutcome.AlreadyMerged));
        Assert.That(repo.Head(), Is.EqualTo(head));
        Assert.That(repo.Branches(), Is.EquivalentTo(new[] { "main" }));

        var missing = Assert.ThrowsAsync<HandoffException>(() => MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = "handoff/qa/myapp" }));
        Assert.That(missing!.Message, Does.Contain("no branch 'handoff/qa/myapp'"));
    }

    [Test]
    public async Task A_branch_opened_on_an_old_base_that_conflicts_is_not_merged_and_rerunning_rebuilds_it()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var options = repo.Options();
        var release = TestReleases.Create("3.0.0");
        var opened = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = release });
        var values = repo.Show("main", "env/dev/values.yaml");
        repo.CommitFile("env/dev/values.yaml", values.Replace("tag: \"0.1.0\"", "tag: \"0.1.1\""));
        var head = repo.Head();

        var conflict = Assert.ThrowsAsync<HandoffException>(() => MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = opened.Request.Branch! }));
        Assert.That(conflict!.Message, Does.Contain("does not merge cleanly").And.Contain("run the command that opened it again"));
        Assert.That(repo.Head(), Is.EqualTo(head));

        await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = release });
        var merged = await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = opened.Request.Branch! });
        Assert.That(merged.Outcome, Is.EqualTo(MergeOutcome.Merged));
        Assert.That(repo.PinnedDigest("dev"), Is.EqualTo(release.Image.Digest));
    }

    [Test]
    public async Task A_local_non_bare_repository_path_works_as_the_delivery_repo()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var workingCopy = repo.Directory.Combine("checkout");
        Exec.Run("git", ["clone", "--quiet", repo.BarePath, workingCopy]).EnsureSuccess("clone");
        var options = repo.Options(deliveryRepo: workingCopy);

        var result = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = TestReleases.Create() });
        Assert.That(result.Outcome, Is.EqualTo(ChangeOutcome.Opened));
        Assert.That(Exec.Run("git", ["-C", workingCopy, "rev-parse", "--verify", "refs/heads/handoff/dev/myapp"]).Succeeded, Is.True);

        var merge = Assert.ThrowsAsync<HandoffException>(() => MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = "handoff/dev/myapp" }));
        Assert.That(merge!.Message, Does.Contain("receive.denyCurrentBranch updateInstead").Or.Contain("bare"));
    }

    [Test]
    public async Task Rollback_falls_back_to_the_editor_when_git_revert_conflicts_with_a_later_hand_edit()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var options = repo.Options();
        var releases = new[] { TestReleases.Create("1.0.0"), TestReleases.Create("1.1.0") };
        await DeliveryRepo.MergeEachAsync(options, "prod", releases);

        repo.CommitFile("env/prod/values.yaml", repo.Show("main", "env/prod/values.yaml").Replace("tag: \"1.1.0\"", "tag: \"1.1.0-hotfix\""));

        var rollback = await RollbackCommand.RunAsync(new RollbackOptions { Delivery = options, App = "myapp", Environment = "prod" }, repo.Logger);

        Assert.That(repo.Log, Has.Some.Contains("does not apply cleanly"));
        Assert.That(repo.PinnedDigest("prod", rollback.Request.Branch!), Is.EqualTo(releases[0].Image.Digest));
        Assert.That(repo.Show(rollback.Request.Branch!, "env/prod/values.yaml"), Does.Contain("tag: \"1.0.0\""));
        Assert.That(repo.Trailers(rollback.Request.Branch!)[HandoffTrailers.Rollback], Is.EqualTo("true"));
        Assert.That(repo.Git("diff", "--name-only", "main", rollback.Request.Branch!), Is.EqualTo("env/prod/values.yaml"));
    }

    [Test]
    public async Task Rollback_without_history_explains_what_to_pass()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var options = repo.Options();
        var noPin = Assert.ThrowsAsync<HandoffException>(() => RollbackCommand.RunAsync(new RollbackOptions { Delivery = options, App = "myapp", Environment = "prod" }));
        Assert.That(noPin!.Message, Does.Contain("prod has no digest pinned for myapp").And.Contain("nothing to roll back"));

        var opened = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "prod", Release = TestReleases.Create() });
        await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = opened.Request.Branch! });
        var first = Assert.ThrowsAsync<HandoffException>(() => RollbackCommand.RunAsync(new RollbackOptions { Delivery = options, App = "myapp", Environment = "prod" }));
        Assert.That(first!.Message, Does.Contain("prod had no digest pinned for myapp").And.Contain("--to-digest"));

        var byHand = TestReleases.RandomDigest();
        repo.CommitFile("env/prod/values.yaml", repo.Show("main", "env/prod/values.yaml").Replace(opened.Digest.ToString(), byHand.ToString()));
        var manual = Assert.ThrowsAsync<HandoffException>(() => RollbackCommand.RunAsync(new RollbackOptions { Delivery = options, App = "myapp", Environment = "prod" }));
        Assert.That(manual!.Message, Does.Contain($"set prod to {byHand}").And.Contain("changed by hand"));

        var back = await RollbackCommand.RunAsync(new RollbackOptions { Delivery = options, App = "myapp", Environment = "prod", ToDigest = opened.Digest.ToString() });
        Assert.That(back.Outcome, Is.EqualTo(ChangeOutcome.Opened), "a digest set by a promotion is a valid target even after a hand edit");
        Assert.That(repo.Branches(), Is.EquivalentTo(new[] { "main", "handoff/rollback/prod/myapp" }));
    }

    [Test]
    public async Task The_base_branch_from_handoff_yaml_wins_over_the_remote_default()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        repo.Git("branch", "develop", "main");
        repo.Git("symbolic-ref", "HEAD", "refs/heads/develop");

        var opened = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = repo.Options(), Environment = "dev", Release = TestReleases.Create() });
        Assert.That(opened.Request.BaseBranch, Is.EqualTo("main"));
        var merged = await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = repo.Options(), Branch = opened.Request.Branch! });
        Assert.That(merged.BaseBranch, Is.EqualTo("main"));
        Assert.That(repo.PinnedDigest("dev"), Is.EqualTo(opened.Digest.ToString()));
        Assert.That(repo.PinnedDigest("dev", "develop"), Is.Null);
    }
}
