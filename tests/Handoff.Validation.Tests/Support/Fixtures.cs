using Handoff.Testing;
using Handoff.Validation.Loading;
using Handoff.Validation.Validation;

namespace Handoff.Validation.Tests.Support;

internal static class Fixtures
{
    public static string KubeconformFixtures => RepoPaths.Shared("conformance", "kubeconform", "fixtures");

    public static string Schemas => RepoPaths.Shared("k8s-json-schema", "schemas");

    public static ManifestLoadResult Load(string yaml, string fileName = "input.yaml", bool strict = false) =>
        new ManifestLoader(new ManifestLoaderOptions { DuplicateKeysAreErrors = strict }).LoadText(yaml, fileName);

    public static ManifestDocument Single(string yaml, bool strict = false)
    {
        var result = Load(yaml, strict: strict);
        Assert.That(result.Errors, Is.Empty, () => string.Join("\n", result.Errors));
        Assert.That(result.Documents.Count(), Is.EqualTo(1));
        return result.Documents.Single();
    }

    public static ManifestLoadError SingleError(string yaml, bool strict = false, string fileName = "input.yaml")
    {
        var result = Load(yaml, fileName, strict);
        Assert.That(result.Errors.Count(), Is.EqualTo(1), () => "entries: " + string.Join("\n", result.Entries));
        return result.Errors.Single();
    }

    /// <summary>Runs the command against the shared schemas and returns exit code, printed text and report.</summary>
    public static (int Exit, string Output, ValidationReport Report) Run(ManifestValidationOptions options)
    {
        var output = new StringWriter();
        var report = ManifestValidationCommand.Execute(options, output);
        return (report.ExitCode, output.ToString(), report);
    }

    public static ManifestValidationOptions Options(params string[] paths) => new()
    {
        Paths = paths,
        SchemaLocations = [Schemas],
    };
}
