using System.Xml.Linq;

namespace Handoff.Publishing;

public sealed record FailedTest(string Name, string? Message);

/// <summary>Counts and failures read from Visual Studio TRX files, the format every .NET test adapter can write.</summary>
public sealed record TrxReport(int Passed, int Failed, int Skipped, IReadOnlyList<FailedTest> Failures)
{
    private static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    public int Total => Passed + Failed + Skipped;

    public static TrxReport Empty { get; } = new(0, 0, 0, []);

    public static TrxReport Load(string path)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(path);
        }
        catch (System.Xml.XmlException ex)
        {
            throw new InputFileException(path, ex.LineNumber, ex.LinePosition, $"not a readable TRX file: {ex.Message}");
        }

        int passed = 0, failed = 0, skipped = 0;
        var failures = new List<FailedTest>();
        foreach (var result in document.Descendants(Ns + "UnitTestResult"))
        {
            var outcome = (string?)result.Attribute("outcome");
            switch (outcome)
            {
                case "Passed":
                    passed++;
                    break;
                case "Failed" or "Error" or "Timeout" or "Aborted":
                    failed++;
                    var message = result.Descendants(Ns + "Message").FirstOrDefault()?.Value.Trim();
                    failures.Add(new FailedTest((string?)result.Attribute("testName") ?? "(unnamed)", message));
                    break;
                default:
                    skipped++;
                    break;
            }
        }

        return new TrxReport(passed, failed, skipped, failures);
    }

    public static TrxReport Merge(IEnumerable<TrxReport> reports)
    {
        var all = reports.ToList();
        return new TrxReport(all.Sum(r => r.Passed), all.Sum(r => r.Failed), all.Sum(r => r.Skipped), all.SelectMany(r => r.Failures).ToList());
    }

    public string Summary => $"{Passed} passed, {Failed} failed, {Skipped} skipped";
}
