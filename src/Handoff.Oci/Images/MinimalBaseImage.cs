using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Handoff.Oci;

/// <summary>Options for <see cref="MinimalBaseImage"/>.</summary>
public sealed record MinimalBaseImageOptions
{
    /// <summary>One platform gives an image; several give an index of one image per platform.</summary>
    public IReadOnlyList<OciPlatform> Platforms { get; init; } = [new OciPlatform("linux", "amd64")];

    /// <summary>The non-root user the image declares (and the .NET SDK runs the app as, through APP_UID).</summary>
    public string UserName { get; init; } = "app";

    public int UserId { get; init; } = 1654;

    /// <summary>Docker v2 schema 2 media types instead of OCI ones.</summary>
    public bool DockerMediaTypes { get; init; }
}

/// <summary>
/// A tiny base image built byte-for-byte deterministically: one layer with <c>/etc/passwd</c> and
/// <c>/etc/group</c> (root and a non-root app user), <c>/home/&lt;user&gt;</c>, <c>/root</c> and <c>/tmp</c>,
/// and a config declaring os, architecture, the user and <c>APP_UID</c>. It has no runtime: it is what
/// the .NET SDK's <c>ContainerBaseImage</c> can build on when the default base images cannot be pulled
/// (no network), and the result runs when the app is published self-contained.
/// </summary>
public static class MinimalBaseImage
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    /// <summary>Writes the image as an OCI image layout folder and returns the digest of its root manifest.</summary>
    public static Digest WriteLayout(string directory, MinimalBaseImageOptions? options = null, string? refName = null)
    {
        var image = Build(options ?? new MinimalBaseImageOptions());
        Directory.CreateDirectory(directory);
        foreach (var (digest, content) in image.Blobs)
        {
            var path = Path.Combine(directory, "blobs", digest.Algorithm, digest.Hex);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.WriteAllBytes(path, content);
        }

        var rootDescriptor = image.Root.ToDescriptor() with
        {
            Annotations = refName is null ? null : new Dictionary<string, string> { [OciLayoutReader.RefNameAnnotation] = refName },
        };
        AtomicFile.WriteAllBytes(Path.Combine(directory, "index.json"), OciManifest.CreateIndex(MediaTypes.OciIndex, [rootDescriptor]).Content.ToArray());
        AtomicFile.WriteAllText(Path.Combine(directory, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return image.Root.Digest;
    }

    /// <summary>Builds the image and pushes it to <paramref name="target"/> (e.g. <c>127.0.0.1:5000/base:1</c>).</summary>
    public static async Task<PushResult> PushAsync(RegistryClient client, ImageReference target, MinimalBaseImageOptions? options = null, CancellationToken cancellationToken = default)
    {
        var directory = Path.Combine(Path.GetTempPath(), "handoff-base-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            WriteLayout(directory, options);
            using var archive = OciImageArchive.Open(directory);
            return await new ImagePusher(client).PushAsync(archive, target, cancellationToken: cancellationToken);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static BuiltImage Build(MinimalBaseImageOptions options)
    {
        if (options.Platforms.Count == 0)
        {
            throw new ArgumentException("At least one platform is required.", nameof(options));
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(options.UserName, "^[a-z_][a-z0-9_-]{0,31}$"))
        {
            throw new ArgumentException($"'{options.UserName}' is not a valid user name (lowercase letters, digits, '_' and '-').", nameof(options));
        }

        var blobs = new Dictionary<Digest, byte[]>();
        var (layer, diffId) = BuildLayer(options);
        var layerDescriptor = new OciDescriptor(options.DockerMediaTypes ? MediaTypes.DockerLayerGzip : MediaTypes.OciLayerGzip, Digest.Sha256(layer), layer.Length);
        blobs[layerDescriptor.Digest] = layer;

        var manifests = new List<OciDescriptor>();
        OciManifest? single = null;
        foreach (var platform in options.Platforms.Distinct())
        {
            var config = BuildConfig(platform, diffId, options);
            var configDescriptor = new OciDescriptor(options.DockerMediaTypes ? MediaTypes.DockerConfig : MediaTypes.OciConfig, Digest.Sha256(config), config.Length);
            blobs[configDescriptor.Digest] = config;
            single = OciManifest.CreateImage(options.DockerMediaTypes ? MediaTypes.DockerManifest : MediaTypes.OciManifest, configDescriptor, [layerDescriptor]);
            blobs[single.Digest] = single.Content.ToArray();
            manifests.Add(single.ToDescriptor(platform));
        }

        var root = manifests.Count == 1
            ? single!
            : OciManifest.CreateIndex(options.DockerMediaTypes ? MediaTypes.DockerManifestList : MediaTypes.OciIndex, manifests);
        blobs[root.Digest] = root.Content.ToArray();
        return new BuiltImage(root, blobs);
    }

    private static (byte[] Gzip, Digest DiffId) BuildLayer(MinimalBaseImageOptions options)
    {
        var uid = options.UserId;
        var user = options.UserName;
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            AddDirectory(writer, "etc/", 0, (UnixFileMode)0b111_101_101);
            AddFile(writer, "etc/group", $"root:x:0:\n{user}:x:{uid}:\n");
            AddFile(writer, "etc/passwd", $"root:x:0:0:root:/root:/sbin/nologin\n{user}:x:{uid}:{uid}:{user}:/home/{user}:/sbin/nologin\n");
            AddDirectory(writer, "home/", 0, (UnixFileMode)0b111_101_101);
            AddDirectory(writer, $"home/{user}/", uid, (UnixFileMode)0b111_000_000);
            AddDirectory(writer, "root/", 0, (UnixFileMode)0b111_000_000);
            AddDirectory(writer, "tmp/", 0, (UnixFileMode)0b111_111_111 | UnixFileMode.StickyBit);
        }

        var raw = tar.ToArray();
        using var gzip = new MemoryStream();
        // Stored (level 0) deflate blocks: the bytes cannot change with the zlib version, and the layer is a few KiB anyway.
        using (var compressor = new DeterministicGzipStream(gzip, CompressionLevel.NoCompression, leaveOpen: true))
        {
            compressor.Write(raw);
        }

        return (gzip.ToArray(), Digest.Sha256(raw));
    }

    private static void AddDirectory(TarWriter writer, string name, int owner, UnixFileMode mode) =>
        writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, name) { Mode = mode, Uid = owner, Gid = owner, ModificationTime = Epoch, UserName = "", GroupName = "" });

    private static void AddFile(TarWriter writer, string name, string content)
    {
        using var data = new MemoryStream(Encoding.UTF8.GetBytes(content));
        writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            Uid = 0,
            Gid = 0,
            ModificationTime = Epoch,
            UserName = "",
            GroupName = "",
            DataStream = data,
        });
    }

    private static byte[] BuildConfig(OciPlatform platform, Digest diffId, MinimalBaseImageOptions options) => JsonExtensions.Write(writer =>
    {
        const string created = "1970-01-01T00:00:00Z";
        writer.WriteStartObject();
        writer.WriteString("architecture", platform.Architecture);
        writer.WriteString("os", platform.Os);
        if (platform.OsVersion is not null)
        {
            writer.WriteString("os.version", platform.OsVersion);
        }

        if (platform.Variant is not null)
        {
            writer.WriteString("variant", platform.Variant);
        }

        writer.WriteString("created", created);
        writer.WriteStartObject("config");
        writer.WriteString("User", options.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteStartArray("Env");
        writer.WriteStringValue("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        writer.WriteStringValue($"APP_UID={options.UserId}");
        writer.WriteEndArray();
        writer.WriteString("WorkingDir", "/");
        writer.WriteEndObject();
        writer.WriteStartObject("rootfs");
        writer.WriteString("type", "layers");
        writer.WriteStartArray("diff_ids");
        writer.WriteStringValue(diffId.ToString());
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteStartArray("history");
        writer.WriteStartObject();
        writer.WriteString("created", created);
        writer.WriteString("created_by", $"handoff minimal base image: /etc/passwd and /etc/group with user {options.UserName} ({options.UserId}), /home/{options.UserName}, /root, /tmp");
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private sealed record BuiltImage(OciManifest Root, Dictionary<Digest, byte[]> Blobs);
}
