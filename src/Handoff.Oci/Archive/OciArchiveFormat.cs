namespace Handoff.Oci;

/// <summary>How the image is described inside the archive.</summary>
public enum OciArchiveFormat
{
    /// <summary>OCI image layout: <c>oci-layout</c>, <c>index.json</c>, <c>blobs/&lt;alg&gt;/&lt;hex&gt;</c> (buildx, buildah, ko, jib, the .NET SDK with an OCI base).</summary>
    OciLayout,
    /// <summary><c>docker save</c>'s format: <c>manifest.json</c> with Config/Layers/RepoTags (kaniko, jib docker format, the .NET SDK with a Docker base).</summary>
    DockerArchive,
}

/// <summary>What holds the files.</summary>
public enum OciArchiveContainer
{
    Directory,
    Tar,
    TarGzip,
}
