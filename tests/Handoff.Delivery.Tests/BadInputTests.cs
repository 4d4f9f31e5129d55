using Handoff.Delivery.Commands;
using Handoff.Delivery.Tests.Support;

namespace Handoff.Delivery.Tests;

/// <summary>Every user mistake ends in a message naming what, where and the fix, with nothing pushed.</summary>
public sealed class BadInputTests
{
    private static async Task<HandoffException> FailsWithNothingPushed(DeliveryRepo repo, Func<Task> run)
    {
        var heads = repo.Git("for-each-ref", "refs/heads");
        var error = Assert.CatchAsync<HandoffException>(async () => await run())!;
        Assert.That(repo.Git("for-each-ref", "refs/heads"), Is.EqualTo(heads), "nothing pushed");
        Assert.That(error.Message, Does.Not.Contain("   at "), "no stack trace in the message");
        Assert.That(repo.LeftoverClones(), Is.Empty, "temporary clones are removed after a failure too");
        return error;
    }

    private static OpenPromotionPrOptions Open(DeliveryRepo repo, string env = "dev", string? app = null) =>
        new() { Delivery = repo.Options(), Environment = env, App = app, Release = TestReleases.Create() };

    [Test]
    public async Task Unknown_app_and_environment_list_what_exists()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var app = await FailsWithNothingPushed(repo, () => OpenPromotionPrCommand.RunAsync(Open(repo, app: "billing")));
        Assert.That(app.Message, Does.Contain("unknown app 'billing'").And.Contain("Apps: myapp").And.Contain("handoff.yaml"));

        var env = await FailsWithNothingPushed(repo, () => OpenPromotionPrCommand.RunAsync(Open(repo, env: "qa")));
        Assert.That(env.Message, Does.Contain("unknown environment 'qa'").And.Contain("dev → staging → prod"));

