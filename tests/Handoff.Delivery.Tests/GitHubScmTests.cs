using System.Diagnostics;
using Handoff.Delivery.Commands;
using Handoff.Delivery.Scm;
using Handoff.Delivery.Tests.Support;
using Handoff.SupplyChain.Attestations;
using Handoff.SupplyChain.Scanning;
using Handoff.Testing;

namespace Handoff.Delivery.Tests;

/// <summary>
/// Promotions through the real Octokit against <see cref="GitHubTestServer"/>, which sits on a real
/// bare repository: REST call counts, idempotency, retries and error messages.
/// </summary>
public sealed class GitHubScmTests
{
    private const string Token = "ghp_handoffTestToken0123456789abcdef";

    private static async Task<(DeliveryRepo Repo, GitHubTestServer Server)> StartAsync(string? serverToken = null)
    {
        var repo = await DeliveryRepo.CreateAsync();
        var server = await GitHubTestServer.StartAsync("example-org", "delivery", repo.BarePath, serverToken ?? Token);
        return (repo, server);
    }

    private static DeliveryOptions Options(DeliveryRepo repo, GitHubTestServer server, string token = Token) => repo.Options(ScmKind.GitHub, "example-org/delivery") with
    {
        GitHub = new GitHubOptions { ApiUrl = server.ApiUrl, Token = token, RetryDelay = TimeSpan.FromMilliseconds(10), MaxRetries = 3, MaxRetryAfter = TimeSpan.FromSeconds(5) },
    };

