using System.Text.Json.Nodes;
using DevLab.JmesPath.Expressions;
using DevLab.JmesPath.Functions;
using DevLab.JmesPath.Interop;
using DevLab.JmesPath.Utils;
using Handoff.Policy.Values;
using Newtonsoft.Json.Linq;

namespace Handoff.Policy.Variables;

/// <summary>What one evaluation of a node query needs besides its input: the root (<c>$</c>) and this thread's functions.</summary>
internal readonly struct QueryRun(object? root, IFunctionRepository functions)
{
    public object? Root { get; } = root;
    public IFunctionRepository Functions { get; } = functions;
}

/// <summary>
/// A JMESPath expression evaluated directly on resource nodes, without converting the resource to Json.NET.
/// It is compiled from JmesPath.Net's own syntax tree and each node mirrors the library class it replaces
/// (including its projection, null and flattening quirks), so results are exactly what the library returns;
/// expressions using constructs it does not mirror (slices, arithmetic, let, expression-type arguments) have no
/// node query and go to the library. Immutable, so one instance serves all threads.
/// </summary>
internal sealed class NodeQuery
{
    private readonly QueryNode _root;

    private NodeQuery(QueryNode root) => _root = root;

    /// <summary>Null when the expression uses a construct without a node mirror.</summary>
    public static NodeQuery? TryCompile(JmesPathExpression parsed)
    {
        var collector = new PreorderCollector();
        parsed.Accept(collector);
        var position = 0;
        var root = QueryNodeBuilder.Build(collector.Nodes, ref position);
        return root is not null && position == collector.Nodes.Count ? new NodeQuery(root) : null;
    }

    /// <summary>The result the library would give (projections materialised into lists); C# null for any null.</summary>
    public object? Evaluate(object? input, IFunctionRepository functions)
    {
        var run = new QueryRun(input, functions);
        var result = QueryValue.Materialise(_root.Apply(input, run));
        return QueryValue.IsNullish(result) ? null : result;
    }

    private sealed class PreorderCollector : IVisitor
    {
        public List<JmesPathExpression> Nodes { get; } = [];

        public void Visit(JmesPathExpression expression) => Nodes.Add(expression);
    }
}

/// <summary>Rebuilds the expression tree from its pre-order walk (the library's public visitor), knowing each node's arity.</summary>
internal static class QueryNodeBuilder
{
    public static QueryNode? Build(List<JmesPathExpression> nodes, ref int position)
    {
        if (position >= nodes.Count)
        {
            return null;
        }

        var expression = nodes[position++];
        if (expression.IsExpressionType)
        {
            return null;
        }

        switch (expression)
        {
            case JmesPathIdentifier identifier:
                return new IdentifierNode(identifier.Name);
            case JmesPathIndex index:
                return new IndexNode(index.Index);
            case JmesPathLiteral literal:
                return new ConstantNode(QueryValue.Freeze(literal.Value.DeepClone()));
            case JmesPathRawString raw:
                return new ConstantNode(QueryValue.Freeze(new JValue(raw.Value)));
            case JmesPathCurrentNodeExpression:
                return CurrentNode.Instance;
            case JmesPathRootNodeExpression:
                return RootNode.Instance;
            case JmesPathFlattenProjection:
                return FlattenNode.Instance;
            case JmesPathListWildcardProjection:
                return ListWildcardNode.Instance;
            case JmesPathHashWildcardProjection:
                return HashWildcardNode.Instance;
            case JmesPathFilterProjection:
                return Build(nodes, ref position) is { } condition ? new FilterNode(condition) : null;
            case JmesPathMultiSelectList list:
            {
                var items = BuildAll(nodes, ref position, list.Expressions.Length);
                return items is null ? null : new MultiSelectListNode(items);
            }

            case JmesPathMultiSelectHash hash:
            {
                var keys = hash.Dictionary.Keys.ToArray();
                var values = BuildAll(nodes, ref position, keys.Length);
                return values is null ? null : new MultiSelectHashNode(keys, values);
            }

            case JmesPathFunctionExpression function:
            {
                var arguments = BuildAll(nodes, ref position, function.Arguments.Length);
                return arguments is null ? null : new FunctionNode(function.Name, arguments);
            }

            case JmesPathNotExpression:
                return Build(nodes, ref position) is { } negated ? new NotNode(negated) : null;
            case JmesPathSimpleExpression when expression.GetType() == typeof(JmesParenExpression) || expression.GetType().Name == "JmesPathRootExpression":
                return Build(nodes, ref position);
            case JmesPathCompoundExpression compound:
            {
                var kind = CompoundKind(compound);
                if (kind is null)
                {
                    return null;
                }

                var left = Build(nodes, ref position);
                var right = left is null ? null : Build(nodes, ref position);
                if (right is null)
                {
                    return null;
                }

                return kind switch
                {
                    "sub" => new ChildNode(left!, right),
                    "pipe" => new PipeNode(left!, right),
                    "and" => new AndNode(left!, right),
                    "or" => new OrNode(left!, right),
                    _ => new ComparisonNode(left!, right, kind),
                };
            }

            default:
                return null;
        }
    }

