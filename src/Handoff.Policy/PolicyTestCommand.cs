using Handoff.Policy.Testing;

namespace Handoff.Policy;

/// <summary><c>./build.sh --target=PolicyTest --path=DIR</c>: a <c>kyverno test</c> compatible runner.</summary>
public static class PolicyTestCommand
{
    /// <summary>
    /// Runs every kyverno-test.yaml under <paramref name="path"/>, printing one line per expectation and a final
    /// <c>N passed, N failed</c>. Returns 0 when every expectation held (and there was at least one), else 1.
    /// </summary>
    public static int Run(string path, TextWriter output)
    {
        IReadOnlyList<string> files;
        try
        {
            files = KyvernoTestRunner.FindTestFiles(path);
        }
        catch (HandoffException ex)
        {
            output.WriteLine("ERROR " + ex.Message);
            output.WriteLine("0 passed, 1 failed");
            return 1;
        }

        if (files.Count == 0)
        {
            output.WriteLine($"ERROR {path}: no kyverno-test.yaml found (searched recursively, including .kyverno-test folders). Add a test file next to the policies.");
            output.WriteLine("0 passed, 1 failed");
            return 1;
        }

        var passed = 0;
        var failed = 0;
        foreach (var file in files)
        {
            var result = KyvernoTestRunner.Run(file);
            output.WriteLine($"{Path.GetRelativePath(Environment.CurrentDirectory, file)} ({result.Name})");
            if (result.Error is not null)
            {
                output.WriteLine("ERROR " + Secrets.Redact(result.Error));
            }

            foreach (var testCase in result.Cases)
            {
                output.WriteLine("  " + Secrets.Redact(testCase.ToString()));
            }

            passed += result.Passed;
            failed += result.Failed;
        }

        output.WriteLine($"{passed} passed, {failed} failed");
        return failed == 0 && passed > 0 ? 0 : 1;
    }
}
