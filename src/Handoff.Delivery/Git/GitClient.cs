namespace Handoff.Delivery.Git;

/// <summary>Runs git in one directory with Handoff's environment (identity, credentials, no prompts).</summary>
internal sealed class GitClient
{
    private readonly GitSettings _settings;
    private readonly IReadOnlyDictionary<string, string?> _environment;

    public GitClient(string? workingDirectory, GitSettings settings)
    {
        WorkingDirectory = workingDirectory;
        _settings = settings;
        _environment = settings.Environment();
    }

    public string? WorkingDirectory { get; }

    public GitClient In(string directory) => new(directory, _settings);

    /// <summary>Runs git and returns the result whatever the exit code.</summary>
    public Task<ExecResult> TryAsync(IEnumerable<string> arguments, CancellationToken cancellationToken, string? standardInput = null) =>
        Exec.RunAsync(_settings.GitPath, arguments, new ExecOptions
        {
            WorkingDirectory = WorkingDirectory,
            Environment = _environment,
            StandardInput = standardInput,
            Timeout = _settings.Timeout,
        }, cancellationToken);

    /// <summary>Runs git, throws a <see cref="HandoffException"/> starting with <paramref name="whatFailed"/> on failure, returns trimmed stdout.</summary>
    public async Task<string> RunAsync(string whatFailed, IEnumerable<string> arguments, CancellationToken cancellationToken, string? standardInput = null)
    {
        var result = await TryAsync(arguments, cancellationToken, standardInput);
        result.EnsureSuccess(whatFailed);
        return result.StandardOutput.TrimEnd('\n', '\r');
    }
}
