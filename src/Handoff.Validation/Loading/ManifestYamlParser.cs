using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Core.Tokens;
using AnchorAliasToken = YamlDotNet.Core.Tokens.AnchorAlias;
using CommentToken = YamlDotNet.Core.Tokens.Comment;
using DocumentEndEvent = YamlDotNet.Core.Events.DocumentEnd;
using DocumentEndToken = YamlDotNet.Core.Tokens.DocumentEnd;
using DocumentStartToken = YamlDotNet.Core.Tokens.DocumentStart;
using StreamEndToken = YamlDotNet.Core.Tokens.StreamEnd;
using StreamStartToken = YamlDotNet.Core.Tokens.StreamStart;
using DocumentStartEvent = YamlDotNet.Core.Events.DocumentStart;
using ScalarEvent = YamlDotNet.Core.Events.Scalar;
using ScalarToken = YamlDotNet.Core.Tokens.Scalar;
using StreamEndEvent = YamlDotNet.Core.Events.StreamEnd;
using StreamStartEvent = YamlDotNet.Core.Events.StreamStart;

namespace Handoff.Validation.Loading;

/// <summary>Thrown by <see cref="ManifestYamlParser"/> for input outside the subset it handles.</summary>
internal sealed class OutsideParserSubsetException() : Exception("The document uses YAML the lean parser leaves to YamlDotNet's parser.");

/// <summary>
/// Produces the same events as YamlDotNet's <see cref="Parser"/> (same types, values, styles and
/// marks), from the same <see cref="Scanner"/>, for the YAML rendered manifests are made of: block
/// and flow collections of plain, quoted and block scalars with scalar keys. It exists because
/// YamlDotNet's parser interns every mapping key (<c>string.IsInterned</c>, a lookup in the runtime's
/// process-wide intern table), about a third of its parse time on manifests. Anything else — anchors, aliases,
/// tags, directives, complex or empty keys, explicit document ends, scanner errors — throws
/// <see cref="OutsideParserSubsetException"/> (or the scanner's own exception) before a wrong event
/// can be produced, and the caller re-reads the chunk with YamlDotNet's parser, so errors and rare
/// constructs keep YamlDotNet's exact behaviour.
/// </summary>
internal sealed class ManifestYamlParser(IScanner scanner) : IParser
{
    /// <summary>What the parser expects next inside an open collection.</summary>
    private enum Frame : byte
    {
        BlockSequence,
        IndentlessSequence,
        BlockMappingKey,
        BlockMappingValue,
        FlowSequenceFirst,
        FlowSequence,
        FlowMappingFirstKey,
        FlowMappingKey,
        FlowMappingValue,
    }

    /// <summary>Where the parser is in the stream; inside the root node, <see cref="Frame"/>s take over.</summary>
    private enum Stage : byte
    {
        StreamStart,
        DocumentStart,
        DocumentContent,
        InNode,
        DocumentEnd,
        Done,
    }

    private readonly List<Frame> _frames = [];
    private Stage _stage = Stage.StreamStart;
    private Token? _token;
    private bool _first = true;

    public ParsingEvent? Current { get; private set; }

    public bool MoveNext()
    {
        if (_stage == Stage.Done)
        {
            Current = null;
            return false;
        }

        Current = Next();
        return true;
    }

    private ParsingEvent Next()
    {
        switch (_stage)
        {
            case Stage.StreamStart:
                var start = Peek() as StreamStartToken ?? throw new OutsideParserSubsetException();
                Consume();
                _stage = Stage.DocumentStart;
                return new StreamStartEvent(start.Start, start.End);
            case Stage.DocumentStart:
                return StartDocument();
            case Stage.DocumentContent:
                if (Peek() is DocumentStartToken or DocumentEndToken or StreamEndToken or VersionDirective or TagDirective)
                {
                    _stage = Stage.DocumentEnd;
                    return Empty(scanner.CurrentPosition);
                }

                _stage = Stage.InNode;
                return Node(block: true, indentless: false);
            case Stage.DocumentEnd:
                return EndDocument();
            default:
                return InCollection();
        }
    }