    private static QueryNode[]? BuildAll(List<JmesPathExpression> nodes, ref int position, int count)
    {
        var built = new QueryNode[count];
        for (var i = 0; i < count; i++)
        {
            if (Build(nodes, ref position) is not { } node)
            {
                return null;
            }

            built[i] = node;
        }

        return built;
    }

    private static string? CompoundKind(JmesPathCompoundExpression compound) => compound switch
    {
        JmesPathSubExpression or JmesPathIndexExpression => "sub",
        JmesPathPipeExpression => "pipe",
        JmesPathAndExpression => "and",
        JmesPathOrExpression => "or",
        JmesPathEqualOperator => "==",
        JmesPathNotEqualOperator => "!=",
        JmesPathGreaterThanOperator => ">",
        JmesPathGreaterThanOrEqualOperator => ">=",
        JmesPathLessThanOperator => "<",
        JmesPathLessThanOrEqualOperator => "<=",
        _ => null,
    };
}

/// <summary>One node of a node query, the twin of a JmesPath.Net expression class.</summary>
internal abstract class QueryNode
{
    /// <summary>JmesPathExpression.Transform(JmesPathArgument): a projection is mapped item by item.</summary>
    public object? Apply(object? argument, in QueryRun run) => argument is Projection projection ? Project(projection, run) : Eval(argument, run);

    /// <summary>Transform(JToken) of the library class; <paramref name="input"/> is never a projection.</summary>
    public abstract object? Eval(object? input, in QueryRun run);

    /// <summary>Project(IEnumerable&lt;JmesPathArgument&gt;): keeps nested projections and every item but the missing value.</summary>
    protected virtual object? Project(Projection projection, in QueryRun run)
    {
        var items = new List<object>(projection.Items.Count);
        foreach (var item in projection.Items)
        {
            var result = Apply(item, run);
            if (result is not null)
            {
                items.Add(result);
            }
        }

        return new Projection(items);
    }

    /// <summary>JmesPathArgument.IsNull(): any JSON null (a projection never is).</summary>
    protected static bool IsNullArgument(object? value) => value is not Projection && QueryValue.IsNullish(value);
}

internal sealed class IdentifierNode(string name) : QueryNode
{
    public override object? Eval(object? input, in QueryRun run) => QueryValue.Field(input, name);
}

internal sealed class IndexNode(int index) : QueryNode
{
    public override object? Eval(object? input, in QueryRun run)
    {
        if (!QueryValue.IsArray(input))
        {
            return null;
        }

        var count = QueryValue.Count(input!);
        var at = index < 0 ? count + index : index;
        return at < 0 || at >= count ? null : QueryValue.Item(input!, at);
    }
}

internal sealed class ConstantNode(JToken value) : QueryNode
{
    public override object? Eval(object? input, in QueryRun run) => value;
}

internal sealed class CurrentNode : QueryNode
{
    public static readonly CurrentNode Instance = new();

    public override object? Eval(object? input, in QueryRun run) => input;
}

internal sealed class RootNode : QueryNode
{
    public static readonly RootNode Instance = new();

