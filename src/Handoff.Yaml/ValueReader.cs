using Handoff.Yaml.Paths;
using Handoff.Yaml.Tree;

namespace Handoff.Yaml;

/// <summary>Reads effective values: aliases and merge keys are followed, YAML null reads as null.</summary>
internal static class ValueReader
{
    public static string? Scalar(Node node, string display, string fileName) => MappingLookup.Dereference(node) switch
    {
        ScalarNode { IsNull: true } => null,
        ScalarNode scalar => scalar.Value,
        var other => throw new YamlEditException(fileName, other.Line, other.Column,
            $"`{display}` is {other.KindName}, not a single value.",
            $"Fix: check the path; `{display}` should hold a plain value such as a tag or digest."),
    };

    /// <summary>The value of <paramref name="key"/> in the mapping (own, else merged), or null when absent or null.</summary>
    public static string? Key(MappingNode mapping, string key, string display, string fileName)
    {
        var own = MappingLookup.Find(mapping, key, out var duplicate);
        if (own is { } first && duplicate is { } second)
        {
            throw WriteGuard.Duplicate(first, second, key, display, fileName);
        }

        var entry = own ?? MappingLookup.FindMerged(mapping, key);
        return entry is { } found ? Scalar(found.Value, WriteGuard.Join(display, key), fileName) : null;
    }

    /// <summary>The mapping at a path for reading keys from; null for an empty (null) value.</summary>
    public static MappingNode? Mapping(PathStep step, string fileName, string expected) => MappingLookup.Dereference(step.Value) switch
    {
        MappingNode mapping => mapping,
        ScalarNode { IsNull: true } => null,
        var other => throw new YamlEditException(fileName, other.Line, other.Column,
            $"{WriteGuard.Where(step.Display)} is {WriteGuard.Describe(other)}, not a mapping with {expected}.",
            $"Fix: point the path at the mapping that holds {expected}."),
    };
}
