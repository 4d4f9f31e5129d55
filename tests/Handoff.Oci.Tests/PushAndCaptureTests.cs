using System.Net;
using Handoff.Oci.Tests.Fixtures;
using Handoff.Testing;
using Handoff.Testing.Oci;

namespace Handoff.Oci.Tests;

/// <summary>Pushes archives of every supported format to a real registry (distribution 2.8) and reads the digests back.</summary>
public sealed class PushAndCaptureTests
{
    private RegistryServer _registry = null!;
    private TempDirectory _temp = null!;

    [OneTimeSetUp]
    public void StartRegistry() => _registry = RegistryServer.Start();

    [OneTimeTearDown]
    public void StopRegistry() => _registry.Dispose();

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("oci-push");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    public static IEnumerable<TestCaseData> Formats()
    {
        yield return new TestCaseData("layout-dir").SetName("Push_capture_oci_layout_folder");
        yield return new TestCaseData("layout-tar").SetName("Push_capture_oci_layout_tar");
        yield return new TestCaseData("layout-tgz").SetName("Push_capture_oci_layout_tar_gz");
        yield return new TestCaseData("docker-archive").SetName("Push_capture_docker_archive");
        yield return new TestCaseData("sdk-docker-archive").SetName("Push_capture_dotnet_sdk_docker_archive");
        yield return new TestCaseData("docker-layout").SetName("Push_capture_layout_with_docker_media_types");
        yield return new TestCaseData("multi-platform").SetName("Push_capture_multi_platform_layout");
        yield return new TestCaseData("buildx").SetName("Push_capture_buildx_layout_with_attestation");
    }

    [TestCaseSource(nameof(Formats))]
    public async Task Pushed_digest_equals_registry_digest_equals_sha256_of_the_manifest_bytes(string format)
    {
        var (path, archiveManifestDigest) = WriteArchive(format);
        using var archive = OciImageArchive.Open(path);
        using var client = Registries.Client(_registry);
        var target = ImageReference.Parse($"{_registry.Address}/formats/{format}:v1");

        var pushed = await new ImagePusher(client).PushAsync(archive, target);
        var captured = await new DigestCapture(client).CaptureAsync(target, pushed.Digest);
        var stored = await client.GetManifestAsync(target.Repository, "v1");

        Assert.That(captured, Is.EqualTo(pushed.Digest));
        Assert.That(stored.Digest, Is.EqualTo(pushed.Digest), "sha256 of the bytes the registry serves");
        Assert.That(Digest.Sha256(stored.Content.Span), Is.EqualTo(pushed.Digest));
        Assert.That(stored.Content.ToArray(), Is.EqualTo(archive.Root.Content.ToArray()));
        Assert.That(pushed.Reference.ToString(), Is.EqualTo($"{target}@{pushed.Digest}"));
        Assert.That(pushed.BlobsUploaded, Is.EqualTo(archive.Blobs.Count));
        Assert.That(pushed.BytesUploaded, Is.EqualTo(archive.BlobBytes));
        if (archiveManifestDigest is not null)
        {
            Assert.That(pushed.Digest.ToString(), Is.EqualTo(archiveManifestDigest), "the archive's own manifest is pushed unchanged");
        }

        foreach (var child in archive.Manifests.Where(m => m != archive.Root))
        {
            Assert.That(await client.HeadManifestAsync(target.Repository, child.Digest.ToString()), Is.Not.Null, $"child manifest {child.Digest}");
        }
    }

    [Test]
    public async Task Pushing_the_same_archive_twice_uploads_no_blob_the_second_time()
    {
        var (path, _) = WriteArchive("docker-archive");
        using var archive = OciImageArchive.Open(path);
        var recorder = new RequestRecorder();
        using var client = Registries.Client(_registry, recorder);
        var target = ImageReference.Parse($"{_registry.Address}/twice/app:1");

        var first = await new ImagePusher(client).PushAsync(archive, target);
        var uploadsFirst = recorder.Count(r => r.IsBlobUpload);
        recorder.Clear();
        var second = await new ImagePusher(client).PushAsync(archive, target);

        Assert.That(uploadsFirst, Is.EqualTo(2 * archive.Blobs.Count), "POST + PUT per blob the first time");
        Assert.That(recorder.Requests.Where(r => r.IsBlobUpload), Is.Empty, "no POST/PUT/PATCH to /blobs/uploads/ the second time");
        Assert.That(recorder.Count(r => r.Method == HttpMethod.Head && r.Path.Contains("/blobs/")), Is.EqualTo(archive.Blobs.Count));
        Assert.That(second.Digest, Is.EqualTo(first.Digest));
        Assert.That(second.BlobsUploaded, Is.Zero);
        Assert.That(second.BlobsSkipped, Is.EqualTo(archive.Blobs.Count));
        Assert.That(second.BytesUploaded, Is.Zero);
    }

