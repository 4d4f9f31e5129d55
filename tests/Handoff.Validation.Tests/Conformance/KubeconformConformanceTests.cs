using System.Text.RegularExpressions;
using Handoff.Testing;
using Handoff.Validation.Loading;
using Handoff.Validation.Tests.Support;
using Handoff.Validation.Validation;

namespace Handoff.Validation.Tests.Conformance;

/// <summary>
/// Every row of ../shared/conformance/kubeconform/EXPECTED.md (kubeconform's own verdicts on its
/// fixtures) must get the same exit code and counts from ValidateManifests, with the shared
/// Kubernetes 1.34 schemas as the only schema location. Rows are read from the file, so a new row is
/// a new test; a row whose wording the test does not understand fails until it is taught.
/// </summary>
[TestFixture]
public sealed partial class KubeconformConformanceTests
{
    public static IEnumerable<TestCaseData> Rows()
    {
        var expected = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "conformance", "kubeconform", "EXPECTED.md"));
        if (!File.Exists(expected))
        {
            yield return new TestCaseData(new Row("(../shared not present)", "", 0, "")).SetName("EXPECTED.md rows (../shared not present)");
            yield break;
        }

        foreach (var line in File.ReadLines(expected))
        {
            var match = TableRow().Match(line);
            if (!match.Success || match.Groups["exit"].Value is not ("0" or "1"))
            {
                continue;
            }

            var row = new Row(match.Groups["input"].Value.Trim(), match.Groups["flags"].Value.Trim(), int.Parse(match.Groups["exit"].Value), match.Groups["summary"].Value.Trim());
            yield return new TestCaseData(row).SetName($"{row.Input} [{(row.Flags.Length == 0 ? "no flags" : row.Flags)}] -> exit {row.Exit}: {row.Summary}");
        }
    }

    [TestCaseSource(nameof(Rows))]
    public void Row_gets_kubeconforms_verdict(Row row)
    {
        var fixtures = Path.GetDirectoryName(Fixtures.KubeconformFixtures)!;
        var path = Path.Combine(fixtures, row.Input.Split(' ')[0]);
        var options = ApplyFlags(Fixtures.Options(path), row.Flags);

        var (exit, output, report) = Fixtures.Run(options);

        Assert.That(exit, Is.EqualTo(row.Exit), output);
        var summary = report.Summary;
        var counts = Counts().Match(row.Summary);
        if (counts.Success)
        {
            var expected = counts.Groups.Values.Skip(1).Select(g => int.Parse(g.Value)).ToArray();
            Assert.That(new[] { summary.Resources, summary.Valid, summary.Invalid, summary.Errors, summary.Skipped }, Is.EqualTo(expected), output);
            Assert.That(output, Does.Contain($"Summary: {summary.Resources} resource"));
            return;
        }

        var results = report.Results;
        switch (row.Summary)
        {
            case "at least one invalid":
                Assert.That(summary.Invalid, Is.GreaterThanOrEqualTo(1), output);
                Assert.That(output, Does.Match(@":\d+: \w+ [\w-]+ is invalid: /"));
                break;
            case "error mentioning the missing 'kind' key":
                Assert.That(results.Single().ErrorKind, Is.EqualTo(ManifestErrorKind.MissingKind));
                Assert.That(output, Does.Contain("missing 'kind' key"));
                break;
            case "error mentioning the missing 'apiVersion' key":
                Assert.That(results.Single().ErrorKind, Is.EqualTo(ManifestErrorKind.MissingApiVersion));
                Assert.That(output, Does.Contain("missing 'apiVersion' key"));
                break;
            case "no schema for the custom resource":
                Assert.That(results.Single().ErrorKind, Is.EqualTo(ManifestErrorKind.SchemaNotFound));
                Assert.That(output, Does.Contain("could not find a schema for sagemaker.aws.amazon.com/v1/TrainingJob"));
                break;
            case "custom resource skipped":
            case "resource skipped":
                Assert.That(results.Select(r => r.Status), Is.EqualTo(new[] { ValidationStatus.Skipped }));
                break;
            case "invalid: additional property":
                Assert.That(results.Single().Status, Is.EqualTo(ValidationStatus.Invalid));
                Assert.That(results.Single().Violations.Select(v => v.Keyword), Does.Contain("additionalProperties"));
                break;
            case "resource valid (version differs)":
                Assert.That(results.Select(r => r.Status), Is.EqualTo(new[] { ValidationStatus.Valid }));
                break;
            case "prohibited resource kind":
                Assert.That(results.Single().ErrorKind, Is.EqualTo(ManifestErrorKind.RejectedKind));
                Assert.That(output, Does.Contain("prohibited resource kind ReplicationController"));
                break;
            case "error naming the missing file":
                Assert.That(results.Single().ErrorKind, Is.EqualTo(ManifestErrorKind.FileNotFound));
                Assert.That(output, Does.Contain(path + ": failed validation: no such file or directory"));
                break;
            default:
                Assert.Fail($"EXPECTED.md row '{row.Summary}' is not understood by this test: teach it what to check.");
                break;
        }
    }

    private static ManifestValidationOptions ApplyFlags(ManifestValidationOptions options, string flags)
    {
        if (flags.Length == 0)
        {
            return options;
        }

        var skipKind = SkipOrReject().Match(flags);
        return flags switch
        {
            "strict" => options with { Strict = true },
            "ignore missing schemas" => options with { IgnoreMissingSchemas = true },
            _ when skipKind.Success && skipKind.Groups["verb"].Value == "skip" => options with { Skip = [skipKind.Groups["what"].Value] },
            _ when skipKind.Success => options with { Reject = [skipKind.Groups["what"].Value] },
            _ => throw new AssertionException($"EXPECTED.md flags '{flags}' are not understood by this test: teach it."),
        };
    }

    public sealed record Row(string Input, string Flags, int Exit, string Summary)
    {
        public override string ToString() => $"{Input} {Flags}";
    }

    [GeneratedRegex(@"^\|\s*(?<input>fixtures/[^|]+?)\s*\|(?<flags>[^|]*)\|\s*(?<exit>\d)\s*\|(?<summary>[^|]*)\|\s*$")]
    private static partial Regex TableRow();

    [GeneratedRegex(@"^(\d+) / (\d+) / (\d+) / (\d+) / (\d+)")]
    private static partial Regex Counts();

    [GeneratedRegex(@"^(?<verb>skip|reject)(?: kind)? (?<what>\S+)$")]
    private static partial Regex SkipOrReject();
}
