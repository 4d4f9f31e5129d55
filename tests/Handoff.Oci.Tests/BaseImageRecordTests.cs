using System.Text.Json.Nodes;
using Handoff.Testing;

namespace Handoff.Oci.Tests;

/// <summary>Which base image an archive says it was built on (the SDK's labels are checked in <see cref="SdkContainerBuildTests"/>).</summary>
public sealed class BaseImageRecordTests
{
    private const string BaseDigest = "sha256:5171db0e3d58afac5ec9c0e6a71f6483f9edc8f337049abefe9594647a1cd080";

    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("oci-base-record");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    /// <summary>The minimal image's layout with annotations added to its manifest, as buildx or buildah write them.</summary>
    private string LayoutWithManifestAnnotations(Dictionary<string, string> annotations)
    {
        var layout = _temp.Combine("layout");
        var original = MinimalBaseImage.WriteLayout(layout);
        var manifest = JsonNode.Parse(File.ReadAllBytes(Path.Combine(layout, "blobs", "sha256", original.Hex)))!.AsObject();
        var map = new JsonObject();
        foreach (var (key, value) in annotations)
        {
            map[key] = value;
        }

        manifest["annotations"] = map;
        var bytes = System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString());
        var digest = Digest.Sha256(bytes);
        File.WriteAllBytes(Path.Combine(layout, "blobs", "sha256", digest.Hex), bytes);
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!;
        index["manifests"]![0]!["digest"] = digest.ToString();
        index["manifests"]![0]!["size"] = bytes.Length;
        File.WriteAllText(Path.Combine(layout, "index.json"), index.ToJsonString());
        return layout;
    }

    [Test]
    public void Manifest_annotations_name_the_base_image_and_its_digest()
    {
        using var archive = OciImageArchive.Open(LayoutWithManifestAnnotations(new()
        {
            [BaseImageRecord.NameKey] = "docker.io/library/alpine:3.20",
            [BaseImageRecord.DigestKey] = BaseDigest,
        }));

        var record = BaseImageRecord.Read(archive);

        Assert.That(record, Is.EqualTo(new BaseImageRecord("docker.io/library/alpine:3.20", Digest.Parse(BaseDigest))));
    }

    [Test]
    public void A_malformed_base_digest_is_dropped_not_trusted()
    {
        using var archive = OciImageArchive.Open(LayoutWithManifestAnnotations(new()
        {
            [BaseImageRecord.NameKey] = "registry.example.com/base:1",
            [BaseImageRecord.DigestKey] = "sha256:not-hex",
        }));

        Assert.That(BaseImageRecord.Read(archive), Is.EqualTo(new BaseImageRecord("registry.example.com/base:1", null)));
    }

    [Test]
    public void An_image_that_records_no_base_gives_none()
    {
        MinimalBaseImage.WriteLayout(_temp.Combine("plain"));
        using var archive = OciImageArchive.Open(_temp.Combine("plain"));

        Assert.That(BaseImageRecord.Read(archive), Is.Null, "nothing is guessed");
    }
}
