using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Handoff.Oci.Tests.Fixtures;

/// <summary>
/// A small image made by the test itself, written the way other tools write archives (independently
/// of the library under test): layers of random bytes, an image config, and writers for an OCI
/// layout (folder, tar, tar.gz, one or several platforms, buildx-style nested index), a docker-archive
/// as <c>docker save</c> writes it, and the .NET SDK's variant of it.
/// </summary>
internal sealed class TestImage
{
    private TestImage(string architecture, IReadOnlyList<TestLayer> layers, byte[] config)
    {
        Architecture = architecture;
        Layers = layers;
        Config = config;
    }

    public string Architecture { get; }
    public IReadOnlyList<TestLayer> Layers { get; }
    public byte[] Config { get; }
    public string ConfigDigest => Sha(Config);

    public static TestImage Create(int seed, string architecture = "amd64", int layers = 2, int layerSize = 48 * 1024)
    {
        var random = new Random(seed);
        var list = new List<TestLayer>();
        for (var i = 0; i < layers; i++)
        {
            var content = new byte[layerSize];
            random.NextBytes(content);
            // Half text so gzip has something to compress, like real layers.
            Encoding.ASCII.GetBytes(new string('x', layerSize / 2)).CopyTo(content, 0);
            list.Add(TestLayer.Create($"data/{seed}-{i}.bin", content));
        }

        return FromLayers(architecture, list);
    }

    /// <summary>An image of the given layers (they may repeat, as identical layers do in real images).</summary>
    public static TestImage FromLayers(string architecture, IReadOnlyList<TestLayer> list)
    {
        var config = new JsonObject
        {
            ["architecture"] = architecture,
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Env"] = new JsonArray("PATH=/usr/bin:/bin"), ["Entrypoint"] = new JsonArray("/bin/true") },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(list.Select(l => (JsonNode)Sha(l.Tar)).ToArray()) },
        };
        return new TestImage(architecture, list, Encoding.UTF8.GetBytes(config.ToJsonString()));
    }

