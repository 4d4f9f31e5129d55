using System.Text.Json.Nodes;
using Handoff.Policy.Matching;
using Handoff.Policy.Patterns;
using Handoff.Policy.Variables;
using Newtonsoft.Json.Linq;

namespace Handoff.Policy.Engine;

/// <summary>
/// The variables one resource is evaluated with (<c>request.object</c>, <c>request.operation</c>, values, context
/// variables, <c>element</c>), shared by all rules; rule-local variables are undone after each rule so rules cannot
/// see each other's context. Variables live as engine values over the resource's own nodes, so node queries read
/// the resource directly; the Json.NET form the general JMESPath evaluator needs is built only when an expression
/// needs it, converting the resource at most once per scope, and then kept in step with every change.
/// </summary>
internal sealed class ResourceScope(ResourceFacts facts, EvaluationContext context) : IQueryScope
{
    private static readonly JValue EmptyString = QueryValue.Freeze(new JValue(""));

    private List<Undo>? _undo;
    private MapValue? _root;
    private JObject? _tokenRoot;
    private JToken? _resourceToken;
    private JmesPathRuntime.ThreadEvaluator? _library;
    private PatternMatcher? _patterns;

    // Undo entries from this index on also changed the token root (it was built then).
    private int _tokenRootSince = -1;

    // From this index on, changes went only to the token root: one reached into resource data, which the
    // engine values never modify. Undoing past it makes the engine values current again.
    private int _tokenOnlySince = -1;

    // Values or global values write into resource data: this scope only ever uses the token root.
    private bool _tokenOnly;

    public ResourceFacts Facts { get; } = facts;
    public EvaluationContext Context { get; } = context;
    public JsonNode Resource => Facts.Resource;

    public object Root => _root ??= BuildRoot();

    /// <summary>This thread's JMESPath library instance, looked up once per resource.</summary>
    public JmesPathRuntime.ThreadEvaluator Library => _library ??= JmesPathRuntime.Current;

    /// <summary>This thread's pattern matcher, looked up once per resource.</summary>
    public PatternMatcher Patterns => _patterns ??= PatternMatcher.ForThisThread;

    public bool NodeQueriesAllowed
    {
        get
        {
            _ = Root;
            return !_tokenOnly && _tokenOnlySince < 0;
        }
    }

    public JToken TokenRoot
    {
        get
        {
            if (_tokenRoot is null)
            {
                _ = Root;
                _tokenRoot = (JObject)ToRootToken(_root!);
                _tokenRootSince = Checkpoint();
            }

            return _tokenRoot;
        }
    }

    // Most resources never set a variable; the log is made on the first change.
    private List<Undo> Log => _undo ??= new List<Undo>(8);

    public int Checkpoint() => _undo?.Count ?? 0;

    public void Restore(int mark)
    {
        if (_undo is null || _undo.Count == mark)
        {
            return;
        }

        var dropTokens = _tokenRoot is not null && mark < _tokenRootSince;
        for (var i = _undo.Count - 1; i >= mark; i--)
        {
            var entry = _undo[i];
            if (entry.Owner is MapValue map)
            {
                if (entry.Existed)
                {
                    map.Set(entry.Key, entry.Previous);
                }
                else
                {
                    map.Remove(entry.Key);
                }
            }
            else if (!dropTokens && entry.Owner is JObject owner)
            {
                if (entry.Previous is JToken previous)
                {
                    owner[entry.Key] = previous;
                }
                else
                {
                    owner.Remove(entry.Key);
                }
            }
        }

        _undo.RemoveRange(mark, _undo.Count - mark);
        if (_tokenOnlySince >= mark)
        {
            _tokenOnlySince = -1;
        }

        if (dropTokens)
        {
            _tokenRoot = null;
            _tokenRootSince = -1;
        }
    }

