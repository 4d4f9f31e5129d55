using System.Globalization;
using Handoff.SupplyChain.Input;
using YamlDotNet.RepresentationModel;

namespace Handoff.SupplyChain.Scanning;

/// <summary>One approved exception: a vulnerability id (optionally for one package) accepted until a date.</summary>
public sealed record AllowlistEntry
{
    public required string Id { get; init; }
    public string? Package { get; init; }
    public required string Reason { get; init; }
    public required DateOnly Expires { get; init; }
    public required string ApprovedBy { get; init; }
    public required string File { get; init; }
    public required int Line { get; init; }

    public string Location => $"{File}:{Line}";

    /// <summary>An entry is valid through its expiry day and expired from the next day on.</summary>
    public bool IsExpired(DateOnly today) => today > Expires;

    public bool Matches(Finding finding) =>
        string.Equals(Id, finding.Id, StringComparison.OrdinalIgnoreCase)
        && (Package is null || string.Equals(Package, finding.Package, StringComparison.OrdinalIgnoreCase));

    public string Describe() => Package is null ? Id : $"{Id} in {Package}";
}

/// <summary>The exceptions of <c>.handoff/scan-allowlist.yaml</c>; the only way to let a blocking finding through.</summary>
public sealed record ScanAllowlist(IReadOnlyList<AllowlistEntry> Entries, string? File)
{
    public const string DefaultPath = ".handoff/scan-allowlist.yaml";

    public static ScanAllowlist Empty { get; } = new([], null);
}

/// <summary>
/// Reads the allowlist. Format:
/// <code>
/// allow:
///   - id: CVE-2019-1549          # required
///     package: libssl1.1         # optional: only this package
///     reason: not reachable ...  # required
///     expires: 2026-12-31        # required, YYYY-MM-DD
///     approvedBy: jane@corp      # required
/// </code>
/// </summary>
public static class ScanAllowlistLoader
{
    private const string Fix = "See 'Scan allowlist' in src/Handoff.SupplyChain/README.md for the format.";
    private static readonly string[] TopKeys = ["allow"];
    private static readonly string[] EntryKeys = ["id", "package", "reason", "expires", "approvedBy"];

    public static ScanAllowlist Load(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            return ScanAllowlist.Empty;
        }

        var root = YamlInput.LoadMapping(path, Fix);
        if (root is null)
        {
            return new ScanAllowlist([], path);
        }

        var entries = new List<AllowlistEntry>();
        foreach (var (_, _, value) in YamlInput.Entries(path, root, TopKeys, "scan allowlist"))
        {
            if (value is YamlScalarNode { Value: null or "" })
            {
                continue;
            }

            if (value is not YamlSequenceNode list)
            {
                throw YamlInput.Error(path, value, "'allow' must be a list of entries, each starting with '- id: ...'.", Fix);
            }

            foreach (var item in list.Children)
            {
                entries.Add(ParseEntry(path, item));
            }
        }

        return new ScanAllowlist(entries, path);
    }

    private static AllowlistEntry ParseEntry(string path, YamlNode node)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw YamlInput.Error(path, node, "an allowlist entry must be a mapping with id, reason, expires and approvedBy.",
                "For example:\n  - id: CVE-2024-1234\n    reason: not reachable from our code\n    expires: 2026-12-31\n    approvedBy: security@example.com");
        }

        var values = new Dictionary<string, (string Value, YamlNode Node)>(StringComparer.Ordinal);
        foreach (var (key, _, value) in YamlInput.Entries(path, mapping, EntryKeys, "allowlist entry"))
        {
            values[key] = (YamlInput.Scalar(path, value, $"'{key}'", $"Give {key} a value."), value);
        }

        var missing = new[] { "id", "reason", "expires", "approvedBy" }.Where(k => !values.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            var id = values.TryGetValue("id", out var idValue) ? $" ({idValue.Value})" : "";
            throw YamlInput.Error(path, node, $"allowlist entry{id} lacks {string.Join(", ", missing)}.",
                "Every exception needs id, reason, expires (YYYY-MM-DD) and approvedBy; package is optional.");
        }

        var (expiresText, expiresNode) = values["expires"];
        if (!DateOnly.TryParseExact(expiresText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var expires))
        {
            throw YamlInput.Error(path, expiresNode, $"expires is '{expiresText}', not a date.", "Write the date as YYYY-MM-DD, e.g. expires: 2026-12-31.");
        }

        return new AllowlistEntry
        {
            Id = values["id"].Value,
            Package = values.TryGetValue("package", out var package) ? package.Value : null,
            Reason = values["reason"].Value,
            Expires = expires,
            ApprovedBy = values["approvedBy"].Value,
            File = path,
            Line = YamlInput.Line(node.Start),
        };
    }
}
