using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.More;
using Json.Schema;

namespace Handoff.Validation.Schemas.Compiled;

/// <summary>The JSON Schema value types, as flags (a <c>type</c> array is their union).</summary>
[Flags]
internal enum JsonTypes : byte
{
    None = 0,
    Null = 1,
    Boolean = 2,
    Object = 4,
    Array = 8,
    Number = 16,
    String = 32,
    Integer = 64,
    Any = Null | Boolean | Object | Array | Number | String | Integer,
}

/// <summary>A numeric bound; integer bounds compare without parsing text when the instance is an integer too.</summary>
internal readonly record struct NumberBound(JsonElement Limit, long? IntegerLimit)
{
    /// <summary>Sign of instance − limit, as JsonSchema.Net's <see cref="JsonMath.NumberCompare"/> computes it.</summary>
    public int CompareTo(JsonElement instance) =>
        IntegerLimit is { } limit && instance.TryGetInt64(out var value) ? value.CompareTo(limit) : JsonMath.NumberCompare(instance, Limit);
}

/// <summary>
/// One compiled (sub)schema: the draft-07 assertions of a schema object, evaluated directly on a
/// <see cref="JsonElement"/> with the same semantics as JsonSchema.Net 8 (its type rules, its number
/// comparison and equivalence, its format implementations, text-element string lengths, ECMAScript
/// regular expressions). Evaluation stops at the first failure; the common keywords (type, properties,
/// required, additionalProperties, items, enum, lengths of ASCII strings, numeric bounds) allocate
/// nothing. Built by <see cref="SchemaCompiler"/>; immutable once sealed and shared by all threads.
/// </summary>
internal sealed class SchemaNode
{
    private const int MaxStackName = 256;

    public static SchemaNode True { get; } = new();

    public static SchemaNode False { get; } = new() { AlwaysFalse = true };

    public bool AlwaysFalse { get; init; }

    public JsonTypes Types { get; set; } = JsonTypes.Any;

    public PropertyMap? Properties { get; set; }

    public SchemaNode? AdditionalProperties { get; set; }

    public (Regex Pattern, SchemaNode Schema)[]? PatternProperties { get; set; }

    /// <summary>Required names with their index in <see cref="Properties"/> (-1 when the schema does not list them).</summary>
    public (string Name, int Index)[]? Required { get; set; }

    public long MinProperties { get; set; } = -1;

    public long MaxProperties { get; set; } = -1;

    public (string Name, SchemaNode? Schema, string[]? Requires)[]? Dependencies { get; set; }

    public SchemaNode? PropertyNames { get; set; }

    public SchemaNode? Items { get; set; }

    public SchemaNode[]? TupleItems { get; set; }

    public SchemaNode? AdditionalItems { get; set; }

    public long MinItems { get; set; } = -1;

    public long MaxItems { get; set; } = -1;

    public bool UniqueItems { get; set; }

    public SchemaNode? Contains { get; set; }

    public long MinLength { get; set; } = -1;

    public long MaxLength { get; set; } = -1;

    public Regex? Pattern { get; set; }

    public Format? Format { get; set; }

    public NumberBound? Minimum { get; set; }

    public NumberBound? Maximum { get; set; }

    public NumberBound? ExclusiveMinimum { get; set; }

    public NumberBound? ExclusiveMaximum { get; set; }

    public JsonElement? MultipleOf { get; set; }

    public EnumValues? Enum { get; set; }

    public JsonElement? Const { get; set; }

    public SchemaNode[]? AllOf { get; set; }

    public SchemaNode[]? AnyOf { get; set; }

    public SchemaNode[]? OneOf { get; set; }

    public SchemaNode? Not { get; set; }

    public SchemaNode? If { get; set; }

    public SchemaNode? Then { get; set; }

    public SchemaNode? Else { get; set; }

    private bool _hasObjectChecks;
    private bool _hasArrayChecks;
    private bool _hasStringChecks;
    private bool _hasNumberChecks;
    private bool _hasAnyChecks;

