using Handoff.SupplyChain.Input;
using YamlDotNet.RepresentationModel;

namespace Handoff.SupplyChain.Scanning;

/// <summary>What the gate does with a finding of a given severity.</summary>
public enum SeverityAction
{
    /// <summary>Blocks, with or without a fixed version ("block even without a fix").</summary>
    Block,
    /// <summary>Blocks when a fixed version exists (or the source cannot tell); warns otherwise.</summary>
    BlockFixable,
    Warn,
    /// <summary>Counted, not listed.</summary>
    Ignore,
}

/// <summary>What happens when no scan source produced data at all.</summary>
public enum NoScanAction
{
    Block,
    Warn,
}

/// <summary>
/// The gate policy of an app repository, <c>.handoff/scan.yaml</c>. Absent file: CRITICAL and HIGH
/// findings with a fix block, everything else warns, and a gate with no scan data blocks.
/// </summary>
public sealed record ScanPolicy
{
    public const string DefaultPath = ".handoff/scan.yaml";

    public static ScanPolicy Default { get; } = new();

    public IReadOnlyDictionary<Severity, SeverityAction> Actions { get; init; } = new Dictionary<Severity, SeverityAction>
    {
        [Severity.Critical] = SeverityAction.BlockFixable,
        [Severity.High] = SeverityAction.BlockFixable,
        [Severity.Medium] = SeverityAction.Warn,
        [Severity.Low] = SeverityAction.Warn,
        [Severity.Unknown] = SeverityAction.Warn,
    };

    /// <summary>Like trivy's --ignore-unfixed: findings without a fix neither block nor warn (they are still counted).</summary>
    public bool IgnoreUnfixed { get; init; }

    public NoScanAction WhenNoScanRan { get; init; } = NoScanAction.Block;

    /// <summary>Where it came from, for messages ("defaults" when there was no file).</summary>
    public string Origin { get; init; } = "defaults";

    public SeverityAction ActionFor(Severity severity) => Actions.TryGetValue(severity, out var action) ? action : SeverityAction.Warn;

    public static string ActionWord(SeverityAction action) => action switch
    {
        SeverityAction.Block => "block",
        SeverityAction.BlockFixable => "block-fixable",
        SeverityAction.Warn => "warn",
        _ => "ignore",
    };

    public static string Describe(SeverityAction action) => action switch
    {
        SeverityAction.Block => "blocks",
        SeverityAction.BlockFixable => "blocks when fixable",
        SeverityAction.Warn => "warns",
        _ => "ignored",
    };
}

/// <summary>Reads <c>.handoff/scan.yaml</c>; every mistake names file:line:column and the fix.</summary>
public static class ScanPolicyLoader
{
    private const string Fix = "See 'Scan gate policy' in src/Handoff.SupplyChain/README.md for the schema.";
    private static readonly string[] TopKeys = ["version", "severities", "ignoreUnfixed", "whenNoScanRan"];
    private static readonly string[] SeverityKeys = ["critical", "high", "medium", "low", "unknown"];

    /// <summary>The policy in <paramref name="path"/>, or the defaults when the file does not exist.</summary>
    public static ScanPolicy Load(string path)
    {
        if (!File.Exists(path))
        {
            return ScanPolicy.Default;
        }

        var root = YamlInput.LoadMapping(path, Fix);
        if (root is null)
        {
            return ScanPolicy.Default with { Origin = path };
        }

        var actions = new Dictionary<Severity, SeverityAction>(ScanPolicy.Default.Actions);
        var policy = ScanPolicy.Default with { Origin = path };
        foreach (var (key, _, value) in YamlInput.Entries(path, root, TopKeys, "scan policy"))
        {
            switch (key)
            {
                case "version":
                    var version = YamlInput.Scalar(path, value, "version", "Write version: 1.");
                    if (version != "1")
                    {
                        throw YamlInput.Error(path, value, $"version is '{version}'; this Handoff reads version 1.", "Write version: 1.");
                    }

                    break;
                case "severities":
                    if (value is not YamlMappingNode severities)
                    {
                        throw YamlInput.Error(path, value, "severities must be a mapping of severity to action.", "For example:\n  severities:\n    critical: block\n    high: block-fixable");
                    }

                    foreach (var (severityKey, _, actionNode) in YamlInput.Entries(path, severities, SeverityKeys, "severities"))
                    {
                        Severities.TryParse(severityKey, out var severity);
                        actions[severity] = ParseAction(path, actionNode);
                    }

                    break;
                case "ignoreUnfixed":
                    policy = policy with { IgnoreUnfixed = YamlInput.Boolean(path, value, "ignoreUnfixed") };
                    break;
                case "whenNoScanRan":
                    var text = YamlInput.Scalar(path, value, "whenNoScanRan", "Write block or warn.");
                    policy = policy with
                    {
                        WhenNoScanRan = text switch
                        {
                            "block" => NoScanAction.Block,
                            "warn" => NoScanAction.Warn,
                            _ => throw YamlInput.Error(path, value, $"whenNoScanRan is '{text}'.", "Write block or warn."),
                        },
                    };
                    break;
            }
        }

        return policy with { Actions = actions };
    }

    private static SeverityAction ParseAction(string path, YamlNode node)
    {
        const string fix = "Use block (even without a fix), block-fixable (only when a fixed version exists), warn or ignore.";
        var text = YamlInput.Scalar(path, node, "the action", fix);
        return text switch
        {
            "block" => SeverityAction.Block,
            "block-fixable" => SeverityAction.BlockFixable,
            "warn" => SeverityAction.Warn,
            "ignore" => SeverityAction.Ignore,
            _ => throw YamlInput.Error(path, node, $"'{text}' is not an action.", fix),
        };
    }
}