    public override object? Eval(object? input, in QueryRun run) => run.Root;
}

/// <summary>Sub-expressions and index expressions: the right side only runs on a non-null left side.</summary>
internal sealed class ChildNode(QueryNode left, QueryNode right) : QueryNode
{
    public override object? Eval(object? input, in QueryRun run)
    {
        var value = left.Eval(input, run);
        return IsNullArgument(value) ? value : right.Apply(value, run);
    }
}

internal sealed class PipeNode(QueryNode left, QueryNode right) : QueryNode
{
    public override object? Eval(object? input, in QueryRun run) => right.Apply(QueryValue.Materialise(left.Eval(input, run)), run);
}

internal sealed class AndNode(QueryNode left, QueryNode right) : QueryNode
{
    public override object? Eval(object? input, in QueryRun run)
    {
        var value = left.Eval(input, run);
        return QueryValue.IsFalse(value) ? value : right.Eval(input, run);
    }
}

internal sealed class OrNode(QueryNode left, QueryNode right) : QueryNode
{
    public override object? Eval(object? input, in QueryRun run)
    {
        var value = left.Eval(input, run);
        return QueryValue.IsFalse(value) ? right.Eval(input, run) : value;
    }
}

internal sealed class NotNode(QueryNode operand) : QueryNode
{
    public override object? Eval(object? input, in QueryRun run) => QueryValue.Bool(QueryValue.IsFalse(operand.Eval(input, run)));
}

/// <summary><c>==</c> is Json.NET's DeepEquals; orderings compare two numbers or two strings (null counting as a string), else give null.</summary>
internal sealed class ComparisonNode(QueryNode left, QueryNode right, string op) : QueryNode
{
    public override object? Eval(object? input, in QueryRun run)
    {
        var a = QueryValue.Materialise(left.Eval(input, run));
        var b = QueryValue.Materialise(right.Eval(input, run));
        switch (op)
        {
            case "==":
                return QueryValue.Bool(Equal(a, b));
            case "!=":
                return QueryValue.Bool(!Equal(a, b));
        }

        if (Number(a) is { } x && Number(b) is { } y)
        {
            return QueryValue.Bool(op switch
            {
                ">" => x > y,
                ">=" => x >= y,
                "<" => x < y,
                _ => x <= y,
            });
        }

        if (Stringish(a, out var s) && Stringish(b, out var t))
        {
            return QueryValue.Bool(op switch
            {
                ">" => s is not null && string.Compare(s, t, StringComparison.Ordinal) > 0,
                ">=" => s is not null ? string.Compare(s, t, StringComparison.Ordinal) >= 0 : t is null,
                "<" => s is not null ? string.Compare(s, t, StringComparison.Ordinal) < 0 : t is not null,
                _ => s is null || string.Compare(s, t, StringComparison.Ordinal) <= 0,
            });
        }

        return null;
    }

    private static bool Equal(object? a, object? b)
    {
        if (QueryValue.AsString(a) is { } s && QueryValue.AsString(b) is { } t)
        {
            return string.Equals(s, t, StringComparison.Ordinal);
        }

        return JToken.DeepEquals(QueryValue.ToArgumentToken(a), QueryValue.ToArgumentToken(b));
    }

    private static double? Number(object? value) => value switch
    {
        JsonValue node when GoValue.Of(node) is { IsNumber: true } scalar => scalar.AsDouble,
        JValue { Type: JTokenType.Integer or JTokenType.Float } token => token.Value<double>(),
        _ => null,
    };

    private static bool Stringish(object? value, out string? text)
    {
        text = null;
        switch (value)
        {
            case null or DataNull:
                return true;
            case JsonValue node:
            {
                var scalar = GoValue.Of(node);
                text = scalar.String;
                return scalar.Kind is GoKind.String or GoKind.Nil;
            }

            case JValue { Type: JTokenType.String or JTokenType.Null or JTokenType.Date or JTokenType.Bytes or JTokenType.Guid or JTokenType.Uri or JTokenType.TimeSpan } token:
                text = token.Value<string>();
                return true;
            default:
                return false;
        }
    }
}