    /// <summary>Called once by the compiler after every keyword is set, so evaluation skips what a node does not have.</summary>
    public void Seal()
    {
        _hasObjectChecks = Properties is not null || AdditionalProperties is not null || PatternProperties is not null || Required is not null
            || MinProperties >= 0 || MaxProperties >= 0 || Dependencies is not null || PropertyNames is not null;
        _hasArrayChecks = Items is not null || TupleItems is not null || MinItems >= 0 || MaxItems >= 0 || UniqueItems || Contains is not null;
        _hasStringChecks = MinLength >= 0 || MaxLength >= 0 || Pattern is not null;
        _hasNumberChecks = Minimum is not null || Maximum is not null || ExclusiveMinimum is not null || ExclusiveMaximum is not null || MultipleOf is not null;
        _hasAnyChecks = Enum is not null || Const is not null || Format is not null || AllOf is not null || AnyOf is not null || OneOf is not null
            || Not is not null || If is not null;
    }

    public bool IsValid(JsonElement instance)
    {
        if (AlwaysFalse)
        {
            return false;
        }

        var kind = instance.ValueKind;
        if (Types != JsonTypes.Any && !TypeMatches(instance, kind))
        {
            return false;
        }

        switch (kind)
        {
            case JsonValueKind.Object when _hasObjectChecks && !ObjectIsValid(instance):
            case JsonValueKind.Array when _hasArrayChecks && !ArrayIsValid(instance):
            case JsonValueKind.String when _hasStringChecks && !StringIsValid(instance):
            case JsonValueKind.Number when _hasNumberChecks && !NumberIsValid(instance):
                return false;
        }

        return !_hasAnyChecks || GeneralIsValid(instance);
    }

    private bool TypeMatches(JsonElement instance, JsonValueKind kind)
    {
        var types = Types;
        return kind switch
        {
            JsonValueKind.Object => (types & JsonTypes.Object) != 0,
            JsonValueKind.Array => (types & JsonTypes.Array) != 0,
            JsonValueKind.String => (types & JsonTypes.String) != 0,
            JsonValueKind.True or JsonValueKind.False => (types & JsonTypes.Boolean) != 0,
            JsonValueKind.Null => (types & JsonTypes.Null) != 0,
            // JsonSchema.Net: an integer is a number that fits Int64; a number with a zero fraction also counts as integer.
            JsonValueKind.Number => (types & JsonTypes.Number) != 0
                || ((types & JsonTypes.Integer) != 0 && (instance.TryGetInt64(out _) || (instance.TryGetDouble(out var value) && value == Math.Truncate(value)))),
            _ => false,
        };
    }

