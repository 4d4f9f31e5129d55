using Handoff.MSBuild.Tests.Support;
using Handoff.Oci;
using Handoff.Testing;

namespace Handoff.MSBuild.Tests;

/// <summary>HandoffWriteRelease, alone and as the end of the HandoffPushContainer chain (push, capture, release).</summary>
public sealed class ReleaseTests
{
    private const string Digest1 = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private TempDirectory _temp = null!;

    [SetUp]
    public void CreateFolder() => _temp = new TempDirectory("msbuild-release");

    [TearDown]
    public void DeleteFolder() => _temp.Dispose();

    [Test]
    public async Task HandoffPushContainer_pushes_the_archive_captures_the_digest_and_writes_release_json_with_the_git_source()
    {
        using var registry = RegistryServer.Start();
        using var client = new RegistryClient(registry.Address, new RegistryClientOptions { CredentialResolver = RegistryCredentials.None });
        MinimalBaseImage.WriteLayout(_temp.Combine("image"));
        var project = TaskProject.Write(_temp, $"""
              <PropertyGroup>
                <HandoffPushAfterPublish>true</HandoffPushAfterPublish>
                <HandoffRegistry>{registry.Address}</HandoffRegistry>
                <ContainerArchiveOutputPath>image</ContainerArchiveOutputPath>
                <ContainerRepository>chain/app</ContainerRepository>
                <ContainerImageTag>3.1</ContainerImageTag>
                <OutDir>bin/</OutDir>
              </PropertyGroup>
              <Target Name="Show" AfterTargets="HandoffPushContainer">
                <Message Importance="high" Text="OUT:ReleasePath=$(HandoffReleasePath)" />
                <Message Importance="high" Text="OUT:Pinned=$(HandoffPinnedReference)" />
              </Target>
            """);
        var commit = await Git.InitAsync(_temp.Path, remote: "https://ci-user:t0ken-in-url@git.example.com/team/app.git");

        var result = await DotNet.MSBuildAsync(project, "HandoffPushContainer");

        Assert.That(result.Succeeded, Is.True, result.ToString);
        var served = (await client.HeadManifestAsync("chain/app", "3.1"))!.Digest!.Value;
        var releasePath = result.Value("ReleasePath")!;
        Assert.That(releasePath, Is.EqualTo(_temp.Combine("bin", "release.json")));
        var release = Release.Load(releasePath);
        Assert.Multiple(() =>
        {
            Assert.That(release.Image.Digest, Is.EqualTo(served.ToString()), "the digest the registry serves");
            Assert.That(release.Image.Reference, Is.EqualTo($"{registry.Address}/chain/app@{served}"));
            Assert.That(result.Value("Pinned"), Is.EqualTo(release.Image.Reference));
            Assert.That(release.Image.Registry, Is.EqualTo(registry.Address));
            Assert.That(release.Image.Repository, Is.EqualTo("chain/app"));
            Assert.That(release.Image.Tag, Is.EqualTo("3.1"));
            Assert.That(release.Image.MediaType, Is.EqualTo("application/vnd.oci.image.manifest.v1+json"));
            Assert.That(release.Source.Commit, Is.EqualTo(commit));
            Assert.That(release.Source.Branch, Is.EqualTo("main"));
            Assert.That(release.Source.Repository, Is.EqualTo("https://git.example.com/team/app.git"), "credentials in the remote URL are dropped");
            Assert.That(release.Build.CiSystem, Is.EqualTo("local"));
            Assert.That(release.Build.StartedAt, Is.Not.Null.And.LessThanOrEqualTo(release.Build.FinishedAt!.Value));
            Assert.That(File.ReadAllText(releasePath), Does.Not.Contain("t0ken-in-url"));
        });
    }

