using System.Text.Json.Nodes;
using Handoff.Policy.Matching;
using Handoff.Policy.Variables;
using Newtonsoft.Json.Linq;

namespace Handoff.Policy.Engine;

/// <summary>
/// The JMESPath data one resource is evaluated with (<c>request.object</c>, <c>request.operation</c>, values,
/// context variables, <c>element</c>), built on first use and shared by all rules; rule-local variables are
/// undone after each rule so rules cannot see each other's context.
/// </summary>
internal sealed class ResourceScope(ResourceFacts facts, EvaluationContext context)
{
    private readonly List<(JObject Owner, string Key, JToken? Previous)> _undo = [];
    private JObject? _root;

    public ResourceFacts Facts { get; } = facts;
    public EvaluationContext Context { get; } = context;

    public JObject Root => _root ??= Build();

    private JObject Build()
    {
        var identity = Facts.Identity;
        var root = new JObject
        {
            ["request"] = new JObject
            {
                ["operation"] = Context.Operation,
                ["object"] = JsonBridge.ToToken(Facts.Resource),
                ["oldObject"] = JValue.CreateNull(),
                ["namespace"] = identity.Namespace ?? "",
                ["name"] = identity.Name,
                ["kind"] = new JObject { ["group"] = Facts.Group, ["version"] = Facts.Version, ["kind"] = identity.Kind },
                ["userInfo"] = new JObject { ["username"] = "", ["groups"] = new JArray() },
                ["roles"] = new JArray(),
                ["clusterRoles"] = new JArray(),
                ["dryRun"] = false,
            },
            ["serviceAccountName"] = "",
            ["serviceAccountNamespace"] = "",
        };
        foreach (var (name, value) in Context.GlobalValues)
        {
            SetPath(root, name, JsonBridge.ToToken(value), record: false);
        }

        return root;
    }

    public int Checkpoint() => _undo.Count;

    public void Restore(int mark)
    {
        for (var i = _undo.Count - 1; i >= mark; i--)
        {
            var (owner, key, previous) = _undo[i];
            if (previous is null)
            {
                owner.Remove(key);
            }
            else
            {
                owner[key] = previous;
            }
        }

        _undo.RemoveRange(mark, _undo.Count - mark);
    }

    /// <summary>Sets a variable by dotted name (<c>element</c>, <c>request.operation</c>, <c>allowed.registries</c>).</summary>
    public void Set(string dottedName, JToken value) => SetPath(Root, dottedName, value, record: true);

    private void SetPath(JObject root, string dottedName, JToken value, bool record)
    {
        var parts = dottedName.Split('.');
        var current = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (current[parts[i]] is not JObject next)
            {
                next = new JObject();
                if (record)
                {
                    _undo.Add((current, parts[i], current[parts[i]]?.DeepClone()));
                }

                current[parts[i]] = next;
            }

            current = next;
        }

        var key = parts[^1];
        if (record)
        {
            _undo.Add((current, key, current[key]?.DeepClone()));
        }

        current[key] = value.Parent is null ? value : value.DeepClone();
    }

    /// <summary>Applies the values-file entries that target this policy/rule/resource.</summary>
    public void ApplyScopedValues(string policy, string rule)
    {
        foreach (var scoped in Context.Scoped)
        {
            if (scoped.Policy != policy || (scoped.Rule is not null && scoped.Rule != rule && "autogen-" + scoped.Rule != rule && "autogen-cronjob-" + scoped.Rule != rule)
                || (scoped.Resource is not null && scoped.Resource != Facts.Identity.Name))
            {
                continue;
            }

            foreach (var (name, value) in scoped.Values)
            {
                Set(name, JsonBridge.ToToken(value));
            }
        }
    }

    public JsonNode Resource => Facts.Resource;
}
