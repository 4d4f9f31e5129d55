using Handoff.Delivery.Commands;
using Handoff.Delivery.Scm;
using Handoff.Delivery.Tests.Support;

namespace Handoff.Delivery.Tests;

/// <summary>GitLab merge requests are created by push options; a real receive-pack hook records what GitLab would see.</summary>
public sealed class GitLabScmTests
{
    [Test]
    public async Task The_push_carries_merge_request_options_for_GitLab()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        repo.Git("config", "receive.advertisePushOptions", "true");
        var record = repo.Directory.Combine("push-options.txt");
        repo.InstallHook("pre-receive", $$"""
            i=0
            while [ "$i" -lt "${GIT_PUSH_OPTION_COUNT:-0}" ]; do
              eval "echo \"\$GIT_PUSH_OPTION_$i\"" >> '{{record}}'
              i=$((i + 1))
            done
            """);
        var release = TestReleases.Create("2.1.0");

        var result = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = repo.Options(ScmKind.GitLab), Environment = "prod", Release = release });

        var options = (await File.ReadAllLinesAsync(record)).ToList();
        var title = $"Promote myapp to prod: {Digest.Parse(release.Image.Digest).Short} ({release.Source.Commit![..7]})";
        Assert.That(options, Is.EqualTo(new[]
        {
            "merge_request.create",
            "merge_request.target=main",
            "merge_request.title=" + title,
            "merge_request.description=" + options.Single(o => o.StartsWith("merge_request.description=", StringComparison.Ordinal))["merge_request.description=".Length..],
            "merge_request.label=promotion",
            "merge_request.label=env:prod",
            "merge_request.label=production",
        }));
        Assert.That(options[3], Is.EqualTo(
            $"merge_request.description=App myapp · environment prod · digest {release.Image.Digest} (previously none) · tag 2.1.0" +
            $" · source commit https://github.com/example-org/myapp/commit/{release.Source.Commit}" +
            " · CI run https://github.com/example-org/myapp/actions/runs/42 · from the release · file env/prod/values.yaml (Helm values key 'image')"));
        Assert.That(result.Outcome, Is.EqualTo(ChangeOutcome.Opened));
        Assert.That(result.Request.DescriptionFile, Is.Not.Null);
        Assert.That(await File.ReadAllTextAsync(result.Request.DescriptionFile!), Does.Contain("| Tag | `2.1.0` |"), "the full Markdown body, which push options cannot carry, is in the file");
        Assert.That(repo.PinnedDigest("prod", "handoff/prod/myapp"), Is.EqualTo(release.Image.Digest));
    }

    [Test]
    public async Task A_promotion_and_a_rollback_describe_themselves_on_one_line()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        repo.Git("config", "receive.advertisePushOptions", "true");
        var record = repo.Directory.Combine("descriptions.txt");
        repo.InstallHook("pre-receive", $$"""
            i=0
            while [ "$i" -lt "${GIT_PUSH_OPTION_COUNT:-0}" ]; do
              eval "option="\$GIT_PUSH_OPTION_$i""
              case "$option" in merge_request.description=*) echo "$option" >> '{{record}}' ;; esac
              i=$((i + 1))
            done
            """);
        var first = TestReleases.Create("1.0.0");
        first.Build = new ReleaseBuild();
        var second = TestReleases.Create("1.1.0");
        var gitlab = repo.Options(ScmKind.GitLab);
        foreach (var release in new[] { first, second })
        {
            var opened = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = gitlab, Environment = "dev", Release = release });
            await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = repo.Options(), Branch = opened.Request.Branch! });
        }

        await RollbackCommand.RunAsync(new RollbackOptions { Delivery = gitlab, App = "myapp", Environment = "dev", Reason = "error rate" });

        var descriptions = await File.ReadAllLinesAsync(record);
        Assert.That(descriptions, Has.Length.EqualTo(3), "one push with options per request; the merges push without them");
        Assert.That(descriptions[0], Does.Contain($"digest {first.Image.Digest} (previously none) · tag 1.0.0").And.Contain(" · built outside CI · ").And.Not.Contain("CI run"));
        Assert.That(descriptions[1], Does.Contain($"digest {second.Image.Digest} (previously {first.Image.Digest})"));
        Assert.That(descriptions[2], Does.StartWith($"merge_request.description=App myapp · environment dev · digest {first.Image.Digest} (previously {second.Image.Digest}) · tag 1.0.0"));
        Assert.That(descriptions[2], Does.Contain(" · built outside CI · file env/dev/values.yaml (Helm values key 'image') · rollback: This reverts commit ").And.EndWith("Reason: error rate"));
    }

    [Test]
    public async Task A_server_without_push_options_refuses_clearly_and_nothing_is_pushed()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        repo.Git("config", "receive.advertisePushOptions", "false");

        var error = Assert.ThrowsAsync<HandoffException>(() => OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = repo.Options(ScmKind.GitLab), Environment = "dev", Release = TestReleases.Create() }));

        Assert.That(error!.Message, Does.Contain("does not accept push options").And.Contain("--scm=branch"));
        Assert.That(repo.Branches(), Is.EqualTo(new[] { "main" }));
    }
}
