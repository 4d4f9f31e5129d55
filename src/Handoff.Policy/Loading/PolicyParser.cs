using System.Text.Json;
using System.Text.Json.Nodes;
using Handoff.Policy.Autogen;
using Handoff.Policy.Conditions;
using Handoff.Policy.Engine;
using Handoff.Policy.Matching;
using Handoff.Policy.Variables;
using Handoff.Policy.Yaml;

namespace Handoff.Policy.Loading;

/// <summary>Reads a Kyverno policy document into a <see cref="ClusterPolicy"/>, with file:line errors for bad input.</summary>
internal sealed class PolicyParser
{
    private readonly SourceMap? _map;
    private readonly string _file;
    private string _policyName = "";

    private PolicyParser(SourceMap? map, string? file)
    {
        _map = map;
        _file = file ?? map?.File ?? "<policy>";
    }

    public static bool IsPolicy(JsonNode document) =>
        document is JsonObject obj && Text(obj["apiVersion"]) is { } apiVersion && apiVersion.StartsWith("kyverno.io/", StringComparison.Ordinal)
        && Text(obj["kind"]) is "ClusterPolicy" or "Policy";

    public static ClusterPolicy Parse(JsonNode document, SourceMap? map, string? file) => new PolicyParser(map, file).ParsePolicy(document);

    private ClusterPolicy ParsePolicy(JsonNode document)
    {
        if (document is not JsonObject policy)
        {
            throw Error(document, "a policy must be a mapping with apiVersion, kind, metadata and spec.", null);
        }

        var kind = Text(policy["kind"]);
        if (kind is not ("ClusterPolicy" or "Policy") || Text(policy["apiVersion"]) is not { } apiVersion || !apiVersion.StartsWith("kyverno.io/", StringComparison.Ordinal))
        {
            throw Error(policy, $"expected a Kyverno ClusterPolicy or Policy (apiVersion kyverno.io/v1), found kind '{kind}' apiVersion '{Text(policy["apiVersion"])}'.",
                "Only kyverno.io ClusterPolicy and Policy documents can be evaluated.");
        }

        _policyName = Text(policy["metadata"]?["name"]) ?? throw Error(policy, $"the {kind} has no metadata.name.", "Give the policy a name.");
        var @namespace = kind == "Policy" ? Text(policy["metadata"]?["namespace"]) ?? "default" : null;
        if (policy["spec"] is not JsonObject spec)
        {
            throw Error(policy, $"policy '{_policyName}' has no spec.", "Add spec.rules.");
        }

        if (spec["rules"] is not JsonArray rules || rules.Count == 0)
        {
            throw Error(spec, $"policy '{_policyName}' has no rules.", "Add at least one rule under spec.rules.");
        }

        var failureAction = ParseAction(spec["validationFailureAction"]) ?? FailureAction.Audit;
        var overrides = ParseOverrides(spec["validationFailureActionOverrides"]);
        var scored = Text(policy["metadata"]?["annotations"]?["policies.kyverno.io/scored"]) != "false";

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            if (rule is not JsonObject ruleObject || Text(ruleObject["name"]) is not { Length: > 0 } name)
            {
                throw Error(rule, $"a rule of policy '{_policyName}' has no name.", "Give every rule a unique name.");
            }

            if (!seen.Add(name))
            {
                throw Error(rule, $"policy '{_policyName}' has two rules named '{name}'.", "Rule names must be unique within a policy.");
            }
        }

        var compiled = new List<CompiledRule>();
        foreach (var (rule, generated) in PodControllerAutogen.ComputeRules(policy))
        {
            compiled.Add(CompileRule(rule, generated));
        }