    private ParsingEvent StartDocument()
    {
        var token = Peek();
        switch (token)
        {
            case StreamEndToken end:
                _stage = Stage.Done;
                return new StreamEndEvent(end.Start, end.End);
            case DocumentStartToken marker:
                Consume();
                _first = false;
                _stage = Stage.DocumentContent;
                return new DocumentStartEvent(null, new TagDirectiveCollection(), isImplicit: false, marker.Start, marker.End);
            case DocumentEndToken or VersionDirective or TagDirective or null:
                throw new OutsideParserSubsetException();
            default:
                if (!_first && token is not BlockMappingStart and not ScalarToken)
                {
                    throw new OutsideParserSubsetException();
                }

                // An implicit start: the root node (not a marker) follows on the next call.
                _first = false;
                _stage = Stage.DocumentContent;
                return new DocumentStartEvent(null, new TagDirectiveCollection(), isImplicit: true, token.Start, token.End);
        }
    }

    private DocumentEndEvent EndDocument()
    {
        var token = Peek();
        if (token is not (StreamEndToken or DocumentStartToken))
        {
            throw new OutsideParserSubsetException();
        }

        _stage = Stage.DocumentStart;
        return new DocumentEndEvent(isImplicit: true, token.Start, token.Start);
    }

    /// <summary>The next event inside the current collection (or the end of the document's root node).</summary>
    private ParsingEvent InCollection()
    {
        if (_frames.Count == 0)
        {
            _stage = Stage.DocumentEnd;
            return EndDocument();
        }

        var token = Peek();
        switch (_frames[^1])
        {
            case Frame.BlockSequence:
                if (token is BlockEntry entry)
                {
                    Consume();
                    return Peek() is BlockEntry or BlockEnd ? Empty(entry.End) : Node(block: true, indentless: false);
                }

                if (token is BlockEnd blockEnd)
                {
                    Consume();
                    Pop();
                    return new SequenceEnd(blockEnd.Start, blockEnd.End);
                }

                throw new OutsideParserSubsetException();
            case Frame.IndentlessSequence:
                if (token is BlockEntry item)
                {
                    Consume();
                    return Peek() is BlockEntry or Key or Value or BlockEnd ? Empty(item.End) : Node(block: true, indentless: false);
                }

                Pop();
                return new SequenceEnd(token!.Start, token.End);
            case Frame.BlockMappingKey:
                if (token is Key key)
                {
                    Consume();
                    if (Peek() is not ScalarToken)
                    {
                        throw new OutsideParserSubsetException();
                    }

                    _frames[^1] = Frame.BlockMappingValue;
                    return Node(block: true, indentless: true);
                }

                if (token is BlockEnd mappingEnd)
                {
                    Consume();
                    Pop();
                    return new MappingEnd(mappingEnd.Start, mappingEnd.End);
                }

                throw new OutsideParserSubsetException();
            case Frame.BlockMappingValue:
                _frames[^1] = Frame.BlockMappingKey;
                if (token is Value value)
                {
                    Consume();
                    return Peek() is Key or Value or BlockEnd ? Empty(value.End) : Node(block: true, indentless: true);
                }

                if (token is Error)
                {
                    throw new OutsideParserSubsetException();
                }

                return Empty(token!.Start);
            case Frame.FlowSequenceFirst or Frame.FlowSequence:
                var first = _frames[^1] == Frame.FlowSequenceFirst;
                _frames[^1] = Frame.FlowSequence;
                if (token is not FlowSequenceEnd)
                {
                    if (!first)
                    {
                        if (token is not FlowEntry)
                        {
                            throw new OutsideParserSubsetException();
                        }

                        Consume();
                        token = Peek();
                    }

                    if (token is Key)
                    {
                        throw new OutsideParserSubsetException();
                    }

                    if (token is not FlowSequenceEnd)
                    {
                        return Node(block: false, indentless: false);
                    }
                }

                Consume();
                Pop();
                if (Peek() is Error)
                {
                    throw new OutsideParserSubsetException();
                }

                return new SequenceEnd(token!.Start, token.End);
            case Frame.FlowMappingFirstKey or Frame.FlowMappingKey:
                var firstKey = _frames[^1] == Frame.FlowMappingFirstKey;
                _frames[^1] = Frame.FlowMappingKey;
                if (token is not FlowMappingEnd)
                {
                    if (!firstKey)
                    {
                        if (token is not FlowEntry)
                        {
                            throw new OutsideParserSubsetException();
                        }

                        Consume();
                        token = Peek();
                    }

                    if (token is Key)
                    {
                        Consume();
                        if (Peek() is not ScalarToken)
                        {
                            throw new OutsideParserSubsetException();
                        }

                        _frames[^1] = Frame.FlowMappingValue;
                        return Node(block: false, indentless: false);
                    }

                    if (token is not FlowMappingEnd)
                    {
                        throw new OutsideParserSubsetException();
                    }
                }

                Consume();
                Pop();
                return new MappingEnd(token!.Start, token.End);
            case Frame.FlowMappingValue:
                _frames[^1] = Frame.FlowMappingKey;
                if (token is Value)
                {
                    Consume();
                    token = Peek();
                    if (token is not (FlowEntry or FlowMappingEnd))
                    {
                        var node = Node(block: false, indentless: false);
                        if (node is ScalarEvent && Peek() is not (FlowEntry or FlowMappingEnd))
                        {
                            throw new OutsideParserSubsetException();
                        }

                        return node;
                    }
                }
                else if (token is ScalarToken)
                {
                    throw new OutsideParserSubsetException();
                }

                return Empty(token!.Start);
            default:
                throw new OutsideParserSubsetException();
        }
    }

