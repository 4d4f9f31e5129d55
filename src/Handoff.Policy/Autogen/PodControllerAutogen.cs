using System.Text.Json.Nodes;
using Handoff.Policy.Matching;

namespace Handoff.Policy.Autogen;

/// <summary>
/// Kyverno's auto-generation of pod-controller rules: a rule that matches Pods also gets
/// <c>autogen-&lt;rule&gt;</c> for Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController and Job
/// (pod template at <c>spec.template</c>) and <c>autogen-cronjob-&lt;rule&gt;</c> for CronJob
/// (<c>spec.jobTemplate.spec.template</c>), unless the policy opts out or cannot be translated.
/// </summary>
internal static class PodControllerAutogen
{
    public const string ControllersAnnotation = "pod-policies.kyverno.io/autogen-controllers";

    private static readonly string[] PodControllers = ["DaemonSet", "Deployment", "Job", "StatefulSet", "ReplicaSet", "ReplicationController", "CronJob"];
    private static readonly HashSet<string> NonCronControllers = ["DaemonSet", "Deployment", "Job", "StatefulSet", "ReplicaSet", "ReplicationController"];

    private static readonly (string From, string To)[] PodReplacements =
    [
        ("request.object.spec", "request.object.spec.template.spec"),
        ("request.oldObject.spec", "request.oldObject.spec.template.spec"),
        ("request.object.metadata", "request.object.spec.template.metadata"),
        ("request.oldObject.metadata", "request.oldObject.spec.template.metadata"),
    ];

    private static readonly (string From, string To)[] CronJobReplacements =
    [
        ("request.object.spec", "request.object.spec.jobTemplate.spec.template.spec"),
        ("request.oldObject.spec", "request.oldObject.spec.jobTemplate.spec.template.spec"),
        ("request.object.metadata", "request.object.spec.jobTemplate.spec.template.metadata"),
        ("request.oldObject.metadata", "request.oldObject.spec.jobTemplate.spec.template.metadata"),
    ];

