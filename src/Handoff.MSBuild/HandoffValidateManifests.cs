using Handoff.Validation;
using Handoff.Validation.Validation;
using Microsoft.Build.Framework;

namespace Handoff.MSBuild;

/// <summary>
/// Validates Kubernetes manifests against their JSON schemas (kubeconform's verdicts and schema
/// locations). Every schema violation is an MSBuild error at the line and column of the offending
/// value (<c>file(line,col): error HANDOFF501: …</c>, so IDEs and CI annotations point at it), an
/// unreadable input is one error at its position, and kubeconform's summary line is a message.
/// The task fails when any resource is invalid or could not be checked.
/// </summary>
public sealed class HandoffValidateManifests : HandoffTask
{
    /// <summary>Files and folders (searched recursively for .yaml, .yml and .json).</summary>
    public ITaskItem[]? Paths { get; set; }

    /// <summary>kubeconform schema locations, tried in order: folders, or URL/path templates; empty means kubeconform's default.</summary>
    public ITaskItem[]? SchemaLocations { get; set; }

    /// <summary>Properties the schema does not define, and duplicate keys, are errors.</summary>
    public bool Strict { get; set; }

    /// <summary>e.g. <c>1.34.0</c>; empty means <c>master</c>.</summary>
    public string? KubernetesVersion { get; set; }

    /// <summary>A resource type with no schema is skipped instead of an error.</summary>
    public bool IgnoreMissingSchemas { get; set; }

    /// <summary>Kinds (or apiVersion/Kind) not to validate.</summary>
    public ITaskItem[]? Skip { get; set; }

    /// <summary>Kinds (or apiVersion/Kind) that are an error wherever they appear.</summary>
    public ITaskItem[]? Reject { get; set; }

    /// <summary>Files or folders with CustomResourceDefinitions whose schemas validate custom resources.</summary>
    public ITaskItem[]? CrdPaths { get; set; }

    /// <summary>Where downloaded schemas are kept between builds.</summary>
    public string? SchemaCacheDirectory { get; set; }

    /// <summary>Resources that passed their schema.</summary>
    [Output]
    public int ValidResources { get; private set; }

    /// <summary>Resources that broke their schema or could not be checked (what failed the task).</summary>
    [Output]
    public int InvalidResources { get; private set; }

    private protected override string FailureCode => ErrorCodes.ValidationSetup;

    private protected override Task RunAsync(CancellationToken cancellationToken)
    {
        var paths = TaskInputs.List(Paths);
        if (paths.Count == 0)
        {
            throw new TaskParameterException($"{nameof(Paths)} is empty: pass the manifest files or folders to validate, e.g. Paths=\"deploy/\".");
        }

        var report = ManifestValidationCommand.Execute(new ManifestValidationOptions
        {
            Paths = paths,
            SchemaLocations = TaskInputs.List(SchemaLocations),
            Strict = Strict,
            KubernetesVersion = TaskInputs.Optional(KubernetesVersion) ?? "master",
            IgnoreMissingSchemas = IgnoreMissingSchemas,
            Skip = TaskInputs.List(Skip),
            Reject = TaskInputs.List(Reject),
            CrdPaths = TaskInputs.List(CrdPaths),
            SchemaCacheDirectory = TaskInputs.Optional(SchemaCacheDirectory) is { } cache ? TaskInputs.FullPath(cache) : null,
        }, TextWriter.Null);

        foreach (var warning in report.Warnings)
        {
            Reporter.Warning(ErrorCodes.ValidationWarning, null, 0, 0, warning);
        }

        foreach (var result in report.Results)
        {
            Report(result);
        }

        ValidResources = report.Summary.Valid;
        InvalidResources = report.Summary.Invalid + report.Summary.Errors;
        Reporter.Message(report.Summary.ToString(), MessageImportance.High);
        return Task.CompletedTask;
    }

    private void Report(ResourceResult result)
    {
        var file = TaskInputs.FullPath(result.File);
        var subject = result.Identity.Display is { Length: > 0 } display ? display : "The document";
        switch (result.Status)
        {
            case ValidationStatus.Invalid:
                foreach (var violation in result.Violations)
                {
                    var at = violation.Position.IsKnown ? violation.Position : result.Position;
                    Reporter.Error(ErrorCodes.InvalidResource, file, at.Line, at.Column, $"{subject} is invalid: {violation}");
                }

                break;
            case ValidationStatus.Error:
                Reporter.Error(ErrorCodes.UnreadableResource, file, result.Line, result.Column, $"{subject} failed validation: {result.Message}");
                break;
            case ValidationStatus.Skipped:
                Reporter.Message($"{file}({result.Line}): {subject} {result.Message}", MessageImportance.Low);
                break;
            default:
                Reporter.Message($"{file}({result.Line}): {subject} is valid", MessageImportance.Low);
                break;
        }
    }
}