internal sealed class MultiSelectListNode(QueryNode[] items) : QueryNode
{
    public override object? Eval(object? input, in QueryRun run)
    {
        var values = new List<object>(items.Length);
        foreach (var item in items)
        {
            values.Add(QueryValue.Materialise(item.Apply(input, run)) ?? DataNull.Instance);
        }

        return new ValueList(values);
    }
}

internal sealed class MultiSelectHashNode(string[] keys, QueryNode[] values) : QueryNode
{
    public override object? Eval(object? input, in QueryRun run)
    {
        var map = new MapValue(keys.Length);
        for (var i = 0; i < keys.Length; i++)
        {
            map.Set(keys[i], QueryValue.Materialise(values[i].Apply(input, run)));
        }

        return map;
    }
}

internal sealed class ListWildcardNode : QueryNode
{
    public static readonly ListWildcardNode Instance = new();

    public override object? Eval(object? input, in QueryRun run)
    {
        if (!QueryValue.IsArray(input))
        {
            return null;
        }

        var items = new List<object>(QueryValue.Count(input!));
        AddPresentItems(items, input!);
        return new Projection(items);
    }

    /// <summary>Appends the elements of <paramref name="array"/> that are not null: JMESPath projections drop nulls.</summary>
    internal static void AddPresentItems(List<object> items, object array)
    {
        var count = QueryValue.Count(array);
        for (var i = 0; i < count; i++)
        {
            var item = QueryValue.Item(array, i);
            if (!QueryValue.IsNullish(item))
            {
                items.Add(item);
            }
        }
    }
}

internal sealed class HashWildcardNode : QueryNode
{
    public static readonly HashWildcardNode Instance = new();

    public override object? Eval(object? input, in QueryRun run) =>
        QueryValue.IsObject(input) ? new Projection(QueryValue.Values(input!).ToList()) : null;
}

internal sealed class FlattenNode : QueryNode
{
    public static readonly FlattenNode Instance = new();

    public override object? Eval(object? input, in QueryRun run)
    {
        if (!QueryValue.IsArray(input))
        {
            return null;
        }

        var count = QueryValue.Count(input!);
        var items = new List<object>(count);
        for (var i = 0; i < count; i++)
        {
            var item = QueryValue.Item(input!, i);
            if (QueryValue.IsNullish(item))
            {
                continue;
            }

            if (QueryValue.IsArray(item))
            {
                ListWildcardNode.AddPresentItems(items, item);
            }
            else
            {
                items.Add(item);
            }
        }

        return new Projection(items);
    }

    /// <summary>Flattening a projection flattens the list it denotes as a whole.</summary>
    protected override object? Project(Projection projection, in QueryRun run) => Eval(QueryValue.Materialise(projection), run);
}

internal sealed class FilterNode(QueryNode condition) : QueryNode
{
    public override object? Eval(object? input, in QueryRun run)
    {
        if (!QueryValue.IsArray(input))
        {
            return null;
        }

        var count = QueryValue.Count(input!);
        var items = new List<object>(count);
        for (var i = 0; i < count; i++)
        {
            var item = QueryValue.Item(input!, i);
            if (!QueryValue.IsFalse(QueryValue.Materialise(condition.Eval(item, run))))
            {
                items.Add(item);
            }
        }

        return new Projection(items);
    }
}

/// <summary>
/// A function call: arguments are converted to Json.NET tokens (only the argument values, never the whole
/// resource) and handed to this thread's instance of the very function the library would call.
/// </summary>
internal sealed class FunctionNode(string name, QueryNode[] arguments) : QueryNode
{
    public override object? Eval(object? input, in QueryRun run)
    {
        var args = new JmesPathFunctionArgument[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            args[i] = new JmesPathFunctionArgument(QueryValue.ToArgumentToken(QueryValue.Materialise(arguments[i].Apply(input, run))));
        }

        var function = run.Functions[name];
        function.Validate(args);
        var result = function.Execute(args);
        return result is null || ReferenceEquals(result, JTokens.Null) ? null : result;
    }
}