    [Test]
    public async Task Blobs_are_mounted_from_another_repository_instead_of_uploaded()
    {
        var (path, _) = WriteArchive("layout-dir");
        using var archive = OciImageArchive.Open(path);
        var recorder = new RequestRecorder();
        using var client = Registries.Client(_registry, recorder);
        await new ImagePusher(client).PushAsync(archive, ImageReference.Parse($"{_registry.Address}/mount/source:1"));
        recorder.Clear();

        var result = await new ImagePusher(client).PushAsync(archive, ImageReference.Parse($"{_registry.Address}/mount/target:1"), new PushOptions { MountFrom = "mount/source" });

        Assert.That(result.BlobsMounted, Is.EqualTo(archive.Blobs.Count));
        Assert.That(result.BlobsUploaded, Is.Zero);
        Assert.That(recorder.Count(r => r.Method == HttpMethod.Put && r.Path.Contains("/blobs/uploads/")), Is.Zero, "nothing was uploaded");
        Assert.That(recorder.Count(r => r.Method == HttpMethod.Post && r.Url.Query.Contains("mount=") && r.Status == HttpStatusCode.Created), Is.EqualTo(archive.Blobs.Count));
    }

    [Test]
    public async Task Blobs_and_tags_read_back_match_what_was_pushed()
    {
        var image = TestImage.Create(31);
        image.WriteOciLayout(_temp.Combine("layout"));
        using var archive = OciImageArchive.Open(_temp.Combine("layout"));
        using var client = Registries.Client(_registry);
        await client.PingAsync();
        await new ImagePusher(client).PushAsync(archive, ImageReference.Parse($"{_registry.Address}/readback/app:a"));
        await new ImagePusher(client).PushAsync(archive, ImageReference.Parse($"{_registry.Address}/readback/app:b"));

        var config = await client.GetBlobAsync("readback/app", Digest.Parse(image.ConfigDigest));
        var tags = await client.ListTagsAsync("readback/app");
        var head = await client.HeadManifestAsync("readback/app", "a");
        var missing = await client.HeadManifestAsync("readback/app", "nope");

        Assert.That(config, Is.EqualTo(image.Config));
        Assert.That(tags, Is.EquivalentTo(new[] { "a", "b" }));
        Assert.That(head!.MediaType, Is.EqualTo(MediaTypes.OciManifest));
        Assert.That(head.Digest, Is.EqualTo(archive.Root.Digest));
        Assert.That(head.Size, Is.EqualTo(archive.Root.Size));
        Assert.That(missing, Is.Null);
    }

    [Test]
    public async Task Capture_shows_both_digests_when_the_tag_moved()
    {
        var (first, _) = WriteArchive("layout-dir");
        using var archive = OciImageArchive.Open(first);
        using var client = Registries.Client(_registry);
        var target = ImageReference.Parse($"{_registry.Address}/moved/app:1");
        var pushed = await new ImagePusher(client).PushAsync(archive, target);
        var other = Digest.Sha256("something else"u8);

        var error = Assert.CatchAsync<HandoffException>(() => new DigestCapture(client).CaptureAsync(target, other))!;

        Assert.That(error.Message, Does.Contain(pushed.Digest.ToString()).And.Contain(other.ToString()).And.Contain("push again"));
    }

    [Test]
    public void Capture_of_a_tag_never_pushed_says_to_push_first()
    {
        using var client = Registries.Client(_registry);

        var error = Assert.CatchAsync<HandoffException>(() => new DigestCapture(client).CaptureAsync(ImageReference.Parse($"{_registry.Address}/never/pushed:1")))!;

        Assert.That(error.Message, Does.Contain("never/pushed:1").And.Contain("does not exist").And.Contain("Push the image first"));
    }

