namespace Handoff.Validation.Loading;

/// <summary>A 1-based line and column in a source file.</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public static SourcePosition None => default;

    public bool IsKnown => Line > 0;

    public override string ToString() => Column > 0 ? $"{Line}:{Column}" : Line.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Where a JSON pointer's node sits in the YAML source: its value, and its mapping key when it has one.</summary>
public readonly record struct NodePosition(SourcePosition Value, SourcePosition Key)
{
    /// <summary>The key when there is one (where a person looks for a property name), else the value.</summary>
    public SourcePosition KeyOrValue => Key.IsKnown ? Key : Value;
}
