using System.Text.Json.Nodes;
using Handoff.Policy.Engine;
using Handoff.Policy.Matching;
using Handoff.Policy.Values;

namespace Handoff.Policy;

/// <summary>Applies compiled Kyverno policies to resources offline and reports one result per matching rule.</summary>
public static class PolicyEngine
{
    /// <summary>
    /// The results of every rule of <paramref name="policies"/> whose match/exclude selects <paramref name="resource"/>
    /// (rules that do not select it produce no result, as in Kyverno's engine).
    /// </summary>
    public static IReadOnlyList<RuleResult> Evaluate(IReadOnlyList<ClusterPolicy> policies, JsonNode resource, EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(context);
        var previousClock = Variables.KyvernoFunctions.Clock;
        Variables.KyvernoFunctions.Clock = context.Clock;
        try
        {
            var facts = new ResourceFacts(resource, context);
            var scope = new ResourceScope(facts, context);
            var results = new List<RuleResult>();
            foreach (var policy in policies)
            {
                Evaluate(policy, scope, results);
            }

            return results;
        }
        finally
        {
            Variables.KyvernoFunctions.Clock = previousClock;
        }
    }

    /// <summary>Evaluates every resource; namespace labels are learnt from Namespace manifests among them.</summary>
    public static IReadOnlyList<RuleResult> EvaluateAll(IReadOnlyList<ClusterPolicy> policies, IReadOnlyList<JsonNode> resources, EvaluationContext context)
    {
        context.WithNamespacesFrom(resources);
        var results = new List<RuleResult>();
        foreach (var resource in resources)
        {
            results.AddRange(Evaluate(policies, resource, context));
        }

        return results;
    }

    private static void Evaluate(ClusterPolicy policy, ResourceScope scope, List<RuleResult> results)
    {
        var identity = scope.Facts.Identity;
        if (policy.Namespace is not null && policy.Namespace != identity.Namespace)
        {
            return;
        }

        foreach (var rule in policy.CompiledRules)
        {
            if (!rule.Match.MatchesAsMatch(scope.Facts) || rule.Exclude?.ExcludesResource(scope.Facts) == true)
            {
                continue;
            }

            var action = ActionFor(policy, rule, identity.Namespace);
            if (rule.Unsupported is not null)
            {
                results.Add(new RuleResult(policy.Name, policy.Namespace, rule.Name, identity, RuleStatus.Error, rule.Unsupported, null, action));
                continue;
            }

            var mark = scope.Checkpoint();
            Outcome outcome;
            try
            {
                scope.ApplyScopedValues(policy.Name, rule.Name);
                outcome = new RuleEvaluator(rule, scope).Evaluate();
            }
            finally
            {
                scope.Restore(mark);
            }

            var status = outcome.Status == RuleStatus.Fail && !policy.Scored ? RuleStatus.Warn : outcome.Status;
            results.Add(new RuleResult(policy.Name, policy.Namespace, rule.Name, identity, status, outcome.Message, outcome.Path, action));
        }
    }

    private static FailureAction ActionFor(ClusterPolicy policy, CompiledRule rule, string? @namespace)
    {
        foreach (var (action, namespaces) in rule.FailureActionOverrides.Concat(policy.FailureActionOverrides))
        {
            if (@namespace is not null && namespaces.Any(n => Wildcard.Match(n, @namespace)))
            {
                return action;
            }
        }

        return rule.FailureAction ?? policy.FailureAction;
    }
}
