using Handoff.MSBuild.Tests.Support;
using Handoff.Oci;
using Handoff.Testing;

namespace Handoff.MSBuild.Tests;

/// <summary>HandoffPushImage and HandoffCaptureDigest run by real MSBuild against a real registry.</summary>
public sealed class PushAndCaptureTests
{
    private RegistryServer _registry = null!;
    private RegistryClient _client = null!;
    private TempDirectory _temp = null!;
    private string _layout = null!;
    private Digest _layoutDigest;
    private string _project = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _registry = RegistryServer.Start();
        _client = new RegistryClient(_registry.Address, new RegistryClientOptions { CredentialResolver = RegistryCredentials.None });
        _temp = new TempDirectory("msbuild-push");
        _layout = _temp.Combine("layout");
        _layoutDigest = MinimalBaseImage.WriteLayout(_layout);
        // An image pushed by the library itself, for the capture tests to read.
        await MinimalBaseImage.PushAsync(_client, ImageReference.Parse($"{_registry.Address}/preloaded/app:1.0"));
        _project = TaskProject.Write(_temp, """
              <Target Name="Push">
                <HandoffPushImage ArchivePath="$(Archive)" Registry="$(Registry)" Repository="$(Repository)" Tag="$(Tag)" AdditionalTags="$(AdditionalTags)" MaxAttempts="1">
                  <Output TaskParameter="Tag" PropertyName="PushedTag" />
                  <Output TaskParameter="Digest" PropertyName="Digest" />
                  <Output TaskParameter="PinnedReference" PropertyName="Pinned" />
                  <Output TaskParameter="MediaType" PropertyName="MediaType" />
                </HandoffPushImage>
                <Message Importance="high" Text="OUT:Tag=$(PushedTag)" />
                <Message Importance="high" Text="OUT:Digest=$(Digest)" />
                <Message Importance="high" Text="OUT:Pinned=$(Pinned)" />
                <Message Importance="high" Text="OUT:MediaType=$(MediaType)" />
              </Target>
              <Target Name="Capture">
                <HandoffCaptureDigest Image="$(Image)" Expected="$(Expected)" MaxAttempts="1">
                  <Output TaskParameter="Digest" PropertyName="Digest" />
                  <Output TaskParameter="PinnedReference" PropertyName="Pinned" />
                </HandoffCaptureDigest>
                <Message Importance="high" Text="OUT:Digest=$(Digest)" />
                <Message Importance="high" Text="OUT:Pinned=$(Pinned)" />
              </Target>
            """);
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client.Dispose();
        _registry.Dispose();
        _temp.Dispose();
    }

    [Test]
    public async Task Push_outputs_the_digest_the_registry_serves_under_every_tag_and_a_second_push_uploads_nothing()
    {
        var first = await PushAsync("msbuild/app", tag: "1.0", additionalTags: "1.0;stable");

        Assert.That(first.Succeeded, Is.True, first.ToString);
        var digest = Digest.Parse(first.Value("Digest")!);
        var served = await _client.HeadManifestAsync("msbuild/app", "1.0");
        var stable = await _client.HeadManifestAsync("msbuild/app", "stable");
        Assert.Multiple(() =>
        {
            Assert.That(digest, Is.EqualTo(_layoutDigest), "the archive's manifest is pushed byte for byte");
            Assert.That(served?.Digest, Is.EqualTo(digest), "the registry serves the output digest under the tag");
            Assert.That(stable?.Digest, Is.EqualTo(digest), "and under the additional tag");
            Assert.That(first.Value("Pinned"), Is.EqualTo($"{_registry.Address}/msbuild/app@{digest}"));
            Assert.That(first.Value("MediaType"), Is.EqualTo("application/vnd.oci.image.manifest.v1+json"));
            Assert.That(first.Value("Tag"), Is.EqualTo("1.0"));
            Assert.That(first.Output, Does.Contain("2 blob(s) uploaded"));
        });

        var second = await PushAsync("msbuild/app", tag: "1.0");
        Assert.That(second.Succeeded, Is.True, second.ToString);
        Assert.That(second.Value("Digest"), Is.EqualTo(digest.ToString()));
        Assert.That(second.Output, Does.Contain("0 blob(s) uploaded (0 bytes), 2 already present"), second.ToString);
    }

    [Test]
    public async Task Push_without_a_tag_takes_the_first_additional_tag()
    {
        var result = await PushAsync("msbuild/tags", tag: "", additionalTags: "2.0;latest");

        Assert.That(result.Succeeded, Is.True, result.ToString);
        Assert.That(result.Value("Tag"), Is.EqualTo("2.0"));
        Assert.That((await _client.ListTagsAsync("msbuild/tags")).Order(), Is.EqualTo(new[] { "2.0", "latest" }));
    }

    [Test]
    public async Task Missing_archive_is_one_error_naming_the_path()
    {
        var missing = _temp.Combine("no-such-image.tar");

        var result = await PushAsync("msbuild/app", "1.0", archive: missing);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Errors, Has.Count.EqualTo(1), result.ToString);
        Assert.That(result.Errors[0].Code, Is.EqualTo("HANDOFF101"));
        Assert.That(result.Errors[0].Message, Does.Contain(missing).And.Contain("not found"));
        Assert.That(result.Output, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public async Task Invalid_repository_name_is_one_parameter_error_at_the_task()
    {
        var result = await PushAsync("Team/App", "1.0");

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Errors, Has.Count.EqualTo(1), result.ToString);
        var error = result.Errors[0];
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo("HANDOFF001"));
            Assert.That(error.Message, Does.StartWith("Repository: 'Team/App' is not a valid repository name"));
            Assert.That(error.File, Is.EqualTo(_project), "a parameter error points at the task in the project");
            Assert.That(error.Line, Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task Registry_in_the_repository_gets_a_hint()
    {
        var result = await PushAsync($"{_registry.Address}/team/app", "1.0");

        Assert.That(result.Errors, Has.Count.EqualTo(1), result.ToString);
        Assert.That(result.Errors[0].Message, Does.Contain($"'{_registry.Address}' looks like a registry host"));
    }

    [Test]
    public async Task Capture_outputs_the_served_digest()
    {
        var expected = (await _client.HeadManifestAsync("preloaded/app", "1.0"))!.Digest!.Value;

        var result = await CaptureAsync($"{_registry.Address}/preloaded/app:1.0", expected.ToString());

        Assert.That(result.Succeeded, Is.True, result.ToString);
        Assert.That(result.Value("Digest"), Is.EqualTo(expected.ToString()));
        Assert.That(result.Value("Pinned"), Is.EqualTo($"{_registry.Address}/preloaded/app@{expected}"));
    }

    [Test]
    public async Task Capture_with_a_different_expected_digest_fails_showing_both()
    {
        var served = (await _client.HeadManifestAsync("preloaded/app", "1.0"))!.Digest!.Value;
        var other = Digest.Sha256("something else"u8);

        var result = await CaptureAsync($"{_registry.Address}/preloaded/app:1.0", other.ToString());

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Errors, Has.Count.EqualTo(1), result.ToString);
        Assert.That(result.Errors[0].Code, Is.EqualTo("HANDOFF201"));
        Assert.That(result.Errors[0].Message, Does.Contain(served.ToString()).And.Contain(other.ToString()));
    }

    [Test]
    public async Task Capture_of_a_missing_tag_and_of_a_malformed_reference_are_clear_errors()
    {
        var missing = await CaptureAsync($"{_registry.Address}/preloaded/app:nope", "");
        var malformed = await CaptureAsync($"{_registry.Address}/preloaded/app:bad:tag", "");

        Assert.That(missing.Errors, Has.Count.EqualTo(1), missing.ToString);
        Assert.That(missing.Errors[0].Message, Does.Contain("does not exist"));
        Assert.That(malformed.Errors, Has.Count.EqualTo(1), malformed.ToString);
        Assert.That(malformed.Errors[0].Code, Is.EqualTo("HANDOFF001"));
        Assert.That(malformed.Errors[0].Message, Does.StartWith("Image: "));
    }

    private Task<BuildResult> PushAsync(string repository, string tag, string additionalTags = "", string? archive = null) =>
        DotNet.MSBuildAsync(_project, "Push", new Dictionary<string, string>
        {
            ["Archive"] = archive ?? _layout,
            ["Registry"] = _registry.Address,
            ["Repository"] = repository,
            ["Tag"] = tag,
            ["AdditionalTags"] = additionalTags.Replace(";", "%3B"),
        });

    private Task<BuildResult> CaptureAsync(string image, string expected) =>
        DotNet.MSBuildAsync(_project, "Capture", new Dictionary<string, string> { ["Image"] = image, ["Expected"] = expected });
}
