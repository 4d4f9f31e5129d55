using Handoff.Policy.Testing;
using Handoff.Testing;

namespace Handoff.Policy.Tests;

/// <summary>The Kyverno policy library's Pod Security Standards tests must all pass with our runner.</summary>
public sealed class ConformanceTests
{
    private const string MissingShared = "(../shared missing)";

    public static IEnumerable<TestCaseData> KyvernoTestFiles()
    {
        var root = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "conformance", "kyverno-policies"));
        if (!Directory.Exists(root))
        {
            yield return new TestCaseData(MissingShared).SetName("KyvernoConformance(shared missing)");
            yield break;
        }

        foreach (var file in KyvernoTestRunner.FindTestFiles(root))
        {
            var relative = Path.GetRelativePath(root, file);
            yield return new TestCaseData(relative).SetName($"KyvernoConformance({relative})");
        }
    }

    [TestCaseSource(nameof(KyvernoTestFiles))]
    public void Every_expectation_of_the_kyverno_test_holds(string relative)
    {
        var root = RepoPaths.Shared("conformance", "kyverno-policies");
        Assert.That(relative, Is.Not.EqualTo(MissingShared), "../shared/conformance/kyverno-policies is missing");

        var result = KyvernoTestRunner.Run(Path.Combine(root, relative));

        var failures = result.Cases.Where(c => !c.Passed).Select(c => c.ToString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Error, Is.Null);
            Assert.That(result.Cases, Is.Not.Empty, "the test file has no expectations");
            Assert.That(failures, Is.Empty);
        });
    }

    [Test]
    public void The_conformance_suite_has_all_eighteen_test_files()
    {
        var root = RepoPaths.Shared("conformance", "kyverno-policies");

        Assert.That(KyvernoTestRunner.FindTestFiles(root), Has.Count.EqualTo(18));
    }
}
