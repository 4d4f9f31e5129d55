namespace Handoff.Yaml.Tests;

internal static class Samples
{
    public const string File = "env/dev/values.yaml";
    public static readonly Digest Digest = Digest.Parse("sha256:" + new string('a', 64));
    public static readonly Digest Other = Digest.Parse("sha256:" + new string('b', 64));
    public static string D => Digest.ToString();
}
