using System.Text.Json.Nodes;
using Handoff.Publishing;
using Handoff.Testing;

namespace Handoff.Publishing.Tests;

public class SourceAndReleaseTests
{
    private static void Git(string dir, params string[] args) =>
        Exec.Run("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", .. args]).EnsureSuccess();

    [Test]
    public async Task Reads_commit_branch_and_a_remote_without_its_credentials()
    {
        using var dir = new TempDirectory("src");
        Git(dir.Path, "init", "-q", "-b", "feature/x");
        File.WriteAllText(dir.Combine("a.txt"), "a");
        Git(dir.Path, "add", "a.txt");
        Git(dir.Path, "commit", "-q", "-m", "first");
        Git(dir.Path, "remote", "add", "origin", "https://ci-bot:ghp_secretsecret@github.example.com/team/app.git");

        var source = await SourceInfo.ReadAsync(dir.Path);
        var head = Exec.Run("git", ["-C", dir.Path, "rev-parse", "HEAD"]).StandardOutput.Trim();

        Assert.That(source.Commit, Is.EqualTo(head));
        Assert.That(source.Branch, Is.EqualTo("feature/x"));
        Assert.That(source.RepositoryUrl, Is.EqualTo("https://github.example.com/team/app.git"));
        Assert.That(source.DefaultTag(_ => "ffffffffffffffffffffffffffffffffffffffff"), Is.EqualTo("sha-" + head[..12]), "git's own commit wins over CI variables");
    }

    [Test]
    public async Task Outside_a_repository_nothing_is_invented()
    {
        using var dir = new TempDirectory("nogit");
        var source = await SourceInfo.ReadAsync(dir.Path);
        Assert.That(source.Commit, Is.Null);
        var ex = Assert.Throws<HandoffException>(() => source.DefaultTag(_ => null));
        Assert.That(ex!.Message, Does.Contain(dir.Path).And.Contain("not a git checkout").And.Contain("GITHUB_SHA, CI_COMMIT_SHA, BUILD_SOURCEVERSION, GIT_COMMIT").And.Contain("--tag="));
    }

    [TestCase("GITHUB_SHA")]
    [TestCase("CI_COMMIT_SHA")]
    [TestCase("BUILD_SOURCEVERSION")]
    [TestCase("GIT_COMMIT")]
    public async Task Outside_a_repository_the_CI_commit_makes_the_default_tag(string variable)
    {
        using var dir = new TempDirectory("nogit");
        var source = await SourceInfo.ReadAsync(dir.Path);
        Assert.That(source.DefaultTag(name => name == variable ? "0123456789ABCDEF0123456789abcdef01234567" : null), Is.EqualTo("sha-0123456789ab"));
    }

    [Test]
    public void A_CI_commit_that_is_not_a_git_commit_asks_for_a_tag()
    {
        // Azure Pipelines on TFVC puts a changeset number in BUILD_SOURCEVERSION.
        var ex = Assert.Throws<HandoffException>(() => new SourceInfo(null, null, null).DefaultTag(name => name == "BUILD_SOURCEVERSION" ? "4711" : null));
        Assert.That(ex!.Message, Does.Contain("'4711' from BUILD_SOURCEVERSION is not a git commit id").And.Contain("--tag="));
    }

    [Test]
    public async Task Without_CI_or_an_origin_remote_release_json_names_the_build_folder_as_provenance_does()
    {
        using var dir = new TempDirectory("noremote");
        Git(dir.Path, "init", "-q", "-b", "main");
        Git(dir.Path, "commit", "-q", "--allow-empty", "-m", "first");
        var source = await SourceInfo.ReadAsync(dir.Path);

        var release = ReleaseComposer.Compose(new ImageReference("ghcr.io", "o/app", "v1", Digest.Sha256("x"u8)), null, source, CiInfo.Local,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null);

        Assert.That(source.RepositoryUrl, Is.Null);
        Assert.That(release.Source.Repository, Is.EqualTo($"file://{dir.Path}"));
        Assert.That(release.Source.Repository, Is.EqualTo(source.RepositoryFor(CiInfo.Local)), "one rule for release.json and provenance");
        var ci = CiInfo.Local with { System = "GitHub Actions", RepositoryUrl = "https://github.com/o/app" };
        Assert.That(source.RepositoryFor(ci), Is.EqualTo("https://github.com/o/app"), "CI's repository wins");
    }

    [Test]
    public void Release_json_round_trips_and_carries_the_pinned_reference()
    {
        using var dir = new TempDirectory("rel");
        var digest = Digest.Sha256("manifest"u8);
        var pinned = new ImageReference("127.0.0.1:5000", "handoff/myapp", "sha-0123456789ab", digest);
        var ci = new CiInfo { System = "GitHub Actions", RunUrl = "https://github.com/o/r/actions/runs/1", Commit = "c0ffee", Branch = "main", RepositoryUrl = "https://github.com/o/r" };
        var release = ReleaseComposer.Compose(pinned, "application/vnd.oci.image.manifest.v1+json", new SourceInfo("https://other", "local", "dev"), ci,
            DateTimeOffset.Parse("2026-01-01T00:00:00Z"), DateTimeOffset.Parse("2026-01-01T00:05:00Z"), new TrxReport(3, 0, 1, []));
        var path = dir.Combine("artifacts", "release.json");
        release.Save(path);

        var json = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.That((string?)json["image"]!["reference"], Is.EqualTo($"127.0.0.1:5000/handoff/myapp@{digest}"));
        Assert.That((string?)json["source"]!["commit"], Is.EqualTo("c0ffee"), "CI facts win over local git");
        Assert.That((string?)json["build"]!["ciSystem"], Is.EqualTo("GitHub Actions"));
        Assert.That((int?)json["tests"]!["passed"], Is.EqualTo(3));

        var loaded = Release.Load(path);
        Assert.That(loaded.Image.ImageReference, Is.EqualTo(pinned));
        Assert.That(Directory.GetFiles(Path.GetDirectoryName(path)!), Has.Length.EqualTo(1), "no temp file left behind");
    }

    [Test]
    public void A_malformed_release_names_the_file_and_line()
    {
        using var dir = new TempDirectory("rel");
        var path = dir.Write("release.json", "{\n  \"image\": {\n    \"digest\": sha256\n  }\n}\n");
        var ex = Assert.Throws<InputFileException>(() => Release.Load(path));
        Assert.That(ex!.Line, Is.EqualTo(3));
        Assert.That(ex.Message, Does.StartWith(path + ":3"));
    }

    [Test]
    public void A_release_with_a_bad_digest_is_rejected()
    {
        using var dir = new TempDirectory("rel");
        var path = dir.Write("release.json", """{"image":{"registry":"r","repository":"a","digest":"sha256:abc"}}""");
        var ex = Assert.Throws<HandoffException>(() => Release.Load(path));
        Assert.That(ex!.Message, Does.Contain("image.digest is invalid").And.Contain("64 lowercase hex"));
    }

    [Test]
    public void GitHub_Actions_gets_the_digest_output_and_a_summary()
    {
        using var dir = new TempDirectory("gha");
        var digest = Digest.Sha256("x"u8);
        var release = ReleaseComposer.Compose(new ImageReference("ghcr.io", "o/app", "v1", digest), null, new SourceInfo(null, "abc", "main"), CiInfo.Local,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null);
        var output = dir.Write("out", "existing=1\n");
        var summary = dir.Combine("summary.md");
        GitHubActionsOutputs.Write(release, output, summary);
        Assert.That(File.ReadAllText(output), Is.EqualTo($"existing=1\ndigest={digest}\nimage=ghcr.io/o/app@{digest}\n"));
        Assert.That(File.ReadAllText(summary), Does.Contain($"`{digest}`"));
    }
}