    private bool ObjectIsValid(JsonElement instance)
    {
        ulong seen = 0;
        long count = 0;
        Span<char> nameBuffer = stackalloc char[MaxStackName];
        foreach (var property in instance.EnumerateObject())
        {
            count++;
            var known = false;
            if (Properties is { } properties && properties.TryFind(property, nameBuffer, out var child, out var index))
            {
                known = true;
                if (index < 64)
                {
                    seen |= 1UL << index;
                }

                if (!child.IsValid(property.Value))
                {
                    return false;
                }
            }

            var matched = false;
            if (PatternProperties is { } patterns)
            {
                var name = property.Name;
                foreach (var (pattern, schema) in patterns)
                {
                    if (pattern.IsMatch(name))
                    {
                        matched = true;
                        if (!schema.IsValid(property.Value))
                        {
                            return false;
                        }
                    }
                }
            }

            if (!known && !matched && AdditionalProperties is { } additional && !additional.IsValid(property.Value))
            {
                return false;
            }

            if (PropertyNames is { } names && !names.IsValid(JsonSerializer.SerializeToElement(property.Name)))
            {
                return false;
            }
        }

        if (Required is { } required)
        {
            foreach (var (name, index) in required)
            {
                if (index is >= 0 and < 64 ? (seen & (1UL << index)) == 0 : !instance.TryGetProperty(name, out _))
                {
                    return false;
                }
            }
        }

        if ((MinProperties >= 0 && count < MinProperties) || (MaxProperties >= 0 && count > MaxProperties))
        {
            return false;
        }

        if (Dependencies is { } dependencies)
        {
            foreach (var (name, schema, requires) in dependencies)
            {
                if (!instance.TryGetProperty(name, out _))
                {
                    continue;
                }

                if (schema is not null && !schema.IsValid(instance))
                {
                    return false;
                }

                foreach (var requirement in requires ?? [])
                {
                    if (!instance.TryGetProperty(requirement, out _))
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    private bool ArrayIsValid(JsonElement instance)
    {
        var length = instance.GetArrayLength();
        if ((MinItems >= 0 && length < MinItems) || (MaxItems >= 0 && length > MaxItems))
        {
            return false;
        }

        var index = 0;
        var contained = false;
        foreach (var item in instance.EnumerateArray())
        {
            if (TupleItems is { } tuple)
            {
                var schema = index < tuple.Length ? tuple[index] : AdditionalItems;
                if (schema is not null && !schema.IsValid(item))
                {
                    return false;
                }
            }
            else if (Items is { } items && !items.IsValid(item))
            {
                return false;
            }

            if (!contained && Contains is { } contains)
            {
                contained = contains.IsValid(item);
            }

            index++;
        }

        if (Contains is not null && !contained)
        {
            return false;
        }

        return !UniqueItems || length < 2 || ItemsAreUnique(instance);
    }

    private static bool ItemsAreUnique(JsonElement instance)
    {
        var seen = new HashSet<JsonElement>(EquivalenceComparer.Instance);
        foreach (var item in instance.EnumerateArray())
        {
            if (!seen.Add(item))
            {
                return false;
            }
        }

        return true;
    }

    private bool StringIsValid(JsonElement instance)
    {
        if (MinLength >= 0 || MaxLength >= 0)
        {
            var length = TextLength(instance);
            if ((MinLength >= 0 && length < MinLength) || (MaxLength >= 0 && length > MaxLength))
            {
                return false;
            }
        }

        return Pattern is null || Pattern.IsMatch(instance.GetString()!);
    }

    /// <summary>Length in text elements (what JsonSchema.Net counts); printable ASCII without escapes is one element per byte.</summary>
    private static int TextLength(JsonElement instance)
    {
        var raw = JsonMarshal.GetRawUtf8Value(instance);
        var text = raw.Length >= 2 ? raw[1..^1] : raw;
        if (!text.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E) && !text.Contains((byte)'\\'))
        {
            return text.Length;
        }

        return new StringInfo(instance.GetString()!).LengthInTextElements;
    }

    private bool NumberIsValid(JsonElement instance)
    {
        if (Minimum is { } minimum && minimum.CompareTo(instance) < 0)
        {
            return false;
        }

        if (Maximum is { } maximum && maximum.CompareTo(instance) > 0)
        {
            return false;
        }

        if (ExclusiveMinimum is { } exclusiveMinimum && exclusiveMinimum.CompareTo(instance) <= 0)
        {
            return false;
        }

        if (ExclusiveMaximum is { } exclusiveMaximum && exclusiveMaximum.CompareTo(instance) >= 0)
        {
            return false;
        }

        return MultipleOf is not { } divisor || JsonMath.Divides(instance, divisor);
    }

    private bool GeneralIsValid(JsonElement instance)
    {
        if (Enum is { } options && !options.Contains(instance))
        {
            return false;
        }

        if (Const is { } constant && !constant.IsEquivalentTo(instance))
        {
            return false;
        }

        if (Format is { } format && !format.Validate(instance, out _))
        {
            return false;
        }

        if (AllOf is { } all)
        {
            foreach (var schema in all)
            {
                if (!schema.IsValid(instance))
                {
                    return false;
                }
            }
        }

        if (AnyOf is { } any && !AnyIsValid(any, instance))
        {
            return false;
        }

        if (OneOf is { } one)
        {
            var matches = 0;
            foreach (var schema in one)
            {
                if (schema.IsValid(instance) && ++matches > 1)
                {
                    return false;
                }
            }

            if (matches != 1)
            {
                return false;
            }
        }

        if (Not is { } not && not.IsValid(instance))
        {
            return false;
        }

        if (If is { } condition)
        {
            var branch = condition.IsValid(instance) ? Then : Else;
            if (branch is not null && !branch.IsValid(instance))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyIsValid(SchemaNode[] alternatives, JsonElement instance)
    {
        foreach (var schema in alternatives)
        {
            if (schema.IsValid(instance))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>JsonSchema.Net's uniqueItems equality: Json.More equivalence, numbers hashed by decimal value.</summary>
    private sealed class EquivalenceComparer : IEqualityComparer<JsonElement>
    {
        public static EquivalenceComparer Instance { get; } = new();

        public bool Equals(JsonElement x, JsonElement y) => x.IsEquivalentTo(y);

        public int GetHashCode(JsonElement obj) =>
            obj.ValueKind == JsonValueKind.Number ? obj.GetDecimal().GetHashCode() : obj.GetEquivalenceHashCode();
    }
}

/// <summary>An <c>enum</c>'s values, split by kind so a string is compared only with strings, without decoding it.</summary>
internal sealed class EnumValues(IReadOnlyList<JsonElement> values)
{
    private readonly byte[][] _strings = values.Where(v => v.ValueKind == JsonValueKind.String).Select(v => Encoding.UTF8.GetBytes(v.GetString()!)).ToArray();
    private readonly JsonElement[] _others = values.Where(v => v.ValueKind is not (JsonValueKind.String or JsonValueKind.Null or JsonValueKind.True or JsonValueKind.False)).ToArray();
    private readonly bool _null = values.Any(v => v.ValueKind == JsonValueKind.Null);
    private readonly bool _true = values.Any(v => v.ValueKind == JsonValueKind.True);
    private readonly bool _false = values.Any(v => v.ValueKind == JsonValueKind.False);

    public bool Contains(JsonElement instance)
    {
        switch (instance.ValueKind)
        {
            case JsonValueKind.String:
                foreach (var option in _strings)
                {
                    if (instance.ValueEquals(option))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Null:
                return _null;
            case JsonValueKind.True:
                return _true;
            case JsonValueKind.False:
                return _false;
            default:
                foreach (var option in _others)
                {
                    if (option.IsEquivalentTo(instance))
                    {
                        return true;
                    }
                }

                return false;
        }
    }
}

/// <summary>A schema's <c>properties</c>, looked up by an instance's property name without allocating it.</summary>
internal sealed class PropertyMap
{
    private readonly Dictionary<string, (SchemaNode Schema, int Index)> _byName;
    private readonly Dictionary<string, (SchemaNode Schema, int Index)>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public PropertyMap(IReadOnlyList<(string Name, SchemaNode Schema)> properties)
    {
        _byName = new Dictionary<string, (SchemaNode, int)>(properties.Count, StringComparer.Ordinal);
        for (var i = 0; i < properties.Count; i++)
        {
            _byName[properties[i].Name] = (properties[i].Schema, i);
        }

        _bySpan = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _byName.Count;

    public int IndexOf(string name) => _byName.TryGetValue(name, out var entry) ? entry.Index : -1;

    public bool TryFind(JsonProperty property, Span<char> buffer, out SchemaNode schema, out int index)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        (SchemaNode Schema, int Index) entry;
        bool found;
        if (raw.Length <= buffer.Length && !raw.Contains((byte)'\\') && Encoding.UTF8.TryGetChars(raw, buffer, out var written))
        {
            found = _bySpan.TryGetValue(buffer[..written], out entry);
        }
        else
        {
            found = _byName.TryGetValue(property.Name, out entry);
        }

        schema = entry.Schema;
        index = entry.Index;
        return found;
    }
}
