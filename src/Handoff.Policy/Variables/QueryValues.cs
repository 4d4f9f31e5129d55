using System.Text.Json.Nodes;
using DevLab.JmesPath.Utils;
using Handoff.Policy.Values;
using Newtonsoft.Json.Linq;

namespace Handoff.Policy.Variables;

/// <summary>An explicit JSON <c>null</c> found in the data, which projections keep (a missing value, C# null, they drop).</summary>
internal sealed class DataNull
{
    public static readonly DataNull Instance = new();

    private DataNull()
    {
    }

    public override string ToString() => "null";
}

/// <summary>
/// JmesPath.Net's projection argument: the items a projection produced, possibly nested projections, evaluated
/// item by item by what follows it. Items are never C# null (projections drop missing values).
/// </summary>
internal sealed class Projection(List<object> items)
{
    public List<object> Items { get; } = items;
}

/// <summary>An array the evaluator built (a multi-select list, a materialised projection); items are never C# null.</summary>
internal sealed class ValueList(List<object> items)
{
    public static readonly ValueList Empty = new([]);

    public List<object> Items { get; } = items;
}

/// <summary>
/// An ordered JSON object the engine builds: the variable scope (<c>request</c>, <c>element</c>, context variables)
/// or a multi-select hash. Keeps Json.NET's <see cref="JObject"/> ordering rules (replacing keeps the position,
/// adding appends, removing closes the gap) so keys and values come out in the same order in both worlds.
/// </summary>
internal sealed class MapValue
{
    private readonly List<KeyValuePair<string, object?>> _entries;

    public MapValue(int capacity = 4) => _entries = new List<KeyValuePair<string, object?>>(capacity);

    public int Count => _entries.Count;

    public IReadOnlyList<KeyValuePair<string, object?>> Entries => _entries;

    public bool TryGet(string key, out object? value)
    {
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.Ordinal))
            {
                value = entry.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Sets <paramref name="key"/>; C# null stores an explicit JSON null.</summary>
    public void Set(string key, object? value)
    {
        value ??= DataNull.Instance;
        for (var i = 0; i < _entries.Count; i++)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.Ordinal))
            {
                _entries[i] = new(key, value);
                return;
            }
        }

        _entries.Add(new(key, value));
    }

    public void Remove(string key)
    {
        for (var i = 0; i < _entries.Count; i++)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.Ordinal))
            {
                _entries.RemoveAt(i);
                return;
            }
        }
    }
}

/// <summary>
/// The values the node query evaluator works with, and their Json.NET meaning:
/// C# null is JmesPath.Net's shared "no value" token (<see cref="JTokens.Null"/>), <see cref="DataNull"/> an explicit
/// null, a <see cref="JsonNode"/> is borrowed from a resource or variable (read, never changed), a <see cref="JToken"/>
/// came from a literal, a function or the general evaluator, and <see cref="ValueList"/>/<see cref="MapValue"/>/<see cref="Projection"/>
/// were built by the evaluator. Numbers of nodes are read the way <see cref="JsonBridge.ToToken"/> converts them.
/// </summary>
internal static class QueryValue
{
    /// <summary>True, false and empty array tokens shared by every evaluation; held by a parent so Json.NET copies them instead of re-parenting them.</summary>
    public static readonly JValue True;
    public static readonly JValue False;
    public static readonly JArray EmptyArray;
    private static readonly JArray SharedHolder;

    static QueryValue()
    {
        True = new JValue(true);
        False = new JValue(false);
        EmptyArray = new JArray();
        SharedHolder = new JArray(True, False, EmptyArray);
    }

    /// <summary>A constant token (literal, template constant) made safe to share across threads: Json.NET clones a token that has a parent instead of moving it.</summary>
    public static T Freeze<T>(T token) where T : JToken
    {
        if (token.Parent is null)
        {
            lock (SharedHolder)
            {
                new JArray().Add(token);
            }
        }

        return token;
    }

    public static JValue Bool(bool value) => value ? True : False;

    /// <summary>JMESPath null in any form: missing, explicit, or a null token.</summary>
    public static bool IsNullish(object? value) => value switch
    {
        null or DataNull => true,
        JToken token => token.Type == JTokenType.Null,
        JsonValue node => GoValue.Of(node).Kind == GoKind.Nil,
        _ => false,
    };

    public static bool IsArray(object? value) => value is JsonArray or JArray or ValueList;

    public static bool IsObject(object? value) => value is JsonObject or JObject or MapValue;

    /// <summary>A projection becomes the array it denotes (JmesPathArgument.AsJToken); everything else stays.</summary>
    public static object? Materialise(object? value)
    {
        if (value is not Projection projection)
        {
            return value;
        }

