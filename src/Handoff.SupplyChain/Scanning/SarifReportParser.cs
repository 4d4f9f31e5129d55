using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Handoff.SupplyChain.Input;

namespace Handoff.SupplyChain.Scanning;

/// <summary>
/// SARIF 2.1.0 from any tool, one <see cref="ScanSource"/> per run. Severity comes from the
/// <c>security-severity</c> score (result, then rule), then severity tags, then the SARIF level.
/// Package, installed and fixed versions come from properties or, as Trivy writes them, the message.
/// </summary>
public static partial class SarifReportParser
{
    internal const string Fix = "Give a SARIF 2.1.0 file (for example `trivy image --format sarif`).";

    public static IReadOnlyList<ScanSource> Parse(string path) => Parse(JsonInput.Load(path, "SARIF report", Fix), path);

    internal static IReadOnlyList<ScanSource> Parse(JsonNode root, string path)
    {
        var version = JsonInput.String(root, "version");
        if (version != "2.1.0")
        {
            throw new InputFileException(path, 0, 0, $"SARIF version is '{version ?? "(missing)"}'; Handoff reads SARIF 2.1.0.", Fix);
        }

        var runs = JsonInput.Array(root, "runs") ?? throw new InputFileException(path, 0, 0, "SARIF file has no 'runs' array.", Fix);
        var sources = new List<ScanSource>(runs.Count);
        for (var i = 0; i < runs.Count; i++)
        {
            sources.Add(ParseRun(runs[i], path, i, runs.Count));
        }

        return sources;
    }

    private static ScanSource ParseRun(JsonNode? run, string path, int index, int runCount)
    {
        var driver = JsonInput.Object(JsonInput.Object(run, "tool"), "driver");
        var tool = JsonInput.String(driver, "name") ?? throw new InputFileException(path, 0, 0, $"runs[{index}].tool.driver.name is missing.", Fix);
        var name = $"SARIF {Path.GetFileName(path)}" + (runCount > 1 ? $" run {index + 1} ({tool})" : $" ({tool})");

        var failure = ExecutionFailure(run);
        if (failure is not null)
        {
            return ScanSource.DidNotRun(name, tool, failure);
        }

        var rules = JsonInput.Array(driver, "rules") ?? [];
        var rulesById = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (JsonInput.String(rule, "id") is { } id)
            {
                rulesById.TryAdd(id, rule);
            }
        }

        var findings = new List<Finding>();
        var suppressedInFile = new List<string>();
        var results = JsonInput.Array(run, "results") ?? [];
        for (var r = 0; r < results.Count; r++)
        {
            var result = results[r];
            var rule = RuleOf(result, rules, rulesById);
            var id = JsonInput.String(result, "ruleId") ?? JsonInput.String(rule, "id")
                     ?? throw new InputFileException(path, 0, 0, $"runs[{index}].results[{r}] names no rule (ruleId).", Fix);
            var message = JsonInput.String(JsonInput.Object(result, "message"), "text") ?? "";
            var properties = JsonInput.Object(result, "properties");
            var ruleProperties = JsonInput.Object(rule, "properties");

            var (fix, fixedVersion) = FixOf(properties, message);
            var (target, line) = LocationOf(result);

            // A suppression inside the report is the scanner user's say-so, with no reason, expiry or approver:
            // the finding is gated like any other, and the allowlist is the one place exceptions are granted.
            if (JsonInput.Array(result, "suppressions") is { Count: > 0 })
            {
                suppressedInFile.Add(id);
            }

            findings.Add(new Finding
            {
                Id = id,
                Package = Property(properties, "PkgName", "packageName", "package") ?? MessageField(message, "Package"),
                InstalledVersion = Property(properties, "InstalledVersion", "installedVersion") ?? MessageField(message, "Installed Version"),
                FixedVersion = fixedVersion,
                Fix = fix,
                Severity = SeverityOf(result, properties, ruleProperties, rule),
                Title = JsonInput.String(JsonInput.Object(rule, "shortDescription"), "text") ?? FirstLine(message),
                Url = JsonInput.String(rule, "helpUri"),
                Target = target,
                Tool = tool,
                Line = line,
            });
        }

