using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
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
            var results = new List<RuleResult>(policies.Count);
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

    /// <summary>
    /// Evaluates every resource; namespace labels are learnt from Namespace manifests among them. Resources are
    /// evaluated in parallel; the results come in resource order, exactly as evaluating them one by one would give.
    /// </summary>
    public static IReadOnlyList<RuleResult> EvaluateAll(IReadOnlyList<ClusterPolicy> policies, IReadOnlyList<JsonNode> resources, EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(context);
        context.WithNamespacesFrom(resources);
        var perResource = new IReadOnlyList<RuleResult>[resources.Count];
        if (resources.Count < ParallelThreshold || Environment.ProcessorCount == 1)
        {
            for (var i = 0; i < resources.Count; i++)
            {
                perResource[i] = Evaluate(policies, resources[i], context);
            }
        }
        else
        {
            EvaluateInParallel(policies, resources, context, perResource);
        }

        var total = 0;
        foreach (var results in perResource)
        {
            total += results.Count;
        }

        var all = new List<RuleResult>(total);
        foreach (var results in perResource)
        {
            all.AddRange(results);
        }

        return all;
    }

    /// <summary>Below this many resources a sequential loop beats handing work to other threads.</summary>
    private const int ParallelThreshold = 64;

    private static void EvaluateInParallel(IReadOnlyList<ClusterPolicy> policies, IReadOnlyList<JsonNode> resources, EvaluationContext context, IReadOnlyList<RuleResult>[] perResource)
    {
        Exception?[]? failures = null;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        var ranges = Partitioner.Create(0, resources.Count, Math.Max(16, resources.Count / (Environment.ProcessorCount * 8)));
        Parallel.ForEach(ranges, options, range =>
        {
            for (var i = range.Item1; i < range.Item2; i++)
            {
                try
                {
                    perResource[i] = Evaluate(policies, resources[i], context);
                }
                catch (Exception ex)
                {
                    lock (perResource)
                    {
                        (failures ??= new Exception?[resources.Count])[i] = ex;
                    }

                    return;
                }
            }
        });

        // The same exception a one-by-one loop would have stopped at: the first failing resource's.
        if (failures?.FirstOrDefault(f => f is not null) is { } first)
        {
            ExceptionDispatchInfo.Capture(first).Throw();
        }
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
        if (@namespace is not null)
        {
            foreach (var (action, namespaces) in rule.FailureActionOverrides)
            {
                if (AnyMatches(namespaces, @namespace))
                {
                    return action;
                }
            }

            foreach (var (action, namespaces) in policy.FailureActionOverrides)
            {
                if (AnyMatches(namespaces, @namespace))
                {
                    return action;
                }
            }
        }

        return rule.FailureAction ?? policy.FailureAction;
    }

    private static bool AnyMatches(string[] patterns, string value)
    {
        foreach (var pattern in patterns)
        {
            if (Wildcard.Match(pattern, value))
            {
                return true;
            }
        }

        return false;
    }
}