        if (!projection.Items.Exists(item => item is Projection))
        {
            // A projection is never used again once materialised, so its list can be taken over as is.
            return new ValueList(projection.Items);
        }

        var items = new List<object>(projection.Items.Count);
        foreach (var item in projection.Items)
        {
            items.Add(Materialise(item)!);
        }

        return new ValueList(items);
    }

    /// <summary>A property of an object value; null when the value is not an object or has no such key.</summary>
    public static object? Field(object? value, string name)
    {
        switch (value)
        {
            case JsonObject obj:
                return obj.TryGetPropertyValue(name, out var node) ? node ?? (object)DataNull.Instance : null;
            case MapValue map:
                return map.TryGet(name, out var found) ? found : null;
            case JObject jobject:
                return jobject[name];
            default:
                return null;
        }
    }

    public static int Count(object array) => array switch
    {
        JsonArray nodes => nodes.Count,
        JArray tokens => tokens.Count,
        ValueList list => list.Items.Count,
        _ => 0,
    };

    /// <summary>The item at <paramref name="index"/> of an array value (0 ≤ index &lt; Count).</summary>
    public static object Item(object array, int index) => array switch
    {
        JsonArray nodes => nodes[index] ?? (object)DataNull.Instance,
        JArray tokens => tokens[index],
        ValueList list => list.Items[index],
        _ => throw new InvalidOperationException("not an array"),
    };

    /// <summary>The property values of an object value, in order.</summary>
    public static IEnumerable<object> Values(object obj)
    {
        switch (obj)
        {
            case JsonObject nodes:
                foreach (var (_, value) in nodes)
                {
                    yield return value ?? (object)DataNull.Instance;
                }

                break;
            case MapValue map:
                foreach (var entry in map.Entries)
                {
                    yield return entry.Value!;
                }

                break;
            case JObject tokens:
                foreach (var property in tokens.Properties())
                {
                    yield return property.Value;
                }

                break;
        }
    }

    /// <summary>JmesPath.Net's falsiness (JTokens.IsFalse): null, false, empty string, empty array or object.</summary>
    public static bool IsFalse(object? value)
    {
        switch (value)
        {
            case null or DataNull:
                return true;
            case Projection projection:
                return projection.Items.Count == 0;
            case ValueList list:
                return list.Items.Count == 0;
            case MapValue map:
                return map.Count == 0;
            case JsonArray array:
                return array.Count == 0;
            case JsonObject obj:
                return obj.Count == 0;
            case JsonValue node:
            {
                var scalar = GoValue.Of(node);
                return scalar.Kind switch
                {
                    GoKind.Nil => true,
                    GoKind.Bool => !scalar.Bool,
                    GoKind.String => scalar.String!.Length == 0,
                    _ => false,
                };
            }

            case JToken token:
                return JTokens.IsFalse(token);
            default:
                return false;
        }
    }

    /// <summary>The string of a string value (node or token), else null.</summary>
    public static string? AsString(object? value) => value switch
    {
        JsonValue node when GoValue.Of(node) is { Kind: GoKind.String } scalar => scalar.String,
        JValue { Type: JTokenType.String } token => (string)token.Value!,
        _ => null,
    };

    /// <summary>
    /// The Json.NET token a value stands for, as JmesPath.Net would hold it: C# null becomes the shared
    /// <see cref="JTokens.Null"/>. Nodes are converted afresh; tokens are returned as they are.
    /// </summary>
    public static JToken ToArgumentToken(object? value) => value switch
    {
        null => JTokens.Null,
        _ => ToToken(value),
    };

    /// <summary>The token of a result for the engine's consumers: null for any JSON null.</summary>
    public static JToken? ToResultToken(object? value) => value is null || IsNullish(value) ? null : ToToken(value);

    private static JToken ToToken(object value)
    {
        switch (value)
        {
            case DataNull:
                return JValue.CreateNull();
            case JToken token:
                return token;
            case JsonNode node:
                return JsonBridge.ToToken(node);
            case ValueList list:
            {
                var array = new JArray();
                foreach (var item in list.Items)
                {
                    array.Add(ToToken(item));
                }

                return array;
            }

            case Projection projection:
                return ToToken(Materialise(projection)!);
            case MapValue map:
            {
                var obj = new JObject();
                foreach (var (key, item) in map.Entries)
                {
                    obj[key] = ToToken(item!);
                }

                return obj;
            }

            default:
                throw new InvalidOperationException($"unexpected query value {value.GetType().Name}");
        }
    }

    /// <summary>The node a value stands for (element scopes, patterns with variables); nodes are returned as they are.</summary>
    public static JsonNode? ToNode(object? value) => value switch
    {
        null or DataNull => null,
        JsonNode node => node,
        _ => JsonBridge.ToNode(ToToken(value)),
    };
}
