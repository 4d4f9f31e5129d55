using System.Text;
using Handoff.Delivery.Commands;
using Handoff.Delivery.Git;
using Handoff.Delivery.Pins;
using Handoff.Delivery.Promotion;
using Handoff.Delivery.Scm;
using Handoff.Delivery.Tests.Support;
using Handoff.Testing;

namespace Handoff.Delivery.Tests;

public sealed class DeliveryRepoLocationTests
{
    [Test]
    public void Urls_paths_and_owner_name_are_told_apart()
    {
        var https = DeliveryRepoLocation.Parse("https://github.com/example-org/delivery.git");
        Assert.That((https.Form, https.Owner, https.Name, https.CloneUrl), Is.EqualTo((DeliveryRepoForm.Url, "example-org", "delivery", "https://github.com/example-org/delivery.git")));
        var scp = DeliveryRepoLocation.Parse("git@github.com:example-org/delivery.git");
        Assert.That((scp.Form, scp.Owner, scp.Name), Is.EqualTo((DeliveryRepoForm.Url, "example-org", "delivery")));
        var name = DeliveryRepoLocation.Parse("example-org/delivery", Path.GetTempPath());
        Assert.That((name.Form, name.Owner, name.Name, name.CloneUrl), Is.EqualTo((DeliveryRepoForm.GitHubName, "example-org", "delivery", (string?)null)));
        Assert.That(RemoteUrls.CloneUrl(name, GitHubOptions.PublicApiUrl), Is.EqualTo("https://github.com/example-org/delivery.git"));
        Assert.That(RemoteUrls.CloneUrl(name, "https://ghe.example.com/api/v3/"), Is.EqualTo("https://ghe.example.com/example-org/delivery.git"));

        using var dir = new TempDirectory();
        var path = DeliveryRepoLocation.Parse(dir.Path);
        Assert.That(path.Form, Is.EqualTo(DeliveryRepoForm.LocalPath));
        Assert.That(path.CloneUrl, Does.StartWith("file:///"), "file:// so that --depth is honoured");
    }

    [Test]
    public void A_password_in_a_url_is_registered_as_a_secret()
    {
        var location = DeliveryRepoLocation.Parse("https://user:s3cretPassw0rd@git.example.com/org/delivery.git");
        Assert.That(Secrets.Redact("auth s3cretPassw0rd"), Is.EqualTo("auth ***"));
        Assert.That(location.ToString(), Does.Not.Contain("s3cretPassw0rd"));
    }
}

