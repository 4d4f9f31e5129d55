using Cake.Core;
using Cake.Core.Configuration;

namespace Handoff.Frosting;

/// <summary>Where a parameter's value came from, so errors and logs can say which source to fix.</summary>
public enum ParameterSource
{
    CommandLine,
    Environment,
    ConfigFile,

    /// <summary>A default a task supplied for what no user source sets (e.g. the Demo's embedded sample app).</summary>
    TaskDefault,
}

public sealed record ParameterValue(string Name, string Value, ParameterSource Source);

/// <summary>
/// Resolves build parameters in a fixed order: command line (<c>--base-image=x</c>), environment
/// (<c>HANDOFF_BASE_IMAGE</c>), then the <c>[Handoff]</c> section of <c>cake.config</c>
/// (<c>base-image = x</c> or <c>BaseImage = x</c>). Names compare case-insensitively and ignore
/// dashes and underscores, so every spelling a user might reach for works.
/// </summary>
public sealed class Parameters(ICakeArguments arguments, Func<string, string?> environment, IReadOnlyDictionary<string, string> configSection, IEnumerable<string>? environmentNames = null)
{
    public const string EnvironmentPrefix = "HANDOFF_";
    public const string ConfigSection = "Handoff";

    private readonly string[] _environmentNames = environmentNames?.ToArray() ?? [];
    private readonly Dictionary<string, string> _taskDefaults = [];

    /// <summary>
    /// A value used only when the command line, environment and cake.config all leave the name unset;
    /// lets a target such as Demo run from any folder without letting it override the user.
    /// </summary>
    public void SetDefault(string name, string value) => _taskDefaults[Normalize(name)] = value;

    public static Parameters FromContext(ICakeContext context, IReadOnlyDictionary<string, string> configSection) =>
        new(context.Arguments, context.Environment.GetEnvironmentVariable, configSection, context.Environment.GetEnvironmentVariables().Keys);

    public ParameterValue? Find(string name)
    {
        var all = FindAll(name);
        return all.Count == 0 ? null : all[^1];
    }

    /// <summary>All values of a repeatable parameter from the first source that has any.</summary>
    public IReadOnlyList<ParameterValue> FindAll(string name)
    {
        var key = Normalize(name);
        foreach (var (argName, values) in arguments.GetArguments())
        {
            if (Normalize(argName) == key && values.Count > 0)
            {
                return values.Select(v => new ParameterValue(name, v, ParameterSource.CommandLine)).ToList();
            }
        }

        var envName = EnvironmentPrefix + name.Replace('-', '_').ToUpperInvariant();
        var env = environment(envName);
        if (env is null)
        {
            // Accept HANDOFF_BASEIMAGE as well as HANDOFF_BASE_IMAGE.
            var match = _environmentNames.FirstOrDefault(n =>
                n.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && Normalize(n[EnvironmentPrefix.Length..]) == key);
            env = match is null ? null : environment(match);
        }

        if (env is not null)
        {
            return [new ParameterValue(name, env, ParameterSource.Environment)];
        }

        foreach (var (configName, value) in configSection)
        {
            if (Normalize(configName) == key)
            {
                return [new ParameterValue(name, value, ParameterSource.ConfigFile)];
            }
        }

        return _taskDefaults.TryGetValue(key, out var fallback) ? [new ParameterValue(name, fallback, ParameterSource.TaskDefault)] : [];
    }

    public string? Get(string name) => Find(name)?.Value;

    public string Get(string name, string defaultValue) => Find(name)?.Value ?? defaultValue;

    public string Require(string name, string hint)
    {
        var value = Find(name)?.Value;
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new MissingParameterException(name, hint);
        }

        return value;
    }

    public bool Flag(string name)
    {
        var value = Find(name)?.Value;
        return value is not null && !value.Equals("false", StringComparison.OrdinalIgnoreCase) && value != "0";
    }

    internal static string Normalize(string name) => name.Replace("-", "").Replace("_", "").ToLowerInvariant();
}

public sealed class MissingParameterException(string name, string hint)
    : Exception($"Missing parameter '{name}': pass --{name}=VALUE, set {Parameters.EnvironmentPrefix}{name.Replace('-', '_').ToUpperInvariant()}, or add '{name} = VALUE' to the [{Parameters.ConfigSection}] section of cake.config. {hint}".TrimEnd())
{
    public string Name { get; } = name;
}