    /// <summary>The policy's rules followed by the generated ones (flagged true).</summary>
    public static IReadOnlyList<(JsonObject Rule, bool Generated)> ComputeRules(JsonObject policy)
    {
        var spec = policy["spec"] as JsonObject;
        var rules = (spec?["rules"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var original = rules.Select(r => (r, false)).ToList();
        var (canAutogen, _) = CanAutoGen(rules);
        if (!canAutogen)
        {
            return original;
        }

        var annotation = policy["metadata"]?["annotations"]?[ControllersAnnotation] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
        var controllers = annotation is null ? string.Join(',', PodControllers) : annotation;
        if (controllers == "none")
        {
            return original;
        }

        var generated = new List<(JsonObject, bool)>();
        foreach (var rule in rules)
        {
            var name = Name(rule);
            if (name.StartsWith("autogen-", StringComparison.Ordinal))
            {
                continue;
            }

            var nonCron = StripCronJob(controllers);
            if (GenerateForControllers(rule, nonCron) is { } podRule)
            {
                generated.Add((Convert(podRule, PodReplacements), true));
            }

            if (controllers.Contains("CronJob", StringComparison.Ordinal) || controllers.Contains("all", StringComparison.Ordinal))
            {
                var intermediate = GenerateForControllers(rule, controllers);
                if (intermediate is not null && GenerateRule(AutogenName("autogen-cronjob", name), intermediate, "jobTemplate", ["CronJob"], replaceAllKinds: true) is { } cronRule)
                {
                    generated.Add((Convert(cronRule, CronJobReplacements), true));
                }
            }
        }

        if (generated.Count == 0)
        {
            return original;
        }

        return original.Where(r => !Name(r.r).StartsWith("autogen-", StringComparison.Ordinal)).Concat(generated).ToList();
    }

    private static string Name(JsonObject rule) => rule["name"] is JsonValue v && v.TryGetValue<string>(out var n) ? n : "";

    private static string AutogenName(string prefix, string name)
    {
        var result = prefix + "-" + name;
        return result.Length > 63 ? result[..63] : result;
    }

    private static string StripCronJob(string controllers) =>
        string.Join(',', controllers.Split(',').Where(c => c != "CronJob"));

    /// <summary>Kyverno's CanAutoGen over all rules: names, selectors, annotations or mixed Pod/other kinds anywhere disable it.</summary>
    internal static (bool Can, bool Needed) CanAutoGen(IReadOnlyList<JsonObject> rules)
    {
        var needed = false;
        foreach (var rule in rules)
        {
            if (rule["generate"] is not null)
            {
                return (false, false);
            }

            if (rule["mutate"] is JsonObject mutate && (HasValue(mutate["patchesJson6902"]) ||
                (mutate["foreach"] as JsonArray)?.OfType<JsonObject>().Any(f => HasValue(f["patchesJson6902"])) == true))
            {
                return (false, false);
            }

            foreach (var block in new[] { rule["match"] as JsonObject, rule["exclude"] as JsonObject })
            {
                if (block is null)
                {
                    continue;
                }

                foreach (var description in Descriptions(block))
                {
                    if (!Supports(description, ref needed))
                    {
                        return (false, false);
                    }
                }
            }
        }

        return (needed, needed);
    }

    private static bool HasValue(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s.Length > 0 : node is not null;

    private static IEnumerable<JsonObject?> Descriptions(JsonObject block)
    {
        yield return block["resources"] as JsonObject;
        foreach (var key in new[] { "any", "all" })
        {
            if (block[key] is JsonArray filters)
            {
                foreach (var filter in filters.OfType<JsonObject>())
                {
                    yield return filter["resources"] as JsonObject;
                }
            }
        }
    }

    private static bool Supports(JsonObject? description, ref bool needed)
    {
        if (description is null)
        {
            return true;
        }

        var kinds = Kinds(description);
        if ((description["name"] is JsonValue n && n.TryGetValue<string>(out var name) && name.Length > 0)
            || (description["names"] as JsonArray)?.Count > 0
            || description["selector"] is not null
            || description["annotations"] is not null
            || (kinds.Count > 1 && kinds.Any(k => KindSelector.KindName(k) == "Pod")))
        {
            return false;
        }

        needed = needed || kinds.Any(k => k == "Pod" || PodControllers.Contains(k));
        return true;
    }

    private static List<string> Kinds(JsonObject? description) =>
        (description?["kinds"] as JsonArray)?.Select(k => k is JsonValue v && v.TryGetValue<string>(out var s) ? s : "").ToList() ?? [];

    private static IEnumerable<string> AllKinds(JsonObject? block)
    {
        if (block is null)
        {
            return [];
        }

        return Descriptions(block).SelectMany(Kinds);
    }

    private static JsonObject? GenerateForControllers(JsonObject rule, string controllers)
    {
        var name = Name(rule);
        if (name.StartsWith("autogen-", StringComparison.Ordinal) || controllers.Length == 0)
        {
            return null;
        }

        var matchKinds = AllKinds(rule["match"] as JsonObject).ToList();
        var excludeKinds = AllKinds(rule["exclude"] as JsonObject).ToList();
        if (!matchKinds.Any(k => KindSelector.KindName(k) == "Pod") || (excludeKinds.Count != 0 && !excludeKinds.Any(k => KindSelector.KindName(k) == "Pod")))
        {
            return null;
        }

        string[] kinds;
        if (controllers == "all")
        {
            kinds = NonCronControllers.ToArray();
        }
        else
        {
            var validated = controllers.Split(',').Where(NonCronControllers.Contains).ToArray();
            kinds = validated.Length > 0 ? validated : controllers.Split(',');
        }

        Array.Sort(kinds, StringComparer.Ordinal);
        return GenerateRule(AutogenName("autogen", name), rule, "template", kinds, replaceAllKinds: false);
    }

    private static JsonObject? GenerateRule(string name, JsonObject source, string templateKey, string[] kinds, bool replaceAllKinds)
    {
        var rule = (JsonObject)source.DeepClone();
        rule["name"] = name;
        if (rule["match"] is JsonObject match)
        {
            RewriteKinds(match, kinds, replaceAllKinds, isExclude: false);
        }

        if (rule["exclude"] is JsonObject exclude)
        {
            RewriteKinds(exclude, kinds, replaceAllKinds, isExclude: true);
        }

        if (rule["validate"] is JsonObject validate)
        {
            var kept = new JsonObject();
            foreach (var field in new[] { "message", "failureAction", "failureActionOverrides", "allowExistingViolations" })
            {
                if (validate[field] is { } value)
                {
                    kept[field] = value.DeepClone();
                }
            }

            if (validate["pattern"] is { } pattern)
            {
                kept["pattern"] = Wrap(templateKey, pattern.DeepClone());
            }
            else if (validate["deny"] is { } deny)
            {
                kept["deny"] = deny.DeepClone();
            }
            else if (validate["podSecurity"] is { } podSecurity)
            {
                kept["podSecurity"] = podSecurity.DeepClone();
            }
            else if (validate["anyPattern"] is JsonArray anyPattern)
            {
                kept["anyPattern"] = new JsonArray(anyPattern.Select(p => (JsonNode?)Wrap(templateKey, p?.DeepClone())).ToArray());
            }
            else if (validate["foreach"] is JsonArray foreachEntries)
            {
                kept["foreach"] = foreachEntries.DeepClone();
            }
            else if (validate["cel"] is { } cel)
            {
                kept["cel"] = cel.DeepClone();
            }
            else
            {
                return null;
            }

            rule["validate"] = kept;
            return rule;
        }

        if (rule["mutate"] is not null || rule["verifyImages"] is not null)
        {
            // Unsupported here: carried over so the generated rule reports the same error for controllers.
            return rule;
        }

        return null;
    }

    private static JsonObject Wrap(string templateKey, JsonNode? pattern) => new() { ["spec"] = new JsonObject { [templateKey] = pattern } };

    private static void RewriteKinds(JsonObject block, string[] kinds, bool replaceAllKinds, bool isExclude)
    {
        JsonArray NewKinds() => new(kinds.Select(k => (JsonNode?)JsonValue.Create(k)).ToArray());

        foreach (var key in new[] { "any", "all" })
        {
            if (block[key] is JsonArray filters && filters.Count > 0)
            {
                foreach (var filter in filters.OfType<JsonObject>())
                {
                    if (filter["resources"] is JsonObject resources && (replaceAllKinds || Kinds(resources).Any(k => KindSelector.KindName(k) == "Pod")))
                    {
                        resources["kinds"] = NewKinds();
                    }
                    else if (replaceAllKinds)
                    {
                        filter["resources"] = new JsonObject { ["kinds"] = NewKinds() };
                    }
                }

                return;
            }
        }

        if (isExclude)
        {
            if (block["resources"] is JsonObject excluded && Kinds(excluded).Count != 0)
            {
                excluded["kinds"] = NewKinds();
            }

            return;
        }

        if (block["resources"] is not JsonObject flat)
        {
            flat = new JsonObject();
            block["resources"] = flat;
        }

        flat["kinds"] = NewKinds();
    }

    private static JsonObject Convert(JsonObject rule, (string From, string To)[] replacements)
    {
        var json = rule.ToJsonString();
        foreach (var (from, to) in replacements)
        {
            json = json.Replace(from, to, StringComparison.Ordinal);
        }

        return (JsonObject)JsonNode.Parse(json)!;
    }
}