public sealed class GitCredentialTests
{
    [Test]
    public void Tokens_travel_as_a_host_scoped_header_in_the_environment_only()
    {
        const string token = "ghp_credentialTest0123456789";
        var settings = new GitSettings { Credentials = [new GitCredential(GitCredential.HttpOrigin("https://github.com/org/delivery.git")!, "x-access-token", token)] };

        var env = settings.Environment();

        var count = int.Parse(env["GIT_CONFIG_COUNT"]!, System.Globalization.CultureInfo.InvariantCulture);
        var entries = Enumerable.Range(0, count).ToDictionary(i => env[$"GIT_CONFIG_KEY_{i}"]!, i => env[$"GIT_CONFIG_VALUE_{i}"]!);
        var header = entries["http.https://github.com/.extraHeader"];
        Assert.That(header, Is.EqualTo("Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + token))));
        Assert.That(Secrets.Redact($"{token} {header}"), Does.Not.Contain(token).And.Not.Contain(header[21..]));
        Assert.That(env["GIT_TERMINAL_PROMPT"], Is.EqualTo("0"));
        Assert.That(entries["core.autocrlf"], Is.EqualTo("false"));
        Assert.That(GitCredential.HttpOrigin("file:///tmp/x.git"), Is.Null);
        Assert.That(GitCredential.HttpOrigin("git@github.com:org/x.git"), Is.Null);
    }
}

public sealed class PromotionHistoryTests
{
    [Test]
    public void Trailers_are_parsed_from_git_log_records()
    {
        var output = "\u001eabc\u001fp1 p2\u001fPromote myapp to prod\u001fHandoff-App: myapp\u001fHandoff-Env: prod\u001fHandoff-Digest: sha256:1\u001fHandoff-Rollback: true\n" +
                     "\u001edef\u001fp0\u001fUnrelated\u001fSigned-off-by: x\n";
        var records = PromotionHistory.Parse(output).ToList();
        Assert.That(records, Has.Count.EqualTo(1));
        Assert.That(records[0], Is.EqualTo(records[0] with { Commit = "abc", App = "myapp", Env = "prod", Digest = "sha256:1", IsRollback = true, Tag = null }));
        Assert.That(records[0].Parents, Is.EqualTo(new[] { "p1", "p2" }));
    }
}

public sealed class ImageReferenceTextTests
{
    [TestCase("ghcr.io/org/api:1.0", "ghcr.io/org/api", "1.0", null)]
    [TestCase("localhost:5000/api@sha256:abc", "localhost:5000/api", null, "sha256:abc")]
    [TestCase("localhost:5000/api:2@sha256:abc", "localhost:5000/api", "2", "sha256:abc")]
    [TestCase("nginx", "nginx", null, null)]
    public void References_are_split_without_normalising_the_name(string reference, string name, string? tag, string? digest) =>
        Assert.That(ImageReferenceText.Split(reference), Is.EqualTo(new Handoff.Yaml.ImagePinState(name, tag, digest)));
}

public sealed class PromotionBodyTests
{
    [Test]
    public void Supply_chain_evidence_is_included_and_commit_subjects_cannot_break_the_markdown()
    {
        var release = TestReleases.Create("1.0.0");
        release.Scan = System.Text.Json.Nodes.JsonNode.Parse("""{"outcome":"passed","blocked":false,"counts":{"critical":{"fixable":0,"noFix":1,"fixUnknown":0}}}""")!.AsObject();
        var sbomDigest = Digest.Sha256("sbom"u8).ToString();
        release.Attestations = new System.Text.Json.Nodes.JsonObject
        {
            ["sbom"] = new System.Text.Json.Nodes.JsonObject { ["reference"] = $"{release.Image.Registry}/{release.Image.Repository}@{sbomDigest}", ["digest"] = sbomDigest },
        };
        var subject = PromotionSubject.FromRelease(release);
        var body = PromotionBody.Render("Promote", "myapp", "dev", null, subject, "env/dev/values.yaml", [new ChangeLogEntry(new string('a', 40), "fix | table <script> @everyone", "Dev")], null);
        Assert.That(body, Does.Contain("#### Vulnerability scan: passed"));
        Assert.That(body, Does.Contain("| CRITICAL | 0 | 1 | 0 |"));
        Assert.That(body, Does.Contain($"@{sbomDigest}`"), "the SBOM is linked by digest");
        Assert.That(body, Does.Contain("fix \\| table \\<script\\> @\u200Beveryone (Dev)"));
        Assert.That(body, Does.Contain("### Tests\n\n✅ 12 passed, 0 failed, 1 skipped"));
    }
}

public sealed class ChangeLogTests
{
    [Test]
    public async Task The_request_lists_the_source_commits_between_the_running_and_the_new_digest()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        using var app = new TempDirectory("handoff-app");
        string Commit(string message)
        {
            File.AppendAllText(Path.Combine(app.Path, "log.txt"), message + "\n");
            Exec.Run("git", ["-C", app.Path, "add", "--all"]).EnsureSuccess("add");
            Exec.Run("git", ["-C", app.Path, "-c", "user.name=Ada", "-c", "user.email=ada@example.com", "commit", "--quiet", "-m", message]).EnsureSuccess("commit");
            return Exec.Run("git", ["-C", app.Path, "rev-parse", "HEAD"]).StandardOutput.Trim();
        }

        Exec.Run("git", ["-C", app.Path, "init", "--quiet"]).EnsureSuccess("init");
        var first = Commit("Initial service");
        Commit("Add /metrics");
        var third = Commit("Fix health check");
        var options = repo.Options();
        var opened = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = TestReleases.Create("1.0.0", commit: first), AppRepository = app.Path });
        Assert.That(await File.ReadAllTextAsync(opened.Request.DescriptionFile!), Does.Contain("First promotion of this app to this environment"));
        await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = opened.Request.Branch! });

        var next = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = TestReleases.Create("1.1.0", commit: third), AppRepository = app.Path });

        var body = await File.ReadAllTextAsync(next.Request.DescriptionFile!);
        Assert.That(body, Does.Contain("### Changes"));
        Assert.That(body, Does.Contain($"[`{third[..7]}`](https://github.com/example-org/myapp/commit/{third}) Fix health check (Ada)"));
        Assert.That(body, Does.Contain("Add /metrics (Ada)"));
        Assert.That(body, Does.Not.Contain("Initial service"), "the running commit itself is not a change");
    }
}

public sealed class DeliveryTemplateTests
{
    [Test]
    public async Task Creating_the_template_repository_twice_is_safe()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("delivery.git");
        await DeliveryTemplate.CreateBareRepositoryAsync(RepoPaths.InRepo("samples", "delivery-repo"), path);
        var head = Exec.Run("git", ["--git-dir", path, "rev-parse", "main"]).StandardOutput;
        await DeliveryTemplate.CreateBareRepositoryAsync(RepoPaths.InRepo("samples", "delivery-repo"), path);
        Assert.That(Exec.Run("git", ["--git-dir", path, "rev-parse", "main"]).StandardOutput, Is.EqualTo(head));
        Assert.That(Exec.Run("git", ["--git-dir", path, "cat-file", "-e", "main:apps/myapp/chart/Chart.yaml"]).Succeeded, Is.True);
        Assert.That(Exec.Run("git", ["--git-dir", path, "symbolic-ref", "HEAD"]).StandardOutput.Trim(), Is.EqualTo("refs/heads/main"));

        var notTemplate = Assert.ThrowsAsync<HandoffException>(() => DeliveryTemplate.CreateBareRepositoryAsync(dir.Path, dir.Combine("x.git")));
        Assert.That(notTemplate!.Message, Does.Contain("has no handoff.yaml"));
    }
}