    /// <summary>Sets a variable by dotted name (<c>element</c>, <c>request.operation</c>, <c>allowed.registries</c>); C# null is JSON null.</summary>
    public void Set(string dottedName, object? value)
    {
        _ = Root;
        if (!_tokenOnly && _tokenOnlySince < 0)
        {
            if (SetValue(_root!, dottedName, value, record: true))
            {
                if (_tokenRoot is not null)
                {
                    SetToken(_tokenRoot, dottedName, ToRootToken(value), record: true);
                }

                return;
            }

            _ = TokenRoot;
            _tokenOnlySince = Checkpoint();
        }

        SetToken((JObject)TokenRoot, dottedName, ToRootToken(value), record: true);
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
                Set(name, value);
            }
        }
    }

    private MapValue BuildRoot()
    {
        var identity = Facts.Identity;
        var kind = new MapValue(3);
        kind.Set("group", new JValue(Facts.Group));
        kind.Set("version", new JValue(Facts.Version));
        kind.Set("kind", new JValue(identity.Kind));
        var userInfo = new MapValue(2);
        userInfo.Set("username", EmptyString);
        userInfo.Set("groups", QueryValue.EmptyArray);
        var request = new MapValue(10);
        request.Set("operation", new JValue(Context.Operation));
        request.Set("object", Facts.Resource);
        request.Set("oldObject", DataNull.Instance);
        request.Set("namespace", new JValue(identity.Namespace ?? ""));
        request.Set("name", new JValue(identity.Name));
        request.Set("kind", kind);
        request.Set("userInfo", userInfo);
        request.Set("roles", QueryValue.EmptyArray);
        request.Set("clusterRoles", QueryValue.EmptyArray);
        request.Set("dryRun", QueryValue.False);
        var root = new MapValue(8);
        root.Set("request", request);
        root.Set("serviceAccountName", EmptyString);
        root.Set("serviceAccountNamespace", EmptyString);
        foreach (var (name, value) in Context.GlobalValues)
        {
            if (!SetValue(root, name, value, record: false))
            {
                _tokenOnly = true;
            }
        }

        if (_tokenOnly)
        {
            // The base variables, then each global value written the way the token root always was.
            var tokens = (JObject)ToRootToken(root);
            foreach (var (name, value) in Context.GlobalValues)
            {
                SetToken(tokens, name, ToRootToken(value), record: false);
            }

            _tokenRoot = tokens;
            _tokenRootSince = 0;
        }

        return root;
    }

    /// <summary>Writes into the engine values; false (nothing written) when the path runs into resource data.</summary>
    private bool SetValue(MapValue root, string dottedName, object? value, bool record)
    {
        var dot = dottedName.IndexOf('.');
        if (dot < 0)
        {
            Write(root, dottedName, value, record);
            return true;
        }

        var parts = dottedName.Split('.');
        var current = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            current.TryGet(parts[i], out var slot);
            if (slot is MapValue next)
            {
                current = next;
                continue;
            }

            if (slot is JsonObject or JObject)
            {
                return false;
            }

            next = new MapValue();
            Write(current, parts[i], next, record);
            current = next;
        }

        Write(current, parts[^1], value, record);
        return true;
    }

    private void Write(MapValue owner, string key, object? value, bool record)
    {
        if (record)
        {
            var existed = owner.TryGet(key, out var previous);
            Log.Add(new Undo(owner, key, previous, existed));
        }

        owner.Set(key, value);
    }

    private void SetToken(JObject root, string dottedName, JToken value, bool record)
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
                    Log.Add(new Undo(current, parts[i], current[parts[i]]?.DeepClone(), false));
                }

                current[parts[i]] = next;
            }

            current = next;
        }

        var key = parts[^1];
        if (record)
        {
            Log.Add(new Undo(current, key, current[key]?.DeepClone(), false));
        }

        current[key] = value.Parent is null ? value : value.DeepClone();
    }

    /// <summary>The Json.NET form of an engine value; the resource itself is converted once and reused.</summary>
    private JToken ToRootToken(object? value)
    {
        switch (value)
        {
            case null or DataNull:
                return JValue.CreateNull();
            case MapValue map:
            {
                var obj = new JObject();
                foreach (var (key, item) in map.Entries)
                {
                    obj[key] = ToRootToken(item);
                }

                return obj;
            }

            case JsonNode node when ReferenceEquals(node, Facts.Resource):
                return ResourceToken();
            case JsonNode node:
                return JsonBridge.ToToken(node);
            case JToken token:
                return token.Parent is null ? token : token.DeepClone();
            default:
            {
                var token = QueryValue.ToArgumentToken(value);
                return token.Parent is null ? token : token.DeepClone();
            }
        }
    }

    /// <summary>The resource as Json.NET, converted once per scope: taken back from a dropped token root, copied when the live one holds it.</summary>
    private JToken ResourceToken()
    {
        if (_resourceToken is null)
        {
            return _resourceToken = JsonBridge.ToToken(Facts.Resource);
        }

        if (_resourceToken.Parent is null)
        {
            return _resourceToken;
        }

        if ((_tokenRoot is not null && ReferenceEquals(_resourceToken.Root, _tokenRoot)) || _resourceToken.Parent is not JProperty holder)
        {
            return _resourceToken.DeepClone();
        }

        holder.Value = JValue.CreateNull();
        return _resourceToken;
    }

    /// <summary>
    /// One change to undo: a key of an engine-value map (<see cref="MapValue"/> owner; Existed tells whether it was there
    /// before), or of a token-root object (<see cref="JObject"/> owner; a null Previous means the key was added).
    /// </summary>
    private readonly record struct Undo(object Owner, string Key, object? Previous, bool Existed);
}
