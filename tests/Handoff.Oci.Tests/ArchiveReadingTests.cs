using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Handoff.Oci.Tests.Fixtures;
using Handoff.Testing;

namespace Handoff.Oci.Tests;

public sealed class ArchiveReadingTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("oci-archive");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Layout_folder_keeps_the_exact_manifest_bytes_and_lists_config_and_layers()
    {
        var image = TestImage.Create(1);
        var digest = image.WriteOciLayout(_temp.Combine("layout"));

        using var archive = OciImageArchive.Open(_temp.Combine("layout"));

        Assert.That(archive.Format, Is.EqualTo(OciArchiveFormat.OciLayout));
        Assert.That(archive.Container, Is.EqualTo(OciArchiveContainer.Directory));
        Assert.That(archive.Root.Digest.ToString(), Is.EqualTo(digest));
        Assert.That(archive.Root.Content.ToArray(), Is.EqualTo(image.Manifest()), "the manifest must not be re-serialised");
        Assert.That(archive.Blobs.Select(b => b.Digest.ToString()), Is.EqualTo(new[] { image.ConfigDigest }.Concat(image.Layers.Select(l => TestImage.Sha(l.Gzip)))));
        Assert.That(archive.Platforms.Select(p => p.ToString()), Is.EqualTo(new[] { "linux/amd64" }));
        Assert.That(archive.Names, Does.Contain("1.0"));
    }

    [TestCase(false, OciArchiveContainer.Tar)]
    [TestCase(true, OciArchiveContainer.TarGzip)]
    public void Layout_tar_and_tar_gz_read_like_the_folder(bool gzip, OciArchiveContainer container)
    {
        var image = TestImage.Create(2);
        var digest = image.WriteOciLayout(_temp.Combine("layout"));
        // The name says nothing: the .NET SDK writes plain tars named .tar.gz.
        var path = _temp.Combine(gzip ? "image.tar" : "image.tar.gz");
        TestImage.Pack(_temp.Combine("layout"), path, gzip);

        using var archive = OciImageArchive.Open(path);

        Assert.That(archive.Container, Is.EqualTo(container));
        Assert.That(archive.Root.Digest.ToString(), Is.EqualTo(digest));
        foreach (var layer in image.Layers)
        {
            using var stream = archive.OpenBlob(Digest.Parse(TestImage.Sha(layer.Gzip)));
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Assert.That(copy.ToArray(), Is.EqualTo(layer.Gzip));
        }
    }

    [Test]
    public void Several_platform_images_in_index_json_become_an_index_of_them()
    {
        TestImage.WriteMultiPlatformLayout(_temp.Combine("multi"), TestImage.Create(3, "amd64"), TestImage.Create(4, "arm64"));

        using var archive = OciImageArchive.Open(_temp.Combine("multi"));

        Assert.That(archive.Root.IsIndex, Is.True);
        Assert.That(archive.Root.MediaType, Is.EqualTo(MediaTypes.OciIndex));
        Assert.That(archive.Root.Manifests.Select(m => m.Platform?.ToString()), Is.EqualTo(new[] { "linux/amd64", "linux/arm64" }));
        Assert.That(archive.Manifests, Has.Count.EqualTo(3));
        Assert.That(archive.Manifests[^1], Is.SameAs(archive.Root), "children are pushed before the index");
        Assert.That(archive.Blobs, Has.Count.EqualTo(6));
    }

    [Test]
    public void A_buildx_layout_pushes_its_own_index_with_the_attestation_manifest()
    {
        var indexDigest = TestImage.WriteBuildxLayout(_temp.Combine("buildx"), TestImage.Create(5, "amd64"), TestImage.Create(6, "arm64"));

        using var archive = OciImageArchive.Open(_temp.Combine("buildx"));

        Assert.That(archive.Root.Digest.ToString(), Is.EqualTo(indexDigest));
        Assert.That(archive.Manifests, Has.Count.EqualTo(4));
        Assert.That(archive.Platforms.Select(p => p.ToString()), Is.EqualTo(new[] { "linux/amd64", "linux/arm64" }), "the attestation's unknown/unknown is no platform");
    }

    [Test]
    public void Docker_archive_becomes_a_schema_2_manifest_with_gzip_layers_matching_the_diff_ids()
    {
        var image = TestImage.Create(7);
        image.WriteDockerArchive(_temp.Combine("saved.tar"));

        using var archive = OciImageArchive.Open(_temp.Combine("saved.tar"));

        Assert.That(archive.Format, Is.EqualTo(OciArchiveFormat.DockerArchive));
        Assert.That(archive.Root.MediaType, Is.EqualTo(MediaTypes.DockerManifest));
        Assert.That(archive.Root.Config!.Digest.ToString(), Is.EqualTo(image.ConfigDigest));
        Assert.That(archive.Root.Config.MediaType, Is.EqualTo(MediaTypes.DockerConfig));
        Assert.That(archive.Names, Is.EqualTo(new[] { "app:1.0" }));
        for (var i = 0; i < image.Layers.Count; i++)
        {
            var layer = archive.Root.Layers[i];
            Assert.That(layer.MediaType, Is.EqualTo(MediaTypes.DockerLayerGzip));
            using var blob = archive.OpenBlob(layer.Digest);
            using var gunzip = new GZipStream(blob, CompressionMode.Decompress);
            using var tar = new MemoryStream();
            gunzip.CopyTo(tar);
            Assert.That(tar.ToArray(), Is.EqualTo(image.Layers[i].Tar), $"layer {i} must decompress to the saved layer.tar");
        }
    }

    [Test]
    public void Docker_archive_conversion_is_deterministic()
    {
        var image = TestImage.Create(8);
        image.WriteDockerArchive(_temp.Combine("a.tar"));

        using var first = OciImageArchive.Open(_temp.Combine("a.tar"));
        using var second = OciImageArchive.Open(_temp.Combine("a.tar"));

        Assert.That(second.Root.Digest, Is.EqualTo(first.Root.Digest));
        Assert.That(second.Root.Content.ToArray(), Is.EqualTo(first.Root.Content.ToArray()));
    }

    [Test]
    public void Docker_archive_layers_shared_through_symlinks_are_followed()
    {
        // Two identical layers (same diff_id), which docker save stores once and links.
        var layer = TestImage.Create(9).Layers[0];
        var shared = TestImage.FromLayers("amd64", [layer, layer]);
        shared.WriteDockerArchive(_temp.Combine("linked.tar"), shareFirstLayerBySymlink: true);

        using var archive = OciImageArchive.Open(_temp.Combine("linked.tar"));

        Assert.That(archive.Root.Layers, Has.Count.EqualTo(2));
        Assert.That(archive.Root.Layers[1].Digest, Is.EqualTo(archive.Root.Layers[0].Digest));
        Assert.That(archive.Blobs, Has.Count.EqualTo(2), "config and the one shared layer");
    }

    [Test]
    public void Sdk_docker_archive_keeps_its_gzip_layers_and_their_digests()
    {
        var image = TestImage.Create(10);
        image.WriteSdkDockerArchive(_temp.Combine("app.tar.gz"));

        using var archive = OciImageArchive.Open(_temp.Combine("app.tar.gz"));

        Assert.That(archive.Container, Is.EqualTo(OciArchiveContainer.Tar));
        Assert.That(archive.Root.Layers.Select(l => l.Digest.ToString()), Is.EqualTo(image.Layers.Select(l => TestImage.Sha(l.Gzip))));
        Assert.That(archive.Root.Layers.Select(l => l.Size), Is.EqualTo(image.Layers.Select(l => (long)l.Gzip.Length)));
    }

    [Test]
    public void An_image_is_chosen_by_name_when_the_archive_holds_several()
    {
        var directory = _temp.Combine("two");
        var amd = TestImage.Create(11);
        var other = TestImage.Create(12);
        TestImage.WriteMultiPlatformLayout(directory, amd, other);
        // Same platform twice: only a name can choose.
        var index = File.ReadAllText(Path.Combine(directory, "index.json")).Replace("\"arm64\"", "\"amd64\"");
        var first = index.IndexOf("\"1.0\"", StringComparison.Ordinal);
        index = index[..first] + "\"app:first\"" + index[(first + 5)..];
        File.WriteAllText(Path.Combine(directory, "index.json"), index);

        var ambiguous = Assert.Catch<HandoffException>(() => OciImageArchive.Open(directory))!;
        Assert.That(ambiguous.Message, Does.Contain("several images for linux/amd64").And.Contain("image name"));

        using var chosen = OciImageArchive.Open(directory, "first");
        Assert.That(chosen.Root.Digest.ToString(), Is.EqualTo(TestImage.Sha(amd.Manifest())));

        var unknown = Assert.Catch<HandoffException>(() => OciImageArchive.Open(directory, "nope"))!;
        Assert.That(unknown.Message, Does.Contain("no image named 'nope'").And.Contain("app:first"));
    }

    [Test]
    public void Missing_archive_names_the_path_and_the_fix()
    {
        var error = Assert.Catch<HandoffException>(() => OciImageArchive.Open(_temp.Combine("nowhere.tar")))!;
        Assert.That(error.Message, Does.Contain("nowhere.tar").And.Contain("not found").And.Contain("BuildImage"));
    }

    [Test]
    public void Empty_and_unknown_files_are_rejected_with_what_is_expected()
    {
        File.WriteAllBytes(_temp.Combine("empty.tar"), []);
        File.WriteAllText(_temp.Combine("notes.txt"), "hello, this is not an image");
        var directory = Directory.CreateDirectory(_temp.Combine("folder")).FullName;

        Assert.That(Assert.Catch<HandoffException>(() => OciImageArchive.Open(_temp.Combine("empty.tar")))!.Message, Does.Contain("empty"));
        Assert.That(Assert.Catch<HandoffException>(() => OciImageArchive.Open(_temp.Combine("notes.txt")))!.Message, Does.Contain("not an image archive").And.Contain("OCI image layout"));
        Assert.That(Assert.Catch<HandoffException>(() => OciImageArchive.Open(directory))!.Message, Does.Contain("not an image archive"));
    }

    [Test]
    public void A_flipped_byte_in_a_layer_is_reported_with_the_blob()
    {
        var image = TestImage.Create(13);
        var directory = _temp.Combine("layout");
        image.WriteOciLayout(directory);
        var layerDigest = TestImage.Sha(image.Layers[1].Gzip);
        var path = TestImage.BlobPath(directory, layerDigest);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        TestImage.Pack(directory, _temp.Combine("corrupt.tar"), gzip: false);

        foreach (var candidate in new[] { directory, _temp.Combine("corrupt.tar") })
        {
            var error = Assert.Catch<HandoffException>(() => OciImageArchive.Open(candidate))!;
            Assert.That(error.Message, Does.Contain(layerDigest).And.Contain("layer 2 of 2").And.Contain("corrupt").And.Contain("Rebuild"));
        }
    }

    [Test]
    public void A_flipped_byte_in_a_docker_archive_layer_fails_the_diff_id_check()
    {
        var image = TestImage.Create(14);
        image.WriteDockerArchive(_temp.Combine("saved.tar"));
        var bytes = File.ReadAllBytes(_temp.Combine("saved.tar"));
        var marker = Encoding.ASCII.GetBytes(new string('x', 64));
        var at = bytes.AsSpan().IndexOf(marker);
        bytes[at + 10] = (byte)'y';
        File.WriteAllBytes(_temp.Combine("saved.tar"), bytes);
        var tempBefore = Directory.GetDirectories(Path.GetTempPath(), "handoff-oci-*").Length;

        var error = Assert.Catch<HandoffException>(() => OciImageArchive.Open(_temp.Combine("saved.tar")))!;
        Assert.That(error.Message, Does.Contain("layer 1 of 2").And.Contain("diff_ids").And.Contain("corrupt"));
        Assert.That(Directory.GetDirectories(Path.GetTempPath(), "handoff-oci-*"), Has.Length.EqualTo(tempBefore), "the layer converted in parallel is not left behind");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void A_truncated_archive_is_reported_not_half_read(bool gzip)
    {
        var image = TestImage.Create(15);
        image.WriteOciLayout(_temp.Combine("layout"));
        var path = _temp.Combine("full.tar");
        TestImage.Pack(_temp.Combine("layout"), path, gzip);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(_temp.Combine("cut.tar"), bytes[..(bytes.Length * 6 / 10)]);

        var error = Assert.Catch<HandoffException>(() => OciImageArchive.Open(_temp.Combine("cut.tar")))!;
        Assert.That(error.Message, Does.Contain("cut.tar").And.Match("truncated|missing|incomplete"));
    }

    [Test]
    public void A_missing_blob_names_the_blob_and_the_path_it_should_have()
    {
        var image = TestImage.Create(16);
        image.WriteOciLayout(_temp.Combine("layout"));
        File.Delete(TestImage.BlobPath(_temp.Combine("layout"), image.ConfigDigest));

        var error = Assert.Catch<HandoffException>(() => OciImageArchive.Open(_temp.Combine("layout")))!;
        Assert.That(error.Message, Does.Contain(image.ConfigDigest).And.Contain("config").And.Contain("missing").And.Contain("blobs/sha256/"));
    }

    [Test]
    public void A_blob_shorter_than_its_descriptor_is_truncated()
    {
        var image = TestImage.Create(17);
        image.WriteOciLayout(_temp.Combine("layout"));
        var path = TestImage.BlobPath(_temp.Combine("layout"), TestImage.Sha(image.Layers[0].Gzip));
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..100]);

        var error = Assert.Catch<HandoffException>(() => OciImageArchive.Open(_temp.Combine("layout")))!;
        Assert.That(error.Message, Does.Contain("is 100 bytes but its descriptor says").And.Contain("truncated"));
    }

    [Test]
    public void Temp_space_of_a_compressed_archive_is_removed_on_dispose()
    {
        var image = TestImage.Create(18);
        image.WriteOciLayout(_temp.Combine("layout"));
        TestImage.Pack(_temp.Combine("layout"), _temp.Combine("image.tgz"), gzip: true);
        var before = Directory.GetDirectories(Path.GetTempPath(), "handoff-oci-*").ToHashSet();

        var archive = OciImageArchive.Open(_temp.Combine("image.tgz"));
        var created = Directory.GetDirectories(Path.GetTempPath(), "handoff-oci-*").Where(d => !before.Contains(d)).ToList();
        archive.Dispose();

        Assert.That(created, Has.Count.EqualTo(1));
        Assert.That(Directory.Exists(created[0]), Is.False);
    }

    [Test]
    public void Tar_entries_with_long_names_are_found()
    {
        // PAX path records for names over 100 characters, as Go and .NET tar writers emit them.
        var image = TestImage.Create(19);
        var directory = _temp.Combine("layout");
        image.WriteOciLayout(directory);
        var path = _temp.Combine("pax.tar");
        using (var file = File.Create(path))
        using (var writer = new TarWriter(file, TarEntryFormat.Pax))
        {
            var prefix = new string('d', 120) + "/";
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, prefix));
            foreach (var source in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                writer.WriteEntry(source, Path.GetRelativePath(directory, source).Replace('\\', '/'));
            }
        }

        using var archive = OciImageArchive.Open(path);
        Assert.That(archive.Blobs, Has.Count.EqualTo(3));
    }
}