        var notes = suppressedInFile.Count > 0
            ? new[]
            {
                $"ignored the in-SARIF suppression of {suppressedInFile.Count} result(s) ({string.Join(", ", suppressedInFile.Distinct().Take(10))}{(suppressedInFile.Distinct().Count() > 10 ? ", …" : "")}): " +
                $"they are gated like any finding. To accept one, add an entry to {ScanAllowlist.DefaultPath} (id, package, reason, expires, approvedBy).",
            }
            : [];
        return new ScanSource { Name = name, Tool = tool, Ran = true, Findings = findings, Notes = notes };
    }

    private static string? ExecutionFailure(JsonNode? run)
    {
        foreach (var invocation in JsonInput.Array(run, "invocations") ?? [])
        {
            if (invocation?["executionSuccessful"] is JsonValue v && v.TryGetValue<bool>(out var ok) && !ok)
            {
                var notification = JsonInput.Array(invocation, "toolExecutionNotifications")?
                    .Select(n => JsonInput.String(JsonInput.Object(n, "message"), "text"))
                    .FirstOrDefault(t => !string.IsNullOrWhiteSpace(t));
                return "the run reports executionSuccessful: false" + (notification is null ? "" : $" ({notification})");
            }
        }

        return null;
    }

    private static JsonNode? RuleOf(JsonNode? result, JsonArray rules, Dictionary<string, JsonNode?> rulesById)
    {
        if (result?["ruleIndex"] is JsonValue index && index.TryGetValue<int>(out var i) && i >= 0 && i < rules.Count)
        {
            return rules[i];
        }

        return JsonInput.String(result, "ruleId") is { } id && rulesById.TryGetValue(id, out var rule) ? rule : null;
    }

    private static Severity SeverityOf(JsonNode? result, JsonObject? properties, JsonObject? ruleProperties, JsonNode? rule)
    {
        var score = JsonInput.Number(properties, "security-severity") ?? JsonInput.Number(ruleProperties, "security-severity");
        if (score is { } s)
        {
            return Severities.FromScore(s);
        }

        foreach (var tags in new[] { JsonInput.Array(properties, "tags"), JsonInput.Array(ruleProperties, "tags") })
        {
            foreach (var tag in tags ?? [])
            {
                if (tag is JsonValue t && t.TryGetValue<string>(out var text) && text.ToUpperInvariant() is "CRITICAL" or "HIGH" or "MEDIUM" or "LOW"
                    && Severities.TryParse(text, out var fromTag))
                {
                    return fromTag;
                }
            }
        }

        var level = JsonInput.String(result, "level") ?? JsonInput.String(JsonInput.Object(rule, "defaultConfiguration"), "level") ?? "warning";
        return level switch
        {
            "error" => Severity.High,
            "warning" => Severity.Medium,
            "note" => Severity.Low,
            _ => Severity.Unknown,
        };
    }

    private static (FixState, string?) FixOf(JsonObject? properties, string message)
    {
        if (properties is not null)
        {
            foreach (var key in new[] { "FixedVersion", "fixedVersion", "fixed-version" })
            {
                if (properties.TryGetPropertyValue(key, out var value))
                {
                    var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s.Trim() : "";
                    return text.Length > 0 ? (FixState.Fixed, text) : (FixState.NoFix, null);
                }
            }
        }

        var match = FixedVersionLine().Match(message);
        if (match.Success)
        {
            var text = match.Groups[1].Value.Trim();
            return text.Length > 0 ? (FixState.Fixed, text) : (FixState.NoFix, null);
        }

        return (FixState.Unknown, null);
    }

    private static (string Target, int? Line) LocationOf(JsonNode? result)
    {
        var physical = JsonInput.Object(JsonInput.Array(result, "locations")?.FirstOrDefault(), "physicalLocation");
        var uri = JsonInput.String(JsonInput.Object(physical, "artifactLocation"), "uri");
        var line = JsonInput.Object(physical, "region")?["startLine"] is JsonValue l && l.TryGetValue<int>(out var n) ? n : (int?)null;
        return (uri ?? "(no location)", line);
    }

    private static string? Property(JsonObject? properties, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (JsonInput.String(properties, key) is { Length: > 0 } value)
            {
                return value;
            }
        }

        return null;
    }

    private static string? MessageField(string message, string field)
    {
        foreach (var line in message.Split('\n'))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                var value = line[(field.Length + 1)..].Trim();
                return value.Length > 0 ? value : null;
            }
        }

        return null;
    }

    private static string? FirstLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        return line.Length > 0 ? line : null;
    }

    [GeneratedRegex(@"^Fixed Version:[ \t]*(.*)$", RegexOptions.Multiline)]
    private static partial Regex FixedVersionLine();
}