        var promote = await FailsWithNothingPushed(repo, () => PromoteCommand.RunAsync(new PromoteOptions { Delivery = repo.Options(), App = "myapp", From = "dev", To = "production" }));
        Assert.That(promote.Message, Does.Contain("unknown environment 'production'"));
    }

    [Test]
    public async Task A_release_for_another_image_is_refused()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var release = TestReleases.Create();
        release.Image.Repository = "other/service";
        var error = await FailsWithNothingPushed(repo, () => OpenPromotionPrCommand.RunAsync(Open(repo, app: "myapp") with { Release = release }));
        Assert.That(error.Message, Does.Contain("deploys image 'handoff/myapp'").And.Contain("127.0.0.1:5000/other/service"));
    }

    [Test]
    public async Task Missing_values_file_names_the_file_and_the_handoff_yaml_line()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        repo.CommitFile("handoff.yaml", repo.Show("main", "handoff.yaml").Replace("file: env/dev/values.yaml", "file: env/dev/helm-values.yaml"));

        var error = await FailsWithNothingPushed(repo, () => OpenPromotionPrCommand.RunAsync(Open(repo)));

        Assert.That(error.Message, Does.StartWith("env/dev/helm-values.yaml does not exist in the delivery repository on main"));
        Assert.That(error.Message, Does.Match(@"handoff\.yaml:\d+:\d+ pins myapp in dev there"));
    }

    [Test]
    public async Task Missing_image_key_says_what_to_add()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        repo.CommitFile("env/dev/values.yaml", "replicaCount: 1\n");

        var error = await FailsWithNothingPushed(repo, () => OpenPromotionPrCommand.RunAsync(Open(repo)));

        Assert.That(error.Message, Does.Contain("env/dev/values.yaml (Helm values key 'image') has no image for myapp in dev"));
        Assert.That(error.Message, Does.Contain("Add a mapping 'image:' with repository: and tag:"));
    }

    [Test]
    public async Task Malformed_values_yaml_is_reported_with_line_and_column()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        repo.CommitFile("env/dev/values.yaml", "image:\n  repository: handoff/myapp\n  tag: \"0.1.0\n  digest: \"\"\nreplicaCount: 1\n");

        var error = await FailsWithNothingPushed(repo, () => OpenPromotionPrCommand.RunAsync(Open(repo)));

        Assert.That(error, Is.InstanceOf<InputFileException>());
        var located = (InputFileException)error;
        Assert.That(located.File, Is.EqualTo("env/dev/values.yaml"));
        Assert.That(located.Line, Is.GreaterThan(0));
        Assert.That(error.Message, Does.Match(@"^env/dev/values\.yaml:\d+:\d+: "));
    }

    [Test]
    public async Task A_values_file_the_parser_cannot_finish_is_still_a_clear_error()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        repo.CommitFile("env/dev/values.yaml", "image:\n  repository: handoff/myapp\n  tag: [unclosed\n");

        var error = await FailsWithNothingPushed(repo, () => OpenPromotionPrCommand.RunAsync(Open(repo)));

        // The parser gives up at the end of the file (line 4, column 1) looking for the ']'.
        Assert.That(error, Is.InstanceOf<InputFileException>());
        Assert.That(((InputFileException)error).Line, Is.EqualTo(4));
        Assert.That(((InputFileException)error).Column, Is.EqualTo(1));
        Assert.That(error.Message, Does.Match(@"^env/dev/values\.yaml:4:1: is not valid YAML: .*did not find expected ',' or '\]'\. Fix: "));
    }

    [Test]
    public async Task Malformed_handoff_yaml_is_reported_with_line_and_column()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        repo.CommitFile("handoff.yaml", repo.Show("main", "handoff.yaml").Replace("  - name: staging\n", "  - name: staging\n    reviewer: [qa-lead]\n"));

        var error = await FailsWithNothingPushed(repo, () => OpenPromotionPrCommand.RunAsync(Open(repo)));

        Assert.That(error.Message, Does.Match(@"^handoff\.yaml:\d+:5: unknown key 'reviewer'"));
        Assert.That(error.Message, Does.Contain("did you mean 'reviewers'?"));
    }

    [Test]
    public async Task Malformed_digest_in_release_json_names_the_file()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var release = TestReleases.Create();
        release.Image.Digest = "sha256:NOTHEX";
        var path = Path.Combine(repo.Artifacts, "release.json");
        Directory.CreateDirectory(repo.Artifacts);
        await File.WriteAllTextAsync(path, release.ToJson());

        var error = await FailsWithNothingPushed(repo, () => OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = repo.Options(), Environment = "dev" }));

        Assert.That(error.Message, Does.StartWith(path).And.Contain("image.digest is invalid"));
    }

    [Test]
    public async Task Missing_release_json_says_how_to_make_one()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var error = await FailsWithNothingPushed(repo, () => OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = repo.Options(), Environment = "dev" }));
        Assert.That(error.Message, Does.Contain("release file not found").And.Contain("--target=Publish"));
    }

    [TestCase("does/not/exist/anywhere-at-all", "is not a URL")]
    [TestCase("file:///nonexistent/handoff/delivery.git", "Cannot clone the delivery repository file:///nonexistent/handoff/delivery.git")]
    [TestCase("http://127.0.0.1:9/delivery.git", "Cannot clone the delivery repository http://127.0.0.1:9/delivery.git")]
    public async Task An_unreachable_delivery_repo_is_named_with_the_fix(string deliveryRepo, string expected)
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var error = await FailsWithNothingPushed(repo, () => OpenPromotionPrCommand.RunAsync(Open(repo) with { Delivery = repo.Options(deliveryRepo: deliveryRepo) }));
        Assert.That(error.Message, Does.Contain(expected).And.Contain("--delivery-repo"));
    }

    [Test]
    public async Task A_token_in_the_delivery_repo_url_never_reaches_a_message()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        const string secret = "glpat-embeddedSecret0123456789";
        var error = await FailsWithNothingPushed(repo, () => OpenPromotionPrCommand.RunAsync(Open(repo) with { Delivery = repo.Options(deliveryRepo: $"http://oauth2:{secret}@127.0.0.1:9/delivery.git") }));
        Assert.That(error.Message, Does.Contain("Cannot clone").And.Not.Contain(secret));
    }

    [Test]
    public async Task An_empty_delivery_repo_asks_for_the_template()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var empty = repo.Directory.Combine("empty.git");
        Exec.Run("git", ["init", "--quiet", "--bare", empty]).EnsureSuccess("init");
        var error = Assert.ThrowsAsync<HandoffException>(() => OpenPromotionPrCommand.RunAsync(Open(repo) with { Delivery = repo.Options(deliveryRepo: empty) }));
        Assert.That(error!.Message, Does.Contain("is empty").And.Contain("samples/delivery-repo"));
    }

    [Test]
    public async Task A_delivery_repo_without_handoff_yaml_is_explained()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var other = repo.Directory.Combine("other.git");
        using var work = new Testing.TempDirectory("handoff-other");
        work.Write("README.md", "not a delivery repo\n");
        Exec.Run("git", ["init", "--quiet", "--bare", "--initial-branch=main", other]).EnsureSuccess("init");
        Exec.Run("git", ["-C", work.Path, "init", "--quiet", "--initial-branch=main"]).EnsureSuccess("init");
        Exec.Run("git", ["-C", work.Path, "add", "--all"]).EnsureSuccess("add");
        Exec.Run("git", ["-C", work.Path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "x"]).EnsureSuccess("commit");
        Exec.Run("git", ["-C", work.Path, "push", "--quiet", other, "main"]).EnsureSuccess("push");

        var error = Assert.ThrowsAsync<HandoffException>(() => OpenPromotionPrCommand.RunAsync(Open(repo) with { Delivery = repo.Options(deliveryRepo: other) }));
        Assert.That(error!.Message, Does.StartWith("handoff.yaml: not found").And.Contain("samples/delivery-repo/handoff.yaml"));
    }

    [Test]
    public void Unknown_scm_is_explained() =>
        Assert.That(() => Scm.ScmKinds.Parse("bitbucket"), Throws.TypeOf<HandoffException>().With.Message.Contains("Use github").And.Message.Contains("gitlab").And.Message.Contains("branch"));
}
