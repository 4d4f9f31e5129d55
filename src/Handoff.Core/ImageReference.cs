using System.Text.RegularExpressions;

namespace Handoff;

/// <summary>
/// An image reference in the grammar of the distribution project (<c>[host[:port]/]path[:tag][@digest]</c>),
/// normalised the way Docker does: no host means <c>docker.io</c>, and a one-component Docker Hub
/// path gets the <c>library/</c> prefix.
/// </summary>
public sealed partial record ImageReference
{
    public const string DockerHub = "docker.io";

    public ImageReference(string registry, string repository, string? tag = null, Digest? digest = null)
    {
        ValidateRegistry(registry);
        ValidateRepository(repository);
        if (tag is not null)
        {
            ValidateTag(tag);
        }

        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    public string Registry { get; }
    public string Repository { get; }
    public string? Tag { get; }
    public Digest? Digest { get; }

    /// <summary><c>registry/repository</c>, the name without tag or digest.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>The immutable form, <c>registry/repository@sha256:…</c>; requires a digest.</summary>
    public string Pinned => Digest is { } d
        ? $"{Name}@{d}"
        : throw new InvalidOperationException($"{this} has no digest to pin.");

    /// <summary>The tag when there is one, else the digest: what a registry calls the manifest "reference".</summary>
    public string ManifestReference => Digest?.ToString() ?? Tag ?? "latest";

    public ImageReference WithDigest(Digest digest) => new(Registry, Repository, Tag, digest);

    public ImageReference WithTag(string? tag) => new(Registry, Repository, tag, Digest);

    public ImageReference WithDigestRemoved() => new(Registry, Repository, Tag, null);

    public override string ToString()
    {
        var text = Name;
        if (Tag is not null)
        {
            text += ":" + Tag;
        }

        if (Digest is { } d)
        {
            text += "@" + d;
        }

        return text;
    }

    public static ImageReference Parse(string value) =>
        TryParse(value, out var reference, out var error) ? reference! : throw new FormatException(error);

    public static bool TryParse(string? value, out ImageReference? reference, out string error)
    {
        reference = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "An image reference is required, for example registry.example.com/team/app:1.2.3.";
            return false;
        }

        var rest = value.Trim();
        Digest? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            if (!Handoff.Digest.TryParse(rest[(at + 1)..], out var d, out var digestError))
            {
                error = $"Image reference '{value}': {digestError}";
                return false;
            }

            digest = d;
            rest = rest[..at];
        }

        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var lastColon = rest.LastIndexOf(':');
        if (lastColon > lastSlash)
        {
            tag = rest[(lastColon + 1)..];
            rest = rest[..lastColon];
        }

        string registry;
        string repository;
        var firstSlash = rest.IndexOf('/');
        var first = firstSlash < 0 ? null : rest[..firstSlash];
        if (first is not null && (first.Contains('.') || first.Contains(':') || first == "localhost" || first.Any(char.IsUpper)))
        {
            registry = first;
            repository = rest[(firstSlash + 1)..];
        }
        else
        {
            registry = DockerHub;
            repository = rest;
        }

        if (registry is DockerHub or "index.docker.io" or "registry-1.docker.io")
        {
            registry = DockerHub;
            if (!repository.Contains('/'))
            {
                repository = "library/" + repository;
            }
        }

        if (!IsValidRegistry(registry, out error) || !IsValidRepository(repository, out error) || (tag is not null && !IsValidTag(tag, out error)))
        {
            error = $"Image reference '{value}': {error}";
            return false;
        }

        reference = new ImageReference(registry, repository, tag, digest);
        error = "";
        return true;
    }

    public static void ValidateRegistry(string registry)
    {
        if (!IsValidRegistry(registry, out var error))
        {
            throw new FormatException(error);
        }
    }

    public static void ValidateRepository(string repository)
    {
        if (!IsValidRepository(repository, out var error))
        {
            throw new FormatException(error);
        }
    }

    public static void ValidateTag(string tag)
    {
        if (!IsValidTag(tag, out var error))
        {
            throw new FormatException(error);
        }
    }

    public static bool IsValidRegistry(string registry, out string error)
    {
        if (RegistryPattern().IsMatch(registry))
        {
            error = "";
            return true;
        }

        error = $"'{registry}' is not a registry host: expected HOST or HOST:PORT, e.g. ghcr.io or 127.0.0.1:5000.";
        return false;
    }

    public static bool IsValidRepository(string repository, out string error)
    {
        if (repository.Length is > 0 and <= 255 && RepositoryPattern().IsMatch(repository))
        {
            error = "";
            return true;
        }

        error = $"'{repository}' is not a valid repository name: use lowercase letters and digits separated by '.', '_', '__' or '-', " +
                "with '/' between path components (OCI distribution grammar [a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*), at most 255 characters.";
        return false;
    }

    public static bool IsValidTag(string tag, out string error)
    {
        if (TagPattern().IsMatch(tag))
        {
            error = "";
            return true;
        }

        error = $"'{tag}' is not a valid tag: a tag is 1 to 128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-' (OCI grammar [a-zA-Z0-9_][a-zA-Z0-9._-]{{0,127}}).";
        return false;
    }

    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]{1,5})?$")]
    private static partial Regex RegistryPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$")]
    private static partial Regex TagPattern();
}