    [Test]
    public async Task Opening_a_promotion_takes_four_REST_calls_and_a_rerun_two()
    {
        var (repo, server) = await StartAsync();
        using var _ = repo;
        await using var __ = server;
        var release = TestReleases.Create("1.4.0");
        var options = new OpenPromotionPrOptions { Delivery = Options(repo, server), Environment = "dev", Release = release };

        var result = await OpenPromotionPrCommand.RunAsync(options);

        // Read the repository (clone URL, default branch; proves the token before anything is
        // pushed), look for the branch's open pull request, create it, add its labels. dev has no
        // reviewers in handoff.yaml, so no review request.
        Assert.That(server.Calls, Is.EqualTo(new[]
        {
            "GET /repos/example-org/delivery",
            "GET /repos/example-org/delivery/pulls",
            "POST /repos/example-org/delivery/pulls",
            "POST /repos/example-org/delivery/issues/1/labels",
        }));
        Assert.That(result.Outcome, Is.EqualTo(ChangeOutcome.Opened));
        Assert.That(result.Request.Number, Is.EqualTo(1));
        Assert.That(result.Request.Url, Is.EqualTo($"{server.BaseUrl}example-org/delivery/pull/1"));
        var pr = server.PullRequests.Single();
        Assert.That(pr.Head, Is.EqualTo("handoff/dev/myapp"));
        Assert.That(pr.Base, Is.EqualTo("main"));
        Assert.That(pr.Title, Is.EqualTo($"Promote myapp to dev: {Digest.Parse(release.Image.Digest).Short} ({release.Source.Commit![..7]})"));
        Assert.That(pr.Body, Does.Contain("| Digest | _(none)_ → `" + release.Image.Digest + "` |"));
        Assert.That(pr.Body, Does.Contain("| Tag | `1.4.0` |"));
        Assert.That(pr.Body, Does.Contain("[GitHub Actions](https://github.com/example-org/myapp/actions/runs/42)"));
        Assert.That(pr.Labels, Is.EqualTo(new[] { "promotion", "env:dev", "auto-merge" }));
        Assert.That(repo.PinnedDigest("dev", "handoff/dev/myapp"), Is.EqualTo(release.Image.Digest));
        Assert.That(File.Exists(Path.Combine(repo.Artifacts, "promotion-pr.md")), Is.False, "GitHub gets the body over the API");

        server.ClearCalls();
        var again = await OpenPromotionPrCommand.RunAsync(options);
        Assert.That(again.Outcome, Is.EqualTo(ChangeOutcome.UpToDate));
        Assert.That(server.Calls, Is.EqualTo(new[] { "GET /repos/example-org/delivery", "GET /repos/example-org/delivery/pulls" }), "nothing written when the PR already shows this change");
        Assert.That(server.PullRequests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task The_pull_request_body_links_the_SBOM_and_provenance_by_digest_and_shows_the_scan_table_from_release_json()
    {
        var (repo, server) = await StartAsync();
        using var _ = repo;
        await using var __ = server;
        repo.CommitFile("handoff.yaml", repo.Show("main", "handoff.yaml") + "\nlinks:\n  artifact: \"https://registry.example.com/ui/{registry}/{repository}/manifests/{digest}\"\n");

        var release = TestReleases.Create("3.0.0");
        var image = release.Image.ImageReference;
        var sbom = new AttachedArtifact("sbom", image, ArtifactTypes.CycloneDxJson, TestReleases.RandomDigest(), TestReleases.RandomDigest(), false, new Dictionary<string, string>());
        var provenance = new AttachedArtifact("provenance", image, ArtifactTypes.DsseEnvelope, TestReleases.RandomDigest(), TestReleases.RandomDigest(), false, new Dictionary<string, string>());
        release.Attestations = new AttestResult(sbom, provenance, "artifacts/provenance.dsse.json", "SHA256:handoff-test-key", "https://github.com/example-org/myapp/.github/workflows/publish.yml@refs/heads/main").ToReleaseJson();
        var verdict = ScanGate.Evaluate([TrivyReportParser.Parse(Path.Combine(RepoPaths.Shared("scan-reports", "trivy"), "debian-buster.json"))], ScanPolicy.Default, ScanAllowlist.Empty, new DateOnly(2026, 1, 1));
        release.Scan = ScanJson.ToJson(verdict);
        // Through release.json on disk, as Publish hands it to OpenPromotionPr.
        Directory.CreateDirectory(repo.Artifacts);
        release.Save(Path.Combine(repo.Artifacts, "release.json"));

        await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = Options(repo, server), Environment = "dev" });

        var body = server.PullRequests.Single().Body;
        Assert.That(body, Does.Contain($"[`127.0.0.1:5000/handoff/myapp@{sbom.ReferrerDigest}`](https://registry.example.com/ui/127.0.0.1:5000/handoff/myapp/manifests/{sbom.ReferrerDigest})"));
        Assert.That(body, Does.Contain($"[`127.0.0.1:5000/handoff/myapp@{provenance.ReferrerDigest}`](https://registry.example.com/ui/127.0.0.1:5000/handoff/myapp/manifests/{provenance.ReferrerDigest})"));
        Assert.That(body, Does.Contain("--target=VerifyImage --image=" + image.Pinned));
        Assert.That(body, Does.Contain(ScanMarkdown.Render(verdict, ScanJson.MarkdownHeadingLevel).TrimEnd()), "the scan gate's table, as stored in release.json");
        Assert.That(body, Does.Contain("#### Vulnerability scan: blocked").And.Contain("**Blocking findings** (1)").And.Contain("**Warnings** ("));
    }

    [Test]
    public async Task A_newer_release_updates_the_open_pull_request_instead_of_opening_another()
    {
        var (repo, server) = await StartAsync();
        using var _ = repo;
        await using var __ = server;
        var options = new OpenPromotionPrOptions { Delivery = Options(repo, server), Environment = "dev", Release = TestReleases.Create("1.0.0") };
        await OpenPromotionPrCommand.RunAsync(options);
        server.ClearCalls();

        var newer = TestReleases.Create("1.0.1");
        var result = await OpenPromotionPrCommand.RunAsync(options with { Release = newer });

        Assert.That(result.Outcome, Is.EqualTo(ChangeOutcome.Updated));
        Assert.That(server.Calls, Is.EqualTo(new[]
        {
            "GET /repos/example-org/delivery",
            "GET /repos/example-org/delivery/pulls",
            "PATCH /repos/example-org/delivery/pulls/1",
        }), "labels are already on the PR, so they are not added again");
        var pr = server.PullRequests.Single();
        Assert.That(pr.Title, Does.Contain(Digest.Parse(newer.Image.Digest).Short));
        Assert.That(pr.Body, Does.Contain("`1.0.1`"));
        Assert.That(repo.PinnedDigest("dev", "handoff/dev/myapp"), Is.EqualTo(newer.Image.Digest));
    }