    /// <summary>The image manifest bytes, indented (as some tools write them): a push must keep these exact bytes.</summary>
    public byte[] Manifest(bool docker = false) => Json(new JsonObject
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = docker ? MediaTypes.DockerManifest : MediaTypes.OciManifest,
        ["config"] = Descriptor(docker ? MediaTypes.DockerConfig : MediaTypes.OciConfig, Config),
        ["layers"] = new JsonArray(Layers.Select(l => (JsonNode)Descriptor(docker ? MediaTypes.DockerLayerGzip : MediaTypes.OciLayerGzip, l.Gzip)).ToArray()),
    }, indented: true);

    /// <summary>Writes an OCI image layout folder with this image; returns the manifest digest.</summary>
    public string WriteOciLayout(string directory, string refName = "1.0", bool docker = false)
    {
        var manifest = Manifest(docker);
        WriteBlobs(directory, manifest);
        WriteIndex(directory, [Descriptor(docker ? MediaTypes.DockerManifest : MediaTypes.OciManifest, manifest, refName)]);
        return Sha(manifest);
    }

    /// <summary>Several single-platform images listed directly in index.json (as some multi-arch exports do).</summary>
    public static void WriteMultiPlatformLayout(string directory, params TestImage[] images)
    {
        var entries = new List<JsonObject>();
        foreach (var image in images)
        {
            var manifest = image.Manifest();
            image.WriteBlobs(directory, manifest);
            var descriptor = Descriptor(MediaTypes.OciManifest, manifest, "1.0");
            descriptor["platform"] = new JsonObject { ["architecture"] = image.Architecture, ["os"] = "linux" };
            entries.Add(descriptor);
        }

        WriteIndex(directory, entries);
    }

    /// <summary>As buildx writes: index.json names one index blob listing the platform images and an attestation manifest.</summary>
    public static string WriteBuildxLayout(string directory, params TestImage[] images)
    {
        var children = new List<JsonNode>();
        foreach (var image in images)
        {
            var manifest = image.Manifest();
            image.WriteBlobs(directory, manifest);
            var descriptor = Descriptor(MediaTypes.OciManifest, manifest);
            descriptor["platform"] = new JsonObject { ["architecture"] = image.Architecture, ["os"] = "linux" };
            children.Add(descriptor);
        }

        var statement = Encoding.UTF8.GetBytes("{\"_type\":\"https://in-toto.io/Statement/v0.1\"}");
        var empty = "{}"u8.ToArray();
        WriteBlob(directory, statement);
        WriteBlob(directory, empty);
        var attestation = Json(new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = MediaTypes.OciManifest,
            ["config"] = Descriptor(MediaTypes.OciConfig, empty),
            ["layers"] = new JsonArray(Descriptor("application/vnd.in-toto+json", statement)),
        }, indented: false);
        WriteBlob(directory, attestation);
        var attestationDescriptor = Descriptor(MediaTypes.OciManifest, attestation);
        attestationDescriptor["platform"] = new JsonObject { ["architecture"] = "unknown", ["os"] = "unknown" };
        attestationDescriptor["annotations"] = new JsonObject { ["vnd.docker.reference.type"] = "attestation-manifest" };
        children.Add(attestationDescriptor);

        var index = Json(new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = MediaTypes.OciIndex, ["manifests"] = new JsonArray(children.ToArray()) }, indented: false);
        WriteBlob(directory, index);
        WriteIndex(directory, [Descriptor(MediaTypes.OciIndex, index, "latest")]);
        return Sha(index);
    }

    /// <summary>docker save's format: uncompressed layers in &lt;id&gt;/layer.tar, the config as &lt;hex&gt;.json, manifest.json, repositories.</summary>
    public void WriteDockerArchive(string tarPath, string repoTag = "app:1.0", bool shareFirstLayerBySymlink = false)
    {
        using var file = File.Create(tarPath);
        using var writer = new TarWriter(file, TarEntryFormat.Ustar);
        var configName = ConfigDigest["sha256:".Length..] + ".json";
        var layerPaths = new JsonArray();
        for (var i = 0; i < Layers.Count; i++)
        {
            // docker save names layer folders by v1 ids, which are not content digests.
            var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"v1-{i}-{ConfigDigest}")));
            if (shareFirstLayerBySymlink && i == 1)
            {
                writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, id + "/"));
                var firstId = layerPaths[0]!.GetValue<string>().Split('/')[0];
                writer.WriteEntry(new UstarTarEntry(TarEntryType.SymbolicLink, id + "/layer.tar") { LinkName = $"../{firstId}/layer.tar" });
                layerPaths.Add($"{id}/layer.tar");
                continue;
            }

            writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, id + "/"));
            AddFile(writer, id + "/VERSION", "1.0"u8.ToArray());
            AddFile(writer, id + "/json", Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\"}}"));
            AddFile(writer, id + "/layer.tar", Layers[i].Tar);
            layerPaths.Add($"{id}/layer.tar");
        }

        AddFile(writer, configName, Config);
        var manifest = new JsonArray(new JsonObject { ["Config"] = configName, ["RepoTags"] = new JsonArray((JsonNode)repoTag), ["Layers"] = layerPaths });
        AddFile(writer, "manifest.json", Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        var (repository, tag) = (repoTag.Split(':')[0], repoTag.Split(':')[1]);
        AddFile(writer, "repositories", Encoding.UTF8.GetBytes($"{{\"{repository}\":{{\"{tag}\":\"{layerPaths[^1]!.GetValue<string>().Split('/')[0]}\"}}}}"));
    }

    /// <summary>
    /// What <c>dotnet publish /t:PublishContainer -p:ContainerArchiveOutputPath=….tar.gz</c> writes for a
    /// Docker base image: a plain PAX tar despite the name, gzip layers stored as &lt;compressed-hex&gt;/layer.tar.
    /// </summary>
    public void WriteSdkDockerArchive(string path, string repoTag = "app:1.0")
    {
        using var file = File.Create(path);
        using var writer = new TarWriter(file, TarEntryFormat.Pax);
        var layerPaths = new JsonArray();
        foreach (var layer in Layers)
        {
            var entry = Sha(layer.Gzip)["sha256:".Length..] + "/layer.tar";
            AddFile(writer, entry, layer.Gzip, pax: true);
            layerPaths.Add(entry);
        }

        var configName = ConfigDigest["sha256:".Length..] + ".json";
        AddFile(writer, configName, Config, pax: true);
        var manifest = new JsonArray(new JsonObject { ["Config"] = configName, ["RepoTags"] = new JsonArray((JsonNode)repoTag), ["Layers"] = layerPaths });
        AddFile(writer, "manifest.json", Encoding.UTF8.GetBytes(manifest.ToJsonString()), pax: true);
    }

    /// <summary>Packs a folder into a tar (optionally gzip-compressed), as `tar -C dir -c .` would.</summary>
    public static void Pack(string directory, string tarPath, bool gzip)
    {
        using var file = File.Create(tarPath);
        using Stream output = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        TarFile.CreateFromDirectory(directory, output, includeBaseDirectory: false);
    }

    public static string Sha(byte[] content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    public static JsonObject Descriptor(string mediaType, byte[] content, string? refName = null)
    {
        var descriptor = new JsonObject { ["mediaType"] = mediaType, ["digest"] = Sha(content), ["size"] = content.Length };
        if (refName is not null)
        {
            descriptor["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = refName };
        }

        return descriptor;
    }

    public static string BlobPath(string directory, string digest) => Path.Combine(directory, "blobs", "sha256", digest["sha256:".Length..]);

    private void WriteBlobs(string directory, byte[] manifest)
    {
        WriteBlob(directory, Config);
        foreach (var layer in Layers)
        {
            WriteBlob(directory, layer.Gzip);
        }

        WriteBlob(directory, manifest);
    }

    private static void WriteBlob(string directory, byte[] content)
    {
        var path = BlobPath(directory, Sha(content));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }

    private static void WriteIndex(string directory, IEnumerable<JsonObject> manifests)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "oci-layout"), "{\"imageLayoutVersion\": \"1.0.0\"}");
        var index = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = MediaTypes.OciIndex, ["manifests"] = new JsonArray(manifests.Select(m => (JsonNode)m).ToArray()) };
        File.WriteAllBytes(Path.Combine(directory, "index.json"), Json(index, indented: true));
    }

    private static byte[] Json(JsonNode node, bool indented) =>
        Encoding.UTF8.GetBytes(node.ToJsonString(new JsonSerializerOptions { WriteIndented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

    private static void AddFile(TarWriter writer, string name, byte[] content, bool pax = false)
    {
        using var data = new MemoryStream(content);
        TarEntry entry = pax ? new PaxTarEntry(TarEntryType.RegularFile, name) : new UstarTarEntry(TarEntryType.RegularFile, name);
        entry.DataStream = data;
        writer.WriteEntry(entry);
    }
}

/// <summary>A layer: the uncompressed tar (whose sha256 is the diff_id) and its gzip blob.</summary>
internal sealed record TestLayer(byte[] Tar, byte[] Gzip)
{
    public static TestLayer Create(string fileName, byte[] content)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            using var data = new MemoryStream(content);
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, fileName) { DataStream = data, ModificationTime = DateTimeOffset.UnixEpoch });
        }

        using var gzip = new MemoryStream();
        using (var compressor = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true))
        {
            compressor.Write(tar.ToArray());
        }

        return new TestLayer(tar.ToArray(), gzip.ToArray());
    }
}
