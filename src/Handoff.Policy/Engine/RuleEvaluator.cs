using System.Text.Json.Nodes;
using Handoff.Policy.Patterns;
using Handoff.Policy.Variables;
using Newtonsoft.Json.Linq;

namespace Handoff.Policy.Engine;

internal readonly record struct Outcome(RuleStatus Status, string Message, string? Path = null)
{
    public static Outcome Skip(string message) => new(RuleStatus.Skip, message);
}

/// <summary>Runs one compiled rule's preconditions and validation against one resource, as Kyverno's validator does.</summary>
internal readonly struct RuleEvaluator(CompiledRule rule, ResourceScope scope)
{
    public Outcome Evaluate()
    {
        var mark = scope.Checkpoint();
        try
        {
            return Validate(rule.Context, rule.Preconditions, rule.Validation!, element: null, nesting: 0);
        }
        catch (EvaluationException ex)
        {
            return new Outcome(RuleStatus.Error, $"validation error: rule {rule.Name} execution error: {ex.Message}");
        }
        finally
        {
            scope.Restore(mark);
        }
    }

    private Outcome Validate(ContextVariable[] context, ConditionBlock? preconditions, ValidationBody body, JsonNode? element, int nesting)
    {
        foreach (var variable in context)
        {
            scope.Set(variable.Name, variable.Resolve(scope));
        }

        if (preconditions is not null && !preconditions.Evaluate(scope))
        {
            return Outcome.Skip("preconditions not met");
        }

        if (body.Deny is not null)
        {
            List<string>? messages = null;
            var deny = body.Deny.Evaluate(scope, collect: true, ref messages);
            return deny
                ? new Outcome(RuleStatus.Fail, DenyMessage(messages))
                : new Outcome(RuleStatus.Pass, rule.PassedMessage);
        }

        if (body.Pattern is not null || body.AnyPattern is not null)
        {
            return ValidatePatterns(body, element ?? scope.Resource);
        }

        if (body.Foreach is not null)
        {
            return ValidateForeach(body.Foreach, nesting);
        }

        return new Outcome(RuleStatus.Pass, rule.PassedMessage);
    }

    private Outcome ValidatePatterns(ValidationBody body, JsonNode resource)
    {
        if (body.Pattern is not null)
        {
            var verdict = scope.Patterns.Check(resource, body.Pattern.Resolve(body.Pattern.NeedsContext ? scope : null));
            return verdict.Outcome switch
            {
                PatternOutcome.Pass => new Outcome(RuleStatus.Pass, rule.PassedMessage),
                PatternOutcome.Skip => Outcome.Skip(verdict.Message),
                PatternOutcome.Error => new Outcome(RuleStatus.Error, ErrorMessage(verdict.Message, "")),
                _ => new Outcome(RuleStatus.Fail, ErrorMessage(verdict.Message, verdict.Path), verdict.Path),
            };
        }

        var failed = new List<string>();
        var skipped = new List<string>();
        string? firstPath = null;
        for (var i = 0; i < body.AnyPattern!.Length; i++)
        {
            var source = body.AnyPattern[i];
            var verdict = scope.Patterns.Check(resource, source.Resolve(source.NeedsContext ? scope : null));
            switch (verdict.Outcome)
            {
                case PatternOutcome.Pass:
                    return new Outcome(RuleStatus.Pass, $"validation rule '{rule.Name}' anyPattern[{i}] passed.");
                case PatternOutcome.Skip:
                    skipped.Add($"rule {rule.Name}[{i}] skipped: {verdict.Message}");
                    break;
                default:
                    firstPath ??= verdict.Path.Length > 0 ? verdict.Path : null;
                    failed.Add(verdict.Path.Length == 0 ? $"rule {rule.Name}[{i}] failed: {verdict.Message}" : $"rule {rule.Name}[{i}] failed at path {verdict.Path}");
                    break;
            }
        }

        if (failed.Count == 0 && skipped.Count > 0)
        {
            return Outcome.Skip(string.Join(" ", skipped));
        }

        var message = RuleMessage();
        var detail = string.Join(" ", failed);
        var text = message.Length == 0 ? $"validation error: {detail}"
            : message.EndsWith('.') ? $"validation error: {message} {detail}" : $"validation error: {message}. {detail}";
        return new Outcome(RuleStatus.Fail, text, firstPath);
    }

    private Outcome ValidateForeach(ForeachEntry[] entries, int nesting)
    {
        var applied = 0;
        foreach (var entry in entries)
        {
            object? list;
            try
            {
                list = entry.List.Evaluate(scope);
            }
            catch (EvaluationException)
            {
                continue;
            }

            if (!QueryValue.IsArray(list))
            {
                continue;
            }

            var (outcome, count) = ValidateElements(entry, list!, nesting);
            if (outcome.Status != RuleStatus.Pass)
            {
                return outcome;
            }

            applied += count;
        }

        return applied == 0 ? Outcome.Skip("rule skipped") : new Outcome(RuleStatus.Pass, "rule passed");
    }

    private (Outcome, int) ValidateElements(ForeachEntry entry, object elements, int nesting)
    {
        var applied = 0;
        var count = QueryValue.Count(elements);
        for (var index = 0; index < count; index++)
        {
            var element = QueryValue.Item(elements, index);
            if (QueryValue.IsNullish(element))
            {
                continue;
            }

            var mark = scope.Checkpoint();
            Outcome outcome;
            try
            {
                var position = new JValue(index);
                scope.Set("element", element);
                scope.Set("elementIndex", position);
                scope.Set(ElementNames.Element(nesting), element);
                scope.Set(ElementNames.Index(nesting), position);
                var scoped = entry.ElementScope ?? QueryValue.IsObject(element);
                var target = scoped && QueryValue.IsObject(element) ? QueryValue.ToNode(element) : null;
                outcome = Validate(entry.Context, entry.Preconditions, entry.Body, target, nesting + 1);
            }
            catch (EvaluationException ex)
            {
                outcome = new Outcome(RuleStatus.Error, ex.Message);
            }
            finally
            {
                scope.Restore(mark);
            }

            switch (outcome.Status)
            {
                case RuleStatus.Skip:
                    continue;
                case RuleStatus.Pass:
                    applied++;
                    continue;
                case RuleStatus.Error when index < count - 1:
                    continue;
                default:
                    return (outcome with { Message = "validation failure: " + outcome.Message }, applied);
            }
        }

        return (new Outcome(RuleStatus.Pass, ""), applied);
    }

    private string RuleMessage()
    {
        if (rule.MessageTemplate is null)
        {
            return rule.Message;
        }

        try
        {
            return rule.MessageTemplate.EvaluateToString(scope);
        }
        catch (EvaluationException)
        {
            return rule.Message;
        }
    }

    private string DenyMessage(List<string>? conditionMessages)
    {
        var message = RuleMessage();
        if (message.Length == 0 && (conditionMessages is null || conditionMessages.Count == 0))
        {
            return $"validation error: rule {rule.Name} failed";
        }

        return string.Join("; ", new[] { message }.Concat(conditionMessages ?? []).Where(m => m.Length > 0));
    }

    private string ErrorMessage(string error, string path)
    {
        var message = RuleMessage();
        if (message.Length == 0)
        {
            return path.Length > 0 ? $"validation error: rule {rule.Name} failed at path {path}" : $"validation error: rule {rule.Name} execution error: {error}";
        }

        if (!message.EndsWith('.'))
        {
            message += ".";
        }

        return path.Length > 0 ? $"validation error: {message} rule {rule.Name} failed at path {path}" : $"validation error: {message} rule {rule.Name} execution error: {error}";
    }
}

/// <summary>The variable names of nested foreach levels (<c>element0</c>, <c>elementIndex1</c>...), made once.</summary>
internal static class ElementNames
{
    private static readonly string[] Elements = Enumerable.Range(0, 8).Select(i => $"element{i}").ToArray();
    private static readonly string[] Indexes = Enumerable.Range(0, 8).Select(i => $"elementIndex{i}").ToArray();

    public static string Element(int nesting) => nesting < Elements.Length ? Elements[nesting] : $"element{nesting}";

    public static string Index(int nesting) => nesting < Indexes.Length ? Indexes[nesting] : $"elementIndex{nesting}";
}