        return new ClusterPolicy(_policyName, @namespace, kind!, policy, compiled, failureAction, overrides, scored, _map?.File ?? _file);
    }

    private CompiledRule CompileRule(JsonObject rule, bool generated)
    {
        var name = Text(rule["name"])!;
        try
        {
            var unsupported = UnsupportedConstruct(rule);
            var match = rule["match"] as JsonObject ?? throw Error(rule, $"rule '{name}' of policy '{_policyName}' has no match block.", "Add match.any[].resources.kinds.");
            var matchBlock = ParseMatchBlock(match, "match");
            var excludeBlock = rule["exclude"] is JsonObject exclude ? ParseMatchBlock(exclude, "exclude") : null;
            var matchKinds = Kinds(match).ToArray();
            var validate = rule["validate"] as JsonObject;
            if (unsupported is not null || validate is null)
            {
                return new CompiledRule
                {
                    Name = name,
                    IsAutogen = generated,
                    Match = matchBlock,
                    Exclude = excludeBlock,
                    MatchKinds = matchKinds,
                    Unsupported = unsupported ?? $"policy '{_policyName}' rule '{name}' has no validate, mutate, generate or verifyImages block.",
                };
            }

            var message = Text(validate["message"]) ?? "";
            return new CompiledRule
            {
                Name = name,
                IsAutogen = generated,
                Match = matchBlock,
                Exclude = excludeBlock,
                MatchKinds = matchKinds,
                Context = ParseContext(rule["context"]),
                Preconditions = ParseConditions(rule["preconditions"], "preconditions"),
                Validation = ParseBody(validate, name),
                Message = message,
                MessageTemplate = StringTemplate.TryCompile(message),
                FailureAction = ParseAction(validate["failureAction"]),
                FailureActionOverrides = ParseOverrides(validate["failureActionOverrides"]).ToArray(),
            };
        }
        catch (PolicyCompileException ex)
        {
            throw Error(rule, $"policy '{_policyName}' rule '{name}': {ex.Problem}", ex.Fix);
        }
    }

    private string? UnsupportedConstruct(JsonObject rule)
    {
        var name = Text(rule["name"]);
        string? What()
        {
            if (rule["mutate"] is not null) return "mutate rules";
            if (rule["generate"] is not null) return "generate rules";
            if (rule["verifyImages"] is not null) return "verifyImages rules";
            if (rule["celPreconditions"] is JsonArray { Count: > 0 }) return "celPreconditions";
            if (rule["context"] is JsonArray context)
            {
                foreach (var entry in context.OfType<JsonObject>())
                {
                    foreach (var kind in new[] { "apiCall", "configMap", "imageRegistry", "globalReference" })
                    {
                        if (entry[kind] is not null)
                        {
                            return $"the '{kind}' context entry '{Text(entry["name"])}'";
                        }
                    }
                }
            }

            if (rule["validate"] is JsonObject validate)
            {
                if (validate["cel"] is not null) return "CEL validation (validate.cel)";
                if (validate["podSecurity"] is not null) return "validate.podSecurity";
                if (validate["manifests"] is not null) return "validate.manifests";
                if (validate["assert"] is not null) return "validate.assert";
            }

            return null;
        }

        var what = What();
        return what is null ? null
            : $"policy '{_policyName}' rule '{name}': {what} are not supported by Handoff's offline policy engine, so the rule cannot be checked. Rewrite it as a validate pattern/deny rule, or remove it from the policies folder.";
    }

    private ValidationBody ParseBody(JsonObject body, string ruleName)
    {
        var kinds = new[] { "pattern", "anyPattern", "deny", "foreach" }.Count(k => body[k] is not null);
        if (kinds == 0)
        {
            throw Error(body, $"rule '{ruleName}' of policy '{_policyName}' validates nothing: it needs one of pattern, anyPattern, deny or foreach.", null);
        }

        if (kinds > 1)
        {
            throw Error(body, $"rule '{ruleName}' of policy '{_policyName}' mixes pattern, anyPattern, deny and foreach; Kyverno allows only one of them.",
                "Split it into separate rules.");
        }

        if (body["anyPattern"] is { } anyPattern && anyPattern is not JsonArray)
        {
            throw Error(anyPattern, "anyPattern must be a list of patterns.", null);
        }

        return new ValidationBody
        {
            Pattern = body.ContainsKey("pattern") ? new PatternSource(body["pattern"], null) : null,
            AnyPattern = (body["anyPattern"] as JsonArray)?.Select(p => new PatternSource(p, null)).ToArray(),
            Deny = body["deny"] is { } deny ? ParseDeny(deny) : null,
            Foreach = body["foreach"] is { } foreachNode ? ParseForeach(foreachNode, ruleName) : null,
        };
    }

    private ForeachEntry[] ParseForeach(JsonNode node, string ruleName)
    {
        if (node is not JsonArray entries)
        {
            throw Error(node, "foreach must be a list of entries, each with a 'list' expression.", null);
        }

        return entries.Select(entry =>
        {
            if (entry is not JsonObject obj || Text(obj["list"]) is not { Length: > 0 } list)
            {
                throw Error(entry, "every foreach entry needs a 'list' JMESPath expression (without braces).", "For example: list: request.object.spec.containers");
            }

            if (obj["context"] is JsonArray context && context.OfType<JsonObject>().Any(c => c["variable"] is null))
            {
                throw Error(context, "only context entries of kind 'variable' are supported in foreach.", null);
            }

            var scope = obj["elementScope"] is JsonValue s && s.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? s.GetValue<bool>() : (bool?)null;
            return new ForeachEntry
            {
                List = JmesPathRuntime.Shared.Compile(StripBraces(list)),
                Context = ParseContext(obj["context"]),
                Preconditions = ParseConditions(obj["preconditions"], "preconditions"),
                Body = ParseBody(obj, ruleName),
                ElementScope = scope,
            };
        }).ToArray();
    }

    private static string StripBraces(string expression)
    {
        var trimmed = expression.Trim();
        return trimmed.StartsWith("{{", StringComparison.Ordinal) && trimmed.EndsWith("}}", StringComparison.Ordinal) ? trimmed[2..^2].Trim() : trimmed;
    }

    private ContextVariable[] ParseContext(JsonNode? node)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray entries)
        {
            throw Error(node, "context must be a list of entries.", null);
        }

        return entries.Select(entry =>
        {
            if (entry is not JsonObject obj || Text(obj["name"]) is not { Length: > 0 } name)
            {
                throw Error(entry, "every context entry needs a name.", null);
            }

            if (obj["variable"] is not JsonObject variable)
            {
                throw Error(entry, $"context entry '{name}' has no variable; only variable entries are supported.", null);
            }

            var jmesPath = Text(variable["jmesPath"]);
            return new ContextVariable(name,
                variable.ContainsKey("value") ? JsonTemplate.Compile(variable["value"]) : null,
                jmesPath is { Length: > 0 } ? JmesPathRuntime.Shared.Compile(StripBraces(jmesPath)) : null,
                variable.ContainsKey("default") ? JsonTemplate.Compile(variable["default"]) : null);
        }).ToArray();
    }

    private ConditionBlock? ParseDeny(JsonNode deny)
    {
        if (deny is not JsonObject obj)
        {
            throw Error(deny, "deny must be a mapping with 'conditions'.", null);
        }

        return obj["conditions"] is null ? new ConditionBlock(null, []) : ParseConditions(obj["conditions"], "deny.conditions");
    }

    private ConditionBlock? ParseConditions(JsonNode? node, string where)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonArray legacy:
                return new ConditionBlock(null, legacy.Select(c => ParseCondition(c, where)).ToArray());
            case JsonObject obj:
                foreach (var (key, _) in obj)
                {
                    if (key is not ("any" or "all"))
                    {
                        throw Error(obj, $"{where} has an unknown key '{key}'.", "Use 'any' and/or 'all' lists of conditions.");
                    }
                }

                return new ConditionBlock(
                    obj.ContainsKey("any") ? ConditionList(obj["any"], where) : null,
                    obj.ContainsKey("all") ? ConditionList(obj["all"], where) : []);
            default:
                throw Error(node, $"{where} must be a list or a mapping with any/all.", null);
        }
    }

    private Condition[] ConditionList(JsonNode? node, string where) => node switch
    {
        null => [],
        JsonArray list => list.Select(c => ParseCondition(c, where)).ToArray(),
        _ => throw Error(node, $"{where} any/all must be lists of conditions.", null),
    };

    private Condition ParseCondition(JsonNode? node, string where)
    {
        if (node is not JsonObject condition)
        {
            throw Error(node, $"a condition in {where} must be a mapping with key, operator and value.", null);
        }

        var opText = Text(condition["operator"]) ?? throw Error(condition, $"a condition in {where} has no operator.",
            "Use Equals, NotEquals, AnyIn, AllIn, AnyNotIn, AllNotIn, GreaterThan, LessThan, ... .");
        if (!ConditionOperators.TryParse(opText, out var op))
        {
            throw Error(condition["operator"], $"unknown condition operator '{opText}'.",
                "Use Equals, NotEquals, In, NotIn, AnyIn, AllIn, AnyNotIn, AllNotIn, GreaterThan, GreaterThanOrEquals, LessThan, LessThanOrEquals or Duration*.");
        }

        try
        {
            return new Condition(JsonTemplate.Compile(condition["key"]), op, JsonTemplate.Compile(condition["value"]), Text(condition["message"]));
        }
        catch (PolicyCompileException ex)
        {
            throw Error(condition, $"policy '{_policyName}': {ex.Problem}", ex.Fix);
        }
    }

    private MatchBlock ParseMatchBlock(JsonObject block, string what)
    {
        var any = block["any"] as JsonArray;
        var all = block["all"] as JsonArray;
        var flatDescription = block["resources"] as JsonObject;
        var flatHasUser = block["subjects"] is not null || block["roles"] is not null || block["clusterRoles"] is not null;
        var result = new MatchBlock
        {
            Any = any?.Select(f => ParseFilter(f, what)).ToArray() ?? [],
            All = all?.Select(f => ParseFilter(f, what)).ToArray() ?? [],
            Flat = flatDescription is not null || flatHasUser ? ParseDescription(flatDescription, flatHasUser) : null,
        };
        if (what == "match" && result.IsEmpty)
        {
            throw Error(block, $"the match block of policy '{_policyName}' selects nothing.", "Add match.any[].resources.kinds.");
        }

        return result;
    }

    private ResourceFilter ParseFilter(JsonNode? node, string what)
    {
        if (node is not JsonObject filter)
        {
            throw Error(node, $"each {what} any/all entry must be a mapping (resources, subjects, roles, clusterRoles).", null);
        }

        var hasUser = filter["subjects"] is not null || filter["roles"] is not null || filter["clusterRoles"] is not null;
        return ParseDescription(filter["resources"] as JsonObject, hasUser);
    }

    private ResourceFilter ParseDescription(JsonObject? resources, bool hasUserInfo)
    {
        if (resources is null)
        {
            return new ResourceFilter { HasUserInfo = hasUserInfo };
        }

        var kinds = Strings(resources["kinds"]);
        return new ResourceFilter
        {
            RawKinds = kinds,
            Kinds = kinds.Select(KindSelector.Parse).ToArray(),
            Name = Text(resources["name"]),
            Names = Strings(resources["names"]),
            Namespaces = Strings(resources["namespaces"]),
            Annotations = resources["annotations"] is JsonObject annotations ? annotations.ToDictionary(p => p.Key, p => Text(p.Value) ?? "") : null,
            Selector = ParseSelector(resources["selector"]),
            NamespaceSelector = ParseSelector(resources["namespaceSelector"]),
            Operations = Strings(resources["operations"]),
            HasUserInfo = hasUserInfo,
            HasResourceDescription = resources.Count > 0,
        };
    }

    private LabelSelector? ParseSelector(JsonNode? node)
    {
        if (node is not JsonObject selector)
        {
            return null;
        }

        var labels = (selector["matchLabels"] as JsonObject)?.Select(p => (p.Key, Text(p.Value) ?? p.Value?.ToJsonString() ?? "")).ToArray() ?? [];
        var expressions = (selector["matchExpressions"] as JsonArray)?.Select(e =>
        {
            var op = Text(e?["operator"]) ?? "";
            if (op is not ("In" or "NotIn" or "Exists" or "DoesNotExist"))
            {
                throw Error(e, $"unknown label selector operator '{op}'.", "Use In, NotIn, Exists or DoesNotExist.");
            }

            return (Text(e?["key"]) ?? "", op, Strings(e?["values"]));
        }).ToArray() ?? [];
        return new LabelSelector(labels, expressions);
    }

    private static IEnumerable<string> Kinds(JsonObject match)
    {
        foreach (var description in new[] { match["resources"] }.Concat(((match["any"] as JsonArray) ?? []).Concat((match["all"] as JsonArray) ?? []).Select(f => f?["resources"])))
        {
            foreach (var kind in Strings(description?["kinds"]))
            {
                yield return kind;
            }
        }
    }

    private FailureAction? ParseAction(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        return Text(node)?.ToLowerInvariant() switch
        {
            "enforce" => FailureAction.Enforce,
            "audit" => FailureAction.Audit,
            _ => throw Error(node, $"'{Text(node) ?? node.ToJsonString()}' is not a failure action.", "Use Enforce or Audit."),
        };
    }

    private IReadOnlyList<(FailureAction, string[])> ParseOverrides(JsonNode? node) =>
        (node as JsonArray)?.OfType<JsonObject>().Select(o => (ParseAction(o["action"]) ?? FailureAction.Audit, Strings(o["namespaces"]))).ToArray() ?? [];

    private static string[] Strings(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(Text).Where(s => s is not null).Select(s => s!).ToArray(),
        JsonValue value when Text(value) is { } single => [single],
        _ => [],
    };

    internal static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private HandoffException Error(JsonNode? node, string problem, string? fix)
    {
        if (_map is not null)
        {
            return _map.Error(node, problem, fix);
        }

        return new InputFileException(_file, 0, 0, problem, fix);
    }
}
