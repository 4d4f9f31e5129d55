using System.Text.RegularExpressions;

namespace Handoff.MSBuild.Tests.Support;

/// <summary>One diagnostic as MSBuild's console logger prints it: <c>file(line,col): error CODE: message [project]</c>.</summary>
internal sealed record BuildDiagnostic(string File, int Line, int Column, string Code, string Message);

/// <summary>What a dotnet build/msbuild/publish run printed, parsed into errors, warnings and the <c>OUT:name=value</c> lines test projects print.</summary>
internal sealed partial record BuildResult(int ExitCode, string Output)
{
    public bool Succeeded => ExitCode == 0;

    public IReadOnlyList<BuildDiagnostic> Errors => Diagnostics("error");

    public IReadOnlyList<BuildDiagnostic> Warnings => Diagnostics("warning");

    /// <summary>The value a test project printed as <c>OUT:name=value</c>; null when it printed none.</summary>
    public string? Value(string name)
    {
        var prefix = $"OUT:{name}=";
        return Lines().Select(l => l.Trim()).Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => l[prefix.Length..]).LastOrDefault();
    }

    public override string ToString() => $"exit code {ExitCode}\n{Output}";

    private IEnumerable<string> Lines() => Output.Split('\n').Select(l => l.TrimEnd('\r'));

    private List<BuildDiagnostic> Diagnostics(string severity) =>
        Lines()
            .Select(l => DiagnosticLine().Match(l))
            .Where(m => m.Success && m.Groups["severity"].Value == severity)
            .Select(m => new BuildDiagnostic(
                m.Groups["file"].Value.Trim(),
                m.Groups["line"].Success ? int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0,
                m.Groups["column"].Success ? int.Parse(m.Groups["column"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0,
                m.Groups["code"].Value,
                m.Groups["message"].Value))
            .Distinct()
            .ToList();

    [GeneratedRegex(@"^\s*(?<file>[^\s(][^(]*?)(?:\((?<line>\d+)(?:,(?<column>\d+))?\))?\s*:\s+(?<severity>error|warning)\s+(?<code>[A-Z]+[0-9]+)\s*:\s*(?<message>.*?)(?:\s+\[[^\]]+\])?$")]
    private static partial Regex DiagnosticLine();
}
