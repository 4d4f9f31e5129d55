using Handoff.DeliveryValidation.Rendering;
using Handoff.DeliveryValidation.Reporting;
using Handoff.Reports;
using Handoff.Validation.Loading;
using Handoff.Validation.Validation;

namespace Handoff.DeliveryValidation.Checks;

/// <summary>
/// JSON Schema validation of rendered objects (kubeconform semantics, through <see cref="ManifestValidator"/>),
/// with every violation pointed at the template or manifest line it comes from.
/// </summary>
internal sealed class SchemaCheck(Func<RenderedTarget, ManifestValidator> validatorFor)
{
    public void Check(RenderedTarget rendered, FindingCollector findings)
    {
        var target = rendered.Target;
        if (rendered.Load is null)
        {
            return;
        }

        var documents = rendered.Documents.Cast<ManifestEntry>().ToList();
        var report = validatorFor(rendered).Validate(new ManifestLoadResult(documents, rendered.Load.Files));
        foreach (var result in report.Results)
        {
            switch (result.Status)
            {
                case ValidationStatus.Invalid:
                    foreach (var violation in result.Violations)
                    {
                        var at = rendered.Locator.Locate(result.File, violation.Position, violation.Path);
                        findings.Add(new Finding
                        {
                            Check = CheckKinds.Schema,
                            RuleId = violation.Keyword,
                            Severity = FindingSeverity.Error,
                            Message = violation.ToString(),
                            Fix = result.SchemaOrigin is { } origin ? $"Make the object match its schema ({SchemaName(origin)})." : null,
                            App = target.App.Name,
                            Environment = target.Environment.Name,
                            Resource = FindingText.Resource(result.Identity),
                            File = at.File,
                            Line = at.Line,
                            Column = at.Column,
                        });
                    }

                    break;
                case ValidationStatus.Error:
                    var where = rendered.Locator.Locate(result.File, result.Position, null);
                    findings.Add(new Finding
                    {
                        Check = CheckKinds.Schema,
                        RuleId = result.ErrorKind is { } kind ? FindingText.Kebab(kind.ToString()) : "error",
                        Severity = FindingSeverity.Error,
                        Message = result.Message ?? "the resource could not be validated.",
                        App = target.App.Name,
                        Environment = target.Environment.Name,
                        Resource = FindingText.Resource(result.Identity),
                        File = where.File,
                        Line = where.Line,
                        Column = where.Column,
                    });
                    break;
            }
        }

        findings.Run(CheckKinds.Schema, target.Scope, report.Summary.Valid + report.Summary.Invalid + report.Summary.Errors);
    }

    /// <summary>A schema file by its name; a schema generated from a CRD by the CRD and where it is ("CustomResourceDefinition x (file:line)").</summary>
    private static string SchemaName(string origin) =>
        origin.StartsWith("CustomResourceDefinition ", StringComparison.Ordinal) ? origin : Path.GetFileName(origin);
}
