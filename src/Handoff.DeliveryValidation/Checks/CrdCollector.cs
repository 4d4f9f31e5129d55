using Handoff.Delivery.Config;
using Handoff.DeliveryValidation.Rendering;
using Handoff.DeliveryValidation.Reporting;
using Handoff.DeliveryValidation.Scope;
using Handoff.Reports;
using Handoff.Rendering;
using Handoff.Validation.Loading;
using Handoff.Validation.Schemas;

namespace Handoff.DeliveryValidation.Checks;

/// <summary>
/// The CustomResourceDefinitions each environment's cluster gets from this repository: those every app
/// renders into it, in catalog (handoff.yaml) order, whether or not the change touches that app. A
/// custom resource in one app is often defined by another (an operator's chart), so a --base run that
/// renders only the changed app would otherwise not know its schema. Apps outside the scope are rendered
/// only when one of their input files can hold a CRD, which keeps a one-app change a one-app render.
/// </summary>
internal static class CrdCollector
{
    private static readonly byte[] Marker = "CustomResourceDefinition"u8.ToArray();

    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<ManifestDocument>>> CollectAsync(
        IReadOnlyList<Target> catalog, IReadOnlyList<RenderedTarget> rendered, RenderStage stage, string root, FindingCollector findings, CancellationToken cancellationToken)
    {
        var environments = rendered.Select(r => r.Target.Environment.Name).ToHashSet(StringComparer.Ordinal);
        var known = rendered.ToDictionary(r => r.Target, r => r);
        var others = catalog
            .Where(t => environments.Contains(t.Environment.Name) && !known.ContainsKey(t) && t.Render is { } render && MayDefineCrds(t, render, root))
            .Select(t => new ScopedTarget(t, []))
            .ToList();
        if (others.Count > 0)
        {
            foreach (var extra in await stage.RenderAsync(others, root, null, cancellationToken))
            {
                known[extra.Target] = extra;
                if (extra.Load is null)
                {
                    findings.Add(new Finding
                    {
                        Check = CheckKinds.Schema,
                        RuleId = "crds",
                        Severity = FindingSeverity.Warning,
                        Message = $"{extra.Target.Scope} is not part of this change, but may define CustomResourceDefinitions for {extra.Target.Environment.Name}, and it does not render; " +
                                  "custom resources it defines may be reported without a schema.",
                        Fix = $"Run ValidateDelivery with --app={extra.Target.App.Name} --env={extra.Target.Environment.Name} to see why it does not render.",
                        App = extra.Target.App.Name,
                        Environment = extra.Target.Environment.Name,
                        File = extra.Target.AnchorFile,
                    });
                }
            }
        }

        var result = new Dictionary<string, IReadOnlyList<ManifestDocument>>(StringComparer.Ordinal);
        foreach (var environment in environments)
        {
            result[environment] = catalog
                .Where(t => t.Environment.Name == environment && known.ContainsKey(t))
                .SelectMany(t => known[t].Documents)
                .Where(d => CrdSchemaGenerator.IsCustomResourceDefinition(d.Identity))
                .ToList();
        }

        return result;
    }

    /// <summary>
    /// True when an input file names the CRD kind, or is a chart archive whose content cannot be searched.
    /// A file that cannot be read counts as a maybe: rendering it is the way to find out.
    /// </summary>
    private static bool MayDefineCrds(Target target, RenderSettings render, string root)
    {
        try
        {
            var source = RenderPlanner.Plan(target, render, root, new ClusterVersion(null, []));
            foreach (var file in RenderInputs.Files(RenderInputs.Of(source)))
            {
                if (file.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase)
                    || File.ReadAllBytes(file).AsSpan().IndexOf(Marker) >= 0)
                {
                    return true;
                }
            }

            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }
}
