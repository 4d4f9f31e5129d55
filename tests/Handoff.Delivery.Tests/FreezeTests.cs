using Handoff.Delivery.Commands;
using Handoff.Delivery.Freeze;
using Handoff.Delivery.Tests.Support;

namespace Handoff.Delivery.Tests;

public sealed class FreezeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static DeliveryOptions Options(DeliveryRepo repo) => repo.Options() with { Clock = new FixedClock(Now) };

    [Test]
    public void The_template_freeze_file_is_what_Unfreeze_writes()
    {
        var template = File.ReadAllText(Testing.RepoPaths.InRepo("samples", "delivery-repo", "env", "prod", "freeze.yaml"));
        var state = FreezeFile.Parse(template, "env/prod/freeze.yaml");
        Assert.That(state, Is.EqualTo(FreezeState.None).Using<FreezeState>((a, b) => a.Frozen == b.Frozen && a.Reason == b.Reason && a.Until == b.Until && a.Allow.SequenceEqual(b.Allow)));
        Assert.That(FreezeFile.Render("prod", state), Is.EqualTo(template));
    }

    [Test]
    public void Rendered_freeze_files_round_trip_awkward_reasons()
    {
        var state = new FreezeState(true, "Black Friday: \"no\" deploys # really", new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), ["rollback"]);
        var parsed = FreezeFile.Parse(FreezeFile.Render("prod", state), "freeze.yaml");
        Assert.That(parsed.Frozen, Is.True);
        Assert.That(parsed.Reason, Is.EqualTo(state.Reason));
        Assert.That(parsed.Until, Is.EqualTo(state.Until));
        Assert.That(parsed.Allow, Is.EqualTo(new[] { "rollback" }));
        Assert.That(parsed.IsActive(state.Until!.Value.AddSeconds(-1)), Is.True);
        Assert.That(parsed.IsActive(state.Until!.Value), Is.False, "a freeze ends at its until time");
    }

    [Test]
    public void A_bad_until_in_the_file_is_located()
    {
        var error = Assert.Throws<InputFileException>(() => FreezeFile.Parse("frozen: true\nuntil: next tuesday\n", "env/prod/freeze.yaml"));
        Assert.That(error!.Message, Does.StartWith("env/prod/freeze.yaml:2:8: until 'next tuesday' is not an ISO-8601 time."));
    }

    [Test]
    public async Task Freeze_blocks_promotions_allows_rollbacks_and_Unfreeze_lifts_it()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var options = Options(repo);
        var releases = new[] { TestReleases.Create("1.0.0"), TestReleases.Create("1.1.0") };
        await DeliveryRepo.MergeEachAsync(options, "prod", releases);

        var pending = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "prod", Release = TestReleases.Create("1.2.0") });
        var freeze = await FreezeCommand.RunAsync(new FreezeOptions { Delivery = options, Environment = "prod", Reason = "Black Friday", Until = "2026-12-01T00:00:00Z" });
        Assert.That(freeze.Outcome, Is.EqualTo(ChangeOutcome.Opened));
        Assert.That(freeze.Request.Branch, Is.EqualTo("handoff/freeze/prod"));
        Assert.That(freeze.Request.Request!.Title, Is.EqualTo("Freeze prod: Black Friday"));
        Assert.That(freeze.Request.Request.Labels, Does.Contain("freeze"));
        await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = freeze.Request.Branch! });
        var file = repo.Show("main", "env/prod/freeze.yaml");
        Assert.That(file, Does.Contain("frozen: true\nreason: \"Black Friday\"\nuntil: \"2026-12-01T00:00:00Z\"\nallow: [rollback]\n"));
        Assert.That(repo.Trailers("main^2")["Handoff-Freeze"], Is.EqualTo("true"));

        var again = await FreezeCommand.RunAsync(new FreezeOptions { Delivery = options, Environment = "prod", Reason = "Black Friday", Until = "2026-12-01T00:00:00Z" });
        Assert.That(again.Outcome, Is.EqualTo(ChangeOutcome.NothingToDo));

        var refused = Assert.ThrowsAsync<HandoffException>(() => OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "prod", Release = TestReleases.Create("1.3.0") }));
        Assert.That(refused!.Message, Does.Contain("prod is frozen (Black Friday) until 2026-12-01T00:00:00Z").And.Contain("--target=Unfreeze --env=prod"));
        var mergeRefused = Assert.ThrowsAsync<HandoffException>(() => MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = pending.Request.Branch! }));
        Assert.That(mergeRefused!.Message, Does.Contain("this promotion is refused"), "the freeze is checked again at merge time");

        var rollback = await RollbackCommand.RunAsync(new RollbackOptions { Delivery = options, App = "myapp", Environment = "prod" });
        await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = rollback.Request.Branch! });
        Assert.That(repo.PinnedDigest("prod"), Is.EqualTo(releases[0].Image.Digest), "rollback is allowed during the freeze");

        var afterFreeze = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = repo.Options() with { Clock = new FixedClock(new DateTimeOffset(2026, 12, 1, 0, 0, 1, TimeSpan.Zero)) }, Environment = "prod", Release = TestReleases.Create("1.4.0") });
        Assert.That(afterFreeze.Outcome, Is.EqualTo(ChangeOutcome.Updated), "an expired freeze no longer blocks");

        var unfreeze = await FreezeCommand.RunAsync(new FreezeOptions { Delivery = options, Environment = "prod", Frozen = false });
        Assert.That(unfreeze.Request.Request!.Title, Is.EqualTo("Unfreeze prod"));
        await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = unfreeze.Request.Branch! });
        Assert.That(repo.Show("main", "env/prod/freeze.yaml"), Is.EqualTo(File.ReadAllText(Testing.RepoPaths.InRepo("samples", "delivery-repo", "env", "prod", "freeze.yaml"))));
        var merged = await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = pending.Request.Branch! });
        Assert.That(merged.Outcome, Is.EqualTo(MergeOutcome.Merged));
    }

    [Test]
    public async Task A_freeze_that_does_not_allow_rollback_blocks_it_too()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var options = Options(repo);
        repo.CommitFile("env/staging/freeze.yaml", "frozen: true\nreason: audit\nallow: []\n");
        var error = Assert.ThrowsAsync<HandoffException>(() => OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "staging", Release = TestReleases.Create() }));
        Assert.That(error!.Message, Does.Contain("staging is frozen (audit) with no end date"));
    }

    [Test]
    public async Task Freeze_needs_a_reason_and_a_future_until()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var options = Options(repo);
        var noReason = Assert.ThrowsAsync<HandoffException>(() => FreezeCommand.RunAsync(new FreezeOptions { Delivery = options, Environment = "prod" }));
        Assert.That(noReason!.Message, Does.Contain("needs a reason"));
        var past = Assert.ThrowsAsync<HandoffException>(() => FreezeCommand.RunAsync(new FreezeOptions { Delivery = options, Environment = "prod", Reason = "x", Until = "2020-01-01T00:00:00Z" }));
        Assert.That(past!.Message, Does.Contain("is in the past"));
        var garbage = Assert.ThrowsAsync<HandoffException>(() => FreezeCommand.RunAsync(new FreezeOptions { Delivery = options, Environment = "prod", Reason = "x", Until = "soon" }));
        Assert.That(garbage!.Message, Does.Contain("--until 'soon' is not an ISO-8601 time"));
        var unfrozen = await FreezeCommand.RunAsync(new FreezeOptions { Delivery = options, Environment = "prod", Frozen = false });
        Assert.That(unfrozen.Outcome, Is.EqualTo(ChangeOutcome.NothingToDo));
        Assert.That(repo.Branches(), Is.EqualTo(new[] { "main" }));
    }

    [Test]
    public async Task Freezing_an_environment_without_a_freeze_file_creates_it()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var result = await FreezeCommand.RunAsync(new FreezeOptions { Delivery = Options(repo), Environment = "dev", Reason = "migration" });
        Assert.That(result.Outcome, Is.EqualTo(ChangeOutcome.Opened));
        var state = FreezeFile.Parse(repo.Show("handoff/freeze/dev", "env/dev/freeze.yaml"), "env/dev/freeze.yaml");
        Assert.That(state.Frozen, Is.True);
        Assert.That(state.Until, Is.Null);
        Assert.That(state.Allow, Is.EqualTo(new[] { "rollback" }));
    }

    [Test]
    public async Task A_secret_quoted_in_a_reason_is_redacted_everywhere_it_is_written()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var secret = Secrets.Register("hunter2-" + Guid.NewGuid().ToString("N"));

        var result = await FreezeCommand.RunAsync(new FreezeOptions { Delivery = Options(repo), Environment = "prod", Reason = "leaked " + secret });

        Assert.That(result.Request.Request!.Title, Is.EqualTo("Freeze prod: leaked ***"));
        Assert.That(await File.ReadAllTextAsync(result.Request.DescriptionFile!), Does.Not.Contain(secret));
        Assert.That(repo.Git("log", "-1", "--format=%B", "handoff/freeze/prod"), Does.Not.Contain(secret));
        Assert.That(repo.Show("handoff/freeze/prod", "env/prod/freeze.yaml"), Does.Contain("reason: \"leaked ***\""));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
