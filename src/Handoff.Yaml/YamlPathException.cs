namespace Handoff.Yaml;

/// <summary>A path given to <see cref="ImagePinEditor"/> that is not valid path syntax; the message shows the fix.</summary>
public sealed class YamlPathException : HandoffException
{
    public YamlPathException(string message) : base(message) { }
}