    [Test]
    public async Task On_GitHub_Actions_the_release_takes_the_run_facts_and_test_counts_and_sets_step_outputs()
    {
        var outputs = _temp.Write("gh/output", "");
        var summary = _temp.Write("gh/summary", "");
        _temp.Write("results/a.trx", Trx(("A", "Passed"), ("B", "Passed"), ("C", "NotExecuted")));
        _temp.Write("results/b.trx", Trx(("D", "Passed")));
        var project = TaskProject.Write(_temp, $"""
              <ItemGroup>
                <Trx Include="results/*.trx" />
              </ItemGroup>
              <Target Name="Write">
                <HandoffWriteRelease PinnedReference="127.0.0.1:5000/team/app@{Digest1}" Tag="1.2.0" ReleasePath="out/release.json" TestResults="@(Trx)" SourceDirectory="{_temp.Path}" />
              </Target>
            """);

        var result = await DotNet.MSBuildAsync(project, "Write", environment: new Dictionary<string, string?>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_SERVER_URL"] = "https://github.example.com",
            ["GITHUB_REPOSITORY"] = "team/app",
            ["GITHUB_RUN_ID"] = "4242",
            ["GITHUB_RUN_ATTEMPT"] = "2",
            ["GITHUB_SHA"] = "8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a",
            ["GITHUB_REF_NAME"] = "release/1.2",
            ["GITHUB_OUTPUT"] = outputs,
            ["GITHUB_STEP_SUMMARY"] = summary,
        });

        Assert.That(result.Succeeded, Is.True, result.ToString);
        var release = Release.Load(_temp.Combine("out", "release.json"));
        Assert.Multiple(() =>
        {
            Assert.That(release.Image.Reference, Is.EqualTo($"127.0.0.1:5000/team/app@{Digest1}"));
            Assert.That(release.Image.Tag, Is.EqualTo("1.2.0"));
            Assert.That(release.Build.CiSystem, Is.EqualTo("GitHub Actions"));
            Assert.That(release.Build.RunUrl, Is.EqualTo("https://github.example.com/team/app/actions/runs/4242/attempts/2"));
            Assert.That(release.Source.Commit, Is.EqualTo("8f3c2a1b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a"));
            Assert.That(release.Source.Branch, Is.EqualTo("release/1.2"));
            Assert.That(release.Source.Repository, Is.EqualTo("https://github.example.com/team/app"));
            Assert.That(release.Tests, Is.Not.Null);
            Assert.That((release.Tests!.Passed, release.Tests.Failed, release.Tests.Skipped), Is.EqualTo((3, 0, 1)));
            Assert.That(File.ReadAllText(outputs), Does.Contain($"digest={Digest1}\n").And.Contain($"image=127.0.0.1:5000/team/app@{Digest1}\n"));
            Assert.That(File.ReadAllText(summary), Does.Contain("### Handoff release"));
        });
    }

    [Test]
    public async Task A_reference_without_a_digest_is_a_parameter_error_and_writes_nothing()
    {
        var project = TaskProject.Write(_temp, """
              <Target Name="Write">
                <HandoffWriteRelease PinnedReference="127.0.0.1:5000/team/app:1.0" ReleasePath="release.json" />
              </Target>
            """);

        var result = await DotNet.MSBuildAsync(project, "Write");

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Errors, Has.Count.EqualTo(1), result.ToString);
        Assert.That(result.Errors[0].Code, Is.EqualTo("HANDOFF001"));
        Assert.That(result.Errors[0].Message, Does.Contain("has no digest"));
        Assert.That(File.Exists(_temp.Combine("release.json")), Is.False);
    }

    [Test]
    public async Task Push_after_publish_without_a_registry_says_which_property_to_set()
    {
        MinimalBaseImage.WriteLayout(_temp.Combine("image"));
        var project = TaskProject.Write(_temp, """
              <PropertyGroup>
                <HandoffPushAfterPublish>true</HandoffPushAfterPublish>
                <ContainerArchiveOutputPath>image</ContainerArchiveOutputPath>
                <ContainerRepository>chain/app</ContainerRepository>
              </PropertyGroup>
            """);

        var result = await DotNet.MSBuildAsync(project, "HandoffPushContainer");

        Assert.That(result.Errors, Has.Count.EqualTo(1), result.ToString);
        Assert.That(result.Errors[0].Message, Does.Contain("set HandoffRegistry (or ContainerRegistry)"));
    }

    private static string Trx(params (string Name, string Outcome)[] results) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <Results>
        {string.Join("\n", results.Select(r => $"    <UnitTestResult testName=\"{r.Name}\" outcome=\"{r.Outcome}\" />"))}
          </Results>
        </TestRun>
        """;
}
