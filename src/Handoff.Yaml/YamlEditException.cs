namespace Handoff.Yaml;

/// <summary>A YAML file that cannot be edited safely: names the file, line, column and the fix.</summary>
public sealed class YamlEditException : InputFileException
{
    public YamlEditException(string file, int line, int column, string problem, string? fix = null, Exception? inner = null)
        : base(file, line, column, problem, fix, inner)
    {
    }
}