    /// <summary>
    /// The event that opens the node at the current token: a scalar, or the start of a collection
    /// (whose frame is pushed). The caller has already set what follows the node in its own frame.
    /// </summary>
    private ParsingEvent Node(bool block, bool indentless)
    {
        var token = Peek();
        switch (token)
        {
            case ScalarToken scalar:
                Consume();
                var plain = scalar.Style == ScalarStyle.Plain;
                return new ScalarEvent(AnchorName.Empty, TagName.Empty, scalar.Value, scalar.Style, isPlainImplicit: plain, isQuotedImplicit: !plain, scalar.Start, scalar.End);
            case BlockEntry when indentless:
                _frames.Add(Frame.IndentlessSequence);
                return new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Block, token.Start, token.End);
            case FlowSequenceStart flowSequence:
                Consume();
                _frames.Add(Frame.FlowSequenceFirst);
                return new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Flow, flowSequence.Start, flowSequence.End);
            case FlowMappingStart flowMapping:
                Consume();
                _frames.Add(Frame.FlowMappingFirstKey);
                return new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Flow, flowMapping.Start, flowMapping.End);
            case BlockSequenceStart blockSequence when block:
                Consume();
                _frames.Add(Frame.BlockSequence);
                return new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Block, blockSequence.Start, blockSequence.End);
            case BlockMappingStart blockMapping when block:
                Consume();
                _frames.Add(Frame.BlockMappingKey);
                return new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block, blockMapping.Start, blockMapping.End);
            default:
                throw new OutsideParserSubsetException();
        }
    }

    private static ScalarEvent Empty(Mark at) =>
        new(AnchorName.Empty, TagName.Empty, string.Empty, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false, at, at);

    private void Pop() => _frames.RemoveAt(_frames.Count - 1);

    private Token? Peek()
    {
        if (_token is null && scanner.MoveNextWithoutConsuming())
        {
            _token = scanner.Current;
            if (_token is Error or Anchor or AnchorAliasToken or Tag or CommentToken)
            {
                throw new OutsideParserSubsetException();
            }
        }

        return _token;
    }

    private void Consume()
    {
        if (_token is not null)
        {
            _token = null;
            scanner.ConsumeCurrent();
        }
    }
}
