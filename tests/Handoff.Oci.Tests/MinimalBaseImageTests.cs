using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Handoff.Oci.Tests.Fixtures;
using Handoff.Testing;

namespace Handoff.Oci.Tests;

public sealed class MinimalBaseImageTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("oci-base");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Building_twice_gives_identical_bytes()
    {
        var first = MinimalBaseImage.WriteLayout(_temp.Combine("a"));
        var second = MinimalBaseImage.WriteLayout(_temp.Combine("b"));

        Assert.That(second, Is.EqualTo(first));
        var filesA = Directory.GetFiles(_temp.Combine("a"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_temp.Combine("a"), f)).Order().ToList();
        var filesB = Directory.GetFiles(_temp.Combine("b"), "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_temp.Combine("b"), f)).Order().ToList();
        Assert.That(filesB, Is.EqualTo(filesA));
        foreach (var file in filesA)
        {
            Assert.That(File.ReadAllBytes(_temp.Combine("b", file)), Is.EqualTo(File.ReadAllBytes(_temp.Combine("a", file))), file);
        }
    }

    [Test]
    public void The_image_declares_its_platform_user_and_a_valid_rootfs()
    {
        MinimalBaseImage.WriteLayout(_temp.Combine("base"), new MinimalBaseImageOptions { Platforms = [new OciPlatform("linux", "arm64") { Variant = "v8" }], UserName = "svc", UserId = 2000 });
        using var archive = OciImageArchive.Open(_temp.Combine("base"));

        Assert.That(archive.Platforms.Single().ToString(), Is.EqualTo("linux/arm64/v8"));
        using var configStream = archive.OpenBlob(archive.Root.Config!.Digest);
        using var config = JsonDocument.Parse(configStream);
        Assert.That(config.RootElement.GetProperty("os").GetString(), Is.EqualTo("linux"));
        Assert.That(config.RootElement.GetProperty("architecture").GetString(), Is.EqualTo("arm64"));
        Assert.That(config.RootElement.GetProperty("config").GetProperty("User").GetString(), Is.EqualTo("2000"));
        Assert.That(config.RootElement.GetProperty("config").GetProperty("Env").EnumerateArray().Select(e => e.GetString()), Does.Contain("APP_UID=2000"));

        var layer = archive.Root.Layers.Single();
        Assert.That(layer.MediaType, Is.EqualTo(MediaTypes.OciLayerGzip));
        using var tar = new MemoryStream();
        using (var blob = archive.OpenBlob(layer.Digest))
        using (var gunzip = new GZipStream(blob, CompressionMode.Decompress))
        {
            gunzip.CopyTo(tar);
        }

        var diffId = config.RootElement.GetProperty("rootfs").GetProperty("diff_ids")[0].GetString();
        Assert.That(diffId, Is.EqualTo(Digest.Sha256(tar.ToArray()).ToString()));
        tar.Position = 0;
        var entries = new Dictionary<string, TarEntry>();
        var files = new Dictionary<string, string>();
        using (var reader = new TarReader(tar))
        {
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                entries[entry.Name] = entry;
                if (entry.DataStream is { } data)
                {
                    files[entry.Name] = new StreamReader(data, Encoding.UTF8).ReadToEnd();
                }
            }
        }

        Assert.That(entries.Keys, Is.EquivalentTo(new[] { "etc/", "etc/group", "etc/passwd", "home/", "home/svc/", "root/", "tmp/" }));
        Assert.That(files["etc/passwd"], Does.Contain("root:x:0:0:").And.Contain("svc:x:2000:2000:svc:/home/svc:"));
        Assert.That(files["etc/group"], Does.Contain("svc:x:2000:"));
        Assert.That(entries["tmp/"].Mode.HasFlag(UnixFileMode.StickyBit), Is.True);
        Assert.That(entries["home/svc/"].Uid, Is.EqualTo(2000));
        Assert.That(entries.Values.Select(e => e.ModificationTime), Is.All.EqualTo(DateTimeOffset.UnixEpoch));
    }

    [Test]
    public void Several_platforms_give_an_index_sharing_one_layer()
    {
        MinimalBaseImage.WriteLayout(_temp.Combine("multi"), new MinimalBaseImageOptions { Platforms = [new OciPlatform("linux", "amd64"), new OciPlatform("linux", "arm64")], DockerMediaTypes = true });
        using var archive = OciImageArchive.Open(_temp.Combine("multi"));

        Assert.That(archive.Root.MediaType, Is.EqualTo(MediaTypes.DockerManifestList));
        Assert.That(archive.Root.Manifests.Select(m => m.Platform!.ToString()), Is.EqualTo(new[] { "linux/amd64", "linux/arm64" }));
        Assert.That(archive.Blobs.Count(b => b.MediaType == MediaTypes.DockerLayerGzip), Is.EqualTo(1));
        Assert.That(archive.Blobs.Count(b => b.MediaType == MediaTypes.DockerConfig), Is.EqualTo(2));
    }

    [Test]
    public async Task Pushing_it_gives_the_digest_of_the_layout()
    {
        using var registry = RegistryServer.Start();
        using var client = Registries.Client(registry);
        var expected = MinimalBaseImage.WriteLayout(_temp.Combine("base"));

        var result = await MinimalBaseImage.PushAsync(client, ImageReference.Parse($"{registry.Address}/base/minimal:1"));

        Assert.That(result.Digest, Is.EqualTo(expected));
        Assert.That(await new DigestCapture(client).CaptureAsync(result.Reference), Is.EqualTo(expected));
    }
}