    [Test]
    public void A_manifest_naming_blobs_the_registry_lacks_is_rejected_with_its_error_codes()
    {
        using var client = Registries.Client(_registry);
        var config = new OciDescriptor(MediaTypes.OciConfig, Digest.Sha256("{\"never\":\"uploaded\"}"u8), 22);
        var manifest = OciManifest.CreateImage(MediaTypes.OciManifest, config, []);

        var error = Assert.CatchAsync<HandoffException>(() => client.PutManifestAsync("invalid/app", "1", manifest))!;

        Assert.That(error.Message, Does.Contain("rejected").And.Contain("MANIFEST_BLOB_UNKNOWN").And.Contain("push all of the image's blobs first"));
    }

    [Test]
    public void Listing_the_tags_of_a_repository_that_does_not_exist_says_so()
    {
        using var client = Registries.Client(_registry);

        var error = Assert.CatchAsync<HandoffException>(() => client.ListTagsAsync("no/such/repository"))!;

        Assert.That(error.Message, Does.Contain($"{_registry.Address}/no/such/repository does not exist").And.Contain("NAME_UNKNOWN"));
    }

    [Test]
    public void Invalid_repository_or_tag_fails_before_any_request()
    {
        var recorder = new RequestRecorder();
        using var client = Registries.Client(_registry, recorder);
        var manifest = OciManifest.CreateIndex(MediaTypes.OciIndex, []);

        var badRepository = Assert.CatchAsync<HandoffException>(() => client.HeadManifestAsync("Team/App", "1"))!;
        var badTag = Assert.CatchAsync<HandoffException>(() => client.PutManifestAsync("team/app", "-1.0", manifest))!;
        var badDigest = Assert.CatchAsync<HandoffException>(() => client.GetManifestAsync("team/app", "sha256:abc"))!;

        Assert.That(badRepository.Message, Does.Contain("'Team/App' is not a valid repository name").And.Contain("Fix the repository"));
        Assert.That(badTag.Message, Does.Contain("'-1.0' is not a valid tag").And.Contain("Fix the tag"));
        Assert.That(badDigest.Message, Does.Contain("not a valid sha256 digest"));
        Assert.That(recorder.Requests, Is.Empty);
    }

    [Test]
    public void Pushing_to_another_registry_than_the_clients_is_refused()
    {
        var (path, _) = WriteArchive("layout-dir");
        using var archive = OciImageArchive.Open(path);
        using var client = Registries.Client(_registry);

        var error = Assert.CatchAsync<HandoffException>(() => new ImagePusher(client).PushAsync(archive, ImageReference.Parse("ghcr.io/team/app:1")))!;

        Assert.That(error.Message, Does.Contain("ghcr.io"));
    }

    private (string Path, string? ManifestDigest) WriteArchive(string format)
    {
        var image = TestImage.Create(format.Sum(c => c));
        var layout = _temp.Combine("layout");
        switch (format)
        {
            case "layout-dir":
                return (layout, image.WriteOciLayout(layout));
            case "layout-tar":
            case "layout-tgz":
                var digest = image.WriteOciLayout(layout);
                var tar = _temp.Combine(format + ".tar");
                TestImage.Pack(layout, tar, gzip: format == "layout-tgz");
                return (tar, digest);
            case "docker-layout":
                return (layout, image.WriteOciLayout(layout, docker: true));
            case "docker-archive":
                image.WriteDockerArchive(_temp.Combine("saved.tar"));
                return (_temp.Combine("saved.tar"), null);
            case "sdk-docker-archive":
                image.WriteSdkDockerArchive(_temp.Combine("app.tar.gz"));
                return (_temp.Combine("app.tar.gz"), null);
            case "multi-platform":
                TestImage.WriteMultiPlatformLayout(layout, TestImage.Create(41, "amd64"), TestImage.Create(42, "arm64"));
                return (layout, null);
            case "buildx":
                return (layout, TestImage.WriteBuildxLayout(layout, TestImage.Create(43, "amd64"), TestImage.Create(44, "arm64")));
            default:
                throw new ArgumentException(format);
        }
    }
}
