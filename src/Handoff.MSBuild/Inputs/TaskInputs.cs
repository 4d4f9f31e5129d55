using System.Globalization;
using Microsoft.Build.Framework;

namespace Handoff.MSBuild;

/// <summary>
/// Reads task parameters: trims them, splits lists, and validates names and digests before anything
/// touches a file or the network, with errors that name the parameter and show a valid value.
/// </summary>
internal static class TaskInputs
{
    private static readonly char[] ListSeparators = [';', ','];

    public static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public static string Require(string? value, string parameter, string example) =>
        Optional(value) ?? throw new TaskParameterException($"{parameter} is required: {example}");

    /// <summary>
    /// The values of an item list; an item may itself hold a comma- or semicolon-separated list, as
    /// DOTNET_CONTAINER_INSECURE_REGISTRIES does. Order kept, duplicates dropped.
    /// </summary>
    public static IReadOnlyList<string> List(ITaskItem[]? items) =>
        items is null
            ? []
            : items.SelectMany(i => i.ItemSpec.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Distinct(StringComparer.Ordinal)
                .ToList();

    public static string Registry(string? value, string parameter)
    {
        var registry = Require(value, parameter, "the registry host, e.g. ghcr.io or 127.0.0.1:5000.");
        return ImageReference.IsValidRegistry(registry, out var error) ? registry : throw new TaskParameterException($"{parameter}: {error}");
    }

    public static string Repository(string? value, string parameter)
    {
        var repository = Require(value, parameter, "the image repository without the registry, e.g. team/app.");
        if (ImageReference.IsValidRepository(repository, out var error))
        {
            return repository;
        }

        var first = repository.Split('/')[0];
        var hostHint = repository.Contains('/') && (first.Contains(':') || first.Contains('.') || first == "localhost")
            ? $" '{first}' looks like a registry host: pass it as the registry, and only the path after it as {parameter}."
            : "";
        throw new TaskParameterException($"{parameter}: {error}{hostHint}");
    }

    public static string? Tag(string? value, string parameter)
    {
        var tag = Optional(value);
        return tag is null || ImageReference.IsValidTag(tag, out var error) ? tag : throw new TaskParameterException($"{parameter}: {error}");
    }

    public static Digest Digest(string? value, string parameter)
    {
        var text = Require(value, parameter, "the digest to pin, sha256:<64 lowercase hex characters> (HandoffPushImage's or HandoffCaptureDigest's Digest output).");
        return Handoff.Digest.TryParse(text, out var digest, out var error) ? digest : throw new TaskParameterException($"{parameter}: {error}");
    }

    public static Digest? OptionalDigest(string? value, string parameter) => Optional(value) is null ? null : Digest(value, parameter);

    public static ImageReference Image(string? value, string parameter, string example)
    {
        var text = Require(value, parameter, example);
        return ImageReference.TryParse(text, out var reference, out var error) ? reference! : throw new TaskParameterException($"{parameter}: {error}");
    }

    public static int? NonNegativeInt(string? value, string parameter)
    {
        var text = Optional(value);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new TaskParameterException($"{parameter}: '{text}' is not a number: pass a whole number from 0 up, or leave it empty.");
    }

    public static DateTimeOffset? Timestamp(string? value, string parameter)
    {
        var text = Optional(value);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUniversalTime()
            : throw new TaskParameterException($"{parameter}: '{text}' is not a timestamp: use ISO 8601, e.g. $([System.DateTime]::UtcNow.ToString('o')).");
    }

    /// <summary>A path relative to the project directory (MSBuild's current directory while a project builds), made absolute.</summary>
    public static string FullPath(string path) => Path.GetFullPath(path);
}