    [Test]
    public async Task Prod_requests_its_reviewers_and_team_in_one_call()
    {
        var (repo, server) = await StartAsync();
        using var _ = repo;
        await using var __ = server;

        await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = Options(repo, server), Environment = "prod", Release = TestReleases.Create() });

        Assert.That(server.Calls, Has.Count.EqualTo(5));
        Assert.That(server.Calls[^1], Is.EqualTo("POST /repos/example-org/delivery/pulls/1/requested_reviewers"));
        var pr = server.PullRequests.Single();
        Assert.That(pr.Reviewers, Is.EqualTo(new[] { "release-manager" }));
        Assert.That(pr.Teams, Is.EqualTo(new[] { "sre" }));
        Assert.That(pr.Labels, Is.EqualTo(new[] { "promotion", "env:prod", "production" }));
    }

    [Test]
    public async Task Server_errors_are_retried_with_backoff()
    {
        var (repo, server) = await StartAsync();
        using var _ = repo;
        await using var __ = server;
        server.Inject(new InjectedFault("GET", "/repos/example-org/delivery", 500, "Server Error"));
        server.Inject(new InjectedFault("POST", "/pulls", 502, "Bad Gateway", Times: 2));
        var log = new List<string>();

        var result = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = Options(repo, server), Environment = "dev", Release = TestReleases.Create() }, log.Add);

        Assert.That(result.Outcome, Is.EqualTo(ChangeOutcome.Opened));
        Assert.That(server.Calls.Count(c => c == "GET /repos/example-org/delivery"), Is.EqualTo(2));
        Assert.That(server.Calls.Count(c => c == "POST /repos/example-org/delivery/pulls"), Is.EqualTo(3));
        Assert.That(server.PullRequests, Has.Count.EqualTo(1));
        Assert.That(log.Count(l => l.StartsWith("GitHub: 502 Bad Gateway; retrying", StringComparison.Ordinal)), Is.EqualTo(2));
    }

    [Test]
    public async Task A_secondary_rate_limit_waits_for_Retry_After()
    {
        var (repo, server) = await StartAsync();
        using var _ = repo;
        await using var __ = server;
        server.Inject(new InjectedFault("GET", "/pulls", 403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.", RetryAfterSeconds: 1));
        var log = new List<string>();
        var watch = Stopwatch.StartNew();

        var result = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = Options(repo, server), Environment = "dev", Release = TestReleases.Create() }, log.Add);

        Assert.That(result.Outcome, Is.EqualTo(ChangeOutcome.Opened));
        Assert.That(watch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)), "Retry-After: 1 was honoured rather than the 10 ms backoff");
        Assert.That(log, Has.Some.Contains("secondary rate limit").And.Contains("retrying in 1 s"));
    }

    [Test]
    public async Task A_Retry_After_longer_than_allowed_fails_with_a_clear_message()
    {
        var (repo, server) = await StartAsync();
        using var _ = repo;
        await using var __ = server;
        server.Inject(new InjectedFault("GET", "/repos/example-org/delivery", 403, "You have exceeded a secondary rate limit.", RetryAfterSeconds: 3600));

        var error = Assert.ThrowsAsync<HandoffException>(() => OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = Options(repo, server), Environment = "dev", Release = TestReleases.Create() }));

        Assert.That(error!.Message, Does.Contain("asks to wait 3600 s").And.Contain("Run the promotion again later"));
        Assert.That(repo.Branches(), Is.EqualTo(new[] { "main" }));
    }

    [Test]
    public async Task A_rejected_token_fails_before_anything_is_pushed_and_is_never_printed()
    {
        var (repo, server) = await StartAsync(serverToken: "ghp_theServerExpectsAnotherToken000000");
        using var _ = repo;
        await using var __ = server;
        var log = new List<string>();

        var error = Assert.ThrowsAsync<HandoffException>(() => OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = Options(repo, server), Environment = "dev", Release = TestReleases.Create() }, log.Add));

        Assert.That(error!.Message, Does.Contain("401 Bad credentials").And.Contain("GITHUB_TOKEN"));
        Assert.That(error.Message, Does.Not.Contain(Token));
        Assert.That(string.Join("\n", log), Does.Not.Contain(Token));
        Assert.That(server.Calls, Is.EqualTo(new[] { "GET /repos/example-org/delivery" }), "401 is not retried");
        Assert.That(repo.Branches(), Is.EqualTo(new[] { "main" }));
    }

    /// <summary>
    /// Sets environment variables for one test and puts the previous values back, so no other test
    /// sees them; the tests using it are NonParallelizable because the environment is process-wide.
    /// </summary>
    private sealed class EnvironmentVariables : IDisposable
    {
        private readonly Dictionary<string, string?> _previous = [];

        public EnvironmentVariables(params (string Name, string? Value)[] variables)
        {
            foreach (var (name, value) in variables)
            {
                _previous.TryAdd(name, Environment.GetEnvironmentVariable(name));
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, value) in _previous)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    [NonParallelizable]
    [TestCase("GITHUB_TOKEN")]
    [TestCase("HANDOFF_GITHUB_TOKEN")]
    public async Task The_token_is_read_from_the_environment(string variable)
    {
        var (repo, server) = await StartAsync();
        using var _ = repo;
        await using var __ = server;
        using var env = new EnvironmentVariables(("GITHUB_TOKEN", null), ("HANDOFF_GITHUB_TOKEN", null), (variable, Token));
        var options = Options(repo, server) with { GitHub = Options(repo, server).GitHub with { Token = null } };

        var result = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = TestReleases.Create() });

        Assert.That(result.Outcome, Is.EqualTo(ChangeOutcome.Opened), "the test server accepts only the right token");
        Assert.That(server.PullRequests, Has.Count.EqualTo(1));
    }

    [Test]
    [NonParallelizable]
    public async Task HANDOFF_GITHUB_TOKEN_wins_over_GITHUB_TOKEN()
    {
        var (repo, server) = await StartAsync();
        using var _ = repo;
        await using var __ = server;
        using var env = new EnvironmentVariables(("GITHUB_TOKEN", "ghp_theWorkflowTokenWithoutAccess0000000"), ("HANDOFF_GITHUB_TOKEN", Token));
        var options = Options(repo, server) with { GitHub = Options(repo, server).GitHub with { Token = null } };

        var result = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = TestReleases.Create() });

        Assert.That(result.Outcome, Is.EqualTo(ChangeOutcome.Opened));
    }

    [Test]
    [NonParallelizable]
    public async Task A_rejected_token_from_the_environment_is_never_printed()
    {
        var (repo, server) = await StartAsync();
        using var _ = repo;
        await using var __ = server;
        const string wrong = "ghp_environmentTokenTheServerRejects01";
        using var env = new EnvironmentVariables(("GITHUB_TOKEN", wrong), ("HANDOFF_GITHUB_TOKEN", null));
        var options = Options(repo, server) with { GitHub = Options(repo, server).GitHub with { Token = null } };
        var log = new List<string>();

        var error = Assert.ThrowsAsync<HandoffException>(() => OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = TestReleases.Create() }, log.Add));

        Assert.That(error!.Message, Does.Contain("401 Bad credentials").And.Contain("GITHUB_TOKEN"));
        Assert.That(error.ToString(), Does.Not.Contain(wrong), "not in the message, the inner exceptions or their stack traces");
        Assert.That(string.Join("\n", log), Does.Not.Contain(wrong));
        Assert.That(repo.Branches(), Is.EqualTo(new[] { "main" }));
    }

    [Test]
    public async Task A_missing_token_is_explained()
    {
        var (repo, server) = await StartAsync();
        using var _ = repo;
        await using var __ = server;
        var options = Options(repo, server) with { GitHub = new GitHubOptions { ApiUrl = server.ApiUrl, Token = null } };
        if (Environment.GetEnvironmentVariable("GITHUB_TOKEN") is { Length: > 0 } || Environment.GetEnvironmentVariable("HANDOFF_GITHUB_TOKEN") is { Length: > 0 })
        {
            Assert.Ignore("a GitHub token is set in this environment");
        }

        var error = Assert.ThrowsAsync<HandoffException>(() => OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = TestReleases.Create() }));

        Assert.That(error!.Message, Does.Contain("--scm=github needs a token").And.Contain("--scm=branch"));
        Assert.That(server.Calls, Is.Empty);
    }

    [Test]
    public async Task A_local_delivery_repo_needs_github_repository_and_works_with_it()
    {
        var (repo, server) = await StartAsync();
        using var _ = repo;
        await using var __ = server;
        var local = Options(repo, server) with { DeliveryRepo = repo.BarePath };

        var unnamed = Assert.ThrowsAsync<HandoffException>(() => OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = local, Environment = "dev", Release = TestReleases.Create() }));
        Assert.That(unnamed!.Message, Does.Contain("Cannot tell which GitHub repository").And.Contain("--github-repository=OWNER/NAME"));
        Assert.That(unnamed.Message, Does.Not.Contain("--github-repo="), "the message names the parameter the task reads");

        var malformed = Assert.ThrowsAsync<HandoffException>(() => OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = local with { GitHub = local.GitHub with { Repository = "example-org" } }, Environment = "dev", Release = TestReleases.Create() }));
        Assert.That(malformed!.Message, Does.StartWith("--github-repository 'example-org' is not OWNER/NAME.").And.Contain("--github-repository=acme/delivery"));
        Assert.That(server.Calls, Is.Empty);
        Assert.That(repo.Branches(), Is.EqualTo(new[] { "main" }));

        var named = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = local with { GitHub = local.GitHub with { Repository = "example-org/delivery" } }, Environment = "dev", Release = TestReleases.Create() });
        Assert.That(named.Outcome, Is.EqualTo(ChangeOutcome.Opened));
        Assert.That(server.PullRequests.Single().Head, Is.EqualTo("handoff/dev/myapp"));
    }

    [Test]
    public async Task A_validation_error_surfaces_GitHubs_message_and_a_rerun_recovers()
    {
        var (repo, server) = await StartAsync();
        using var _ = repo;
        await using var __ = server;
        server.Inject(new InjectedFault("POST", "/pulls", 422, "Validation Failed"));
        var options = new OpenPromotionPrOptions { Delivery = Options(repo, server), Environment = "dev", Release = TestReleases.Create() };

        var error = Assert.ThrowsAsync<HandoffException>(() => OpenPromotionPrCommand.RunAsync(options));
        Assert.That(error!.Message, Does.Contain("cannot open the pull request in example-org/delivery: 422 Validation Failed"));

        var result = await OpenPromotionPrCommand.RunAsync(options);
        Assert.That(result.Outcome, Is.EqualTo(ChangeOutcome.Opened), "the branch was already pushed; the rerun only opens the PR");
        Assert.That(server.PullRequests, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_pull_request_opened_concurrently_is_updated_instead_of_failing()
    {
        var (repo, server) = await StartAsync();
        using var _ = repo;
        await using var __ = server;
        var options = new OpenPromotionPrOptions { Delivery = Options(repo, server), Environment = "dev", Release = TestReleases.Create() };
        await OpenPromotionPrCommand.RunAsync(options);
        // The list call misses the open PR (as when two runs race), so create answers 422 "already exists".
        server.Inject(new InjectedFault("GET", "/pulls", 200, "OK") { RawBody = "[]" });

        var result = await OpenPromotionPrCommand.RunAsync(options with { Release = TestReleases.Create("9.9.9") });

        Assert.That(result.Outcome, Is.EqualTo(ChangeOutcome.Updated));
        Assert.That(server.PullRequests, Has.Count.EqualTo(1));
        Assert.That(server.Calls.Count(c => c == "POST /repos/example-org/delivery/pulls"), Is.EqualTo(2), "the first create and the one answered 422");
        Assert.That(server.PullRequests[0].Body, Does.Contain("9.9.9"));
    }
}
