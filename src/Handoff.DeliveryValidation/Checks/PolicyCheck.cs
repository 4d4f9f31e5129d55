using System.Text.Json.Nodes;
using Handoff.DeliveryValidation.Rendering;
using Handoff.DeliveryValidation.Reporting;
using Handoff.Policy;
using Handoff.Reports;
using Handoff.Validation.Loading;
using PolicyIdentity = Handoff.Policy.ResourceIdentity;

namespace Handoff.DeliveryValidation.Checks;

/// <summary>
/// Kyverno policies over a target's rendered objects (the same parsed trees the schema check read).
/// Enforce failures and errors block, Audit failures and unscored policies warn; each finding points at
/// the template line of the failing field.
/// </summary>
internal sealed class PolicyCheck(PolicySet policies, Func<DateTimeOffset> clock)
{
    public void Check(RenderedTarget rendered, FindingCollector findings)
    {
        var target = rendered.Target;
        if (rendered.Load is null || policies.Policies.Count == 0)
        {
            return;
        }

        var documents = rendered.Documents;
        if (target.Render?.Namespace is { } ns)
        {
            NamespaceDefaults.Apply(documents, ns);
        }

        var nodes = new List<JsonNode>(documents.Count);
        var byIdentity = new Dictionary<PolicyIdentity, ManifestDocument>();
        foreach (var document in documents)
        {
            var node = document.Content;
            nodes.Add(node);
            byIdentity.TryAdd(PolicyIdentity.Of(node), document);
        }

        var results = PolicyEngine.EvaluateAll(policies.Policies, nodes, new EvaluationContext { Clock = clock });
        foreach (var result in results)
        {
            if (result.Severity == ResultSeverity.None || policies.IsUnsupported(result))
            {
                continue;
            }

            var at = byIdentity.TryGetValue(result.Resource, out var document)
                ? rendered.Locator.Locate(document.File, document.Position, result.Path)
                : new RepoLocation(target.AnchorFile, 0, 0);
            findings.Add(new Finding
            {
                Check = CheckKinds.Policy,
                RuleId = $"{result.Policy}/{result.SourceRule}",
                Severity = result.Severity == ResultSeverity.Error ? FindingSeverity.Error : FindingSeverity.Warning,
                Message = result.Message.Length > 0 ? result.Message : $"{result.Status.ToString().ToLowerInvariant()} ({result.Action})",
                App = target.App.Name,
                Environment = target.Environment.Name,
                Resource = FindingText.Resource(result.Resource),
                File = at.File,
                Line = at.Line,
                Column = at.Column,
            });
        }

        findings.Run(CheckKinds.Policy, target.Scope, documents.Count);
    }
}
