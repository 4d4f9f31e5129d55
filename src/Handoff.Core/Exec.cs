using System.Diagnostics;
using System.Text;

namespace Handoff;

/// <summary>The outcome of a finished process; output is already redacted of registered secrets.</summary>
public sealed record ExecResult(string FileName, IReadOnlyList<string> Arguments, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    public string CommandLine => Secrets.Redact(FileName + " " + string.Join(' ', Arguments.Select(Quote)));

    /// <summary>Throws a <see cref="HandoffException"/> naming the command, exit code and stderr tail when the process failed.</summary>
    public ExecResult EnsureSuccess(string? whatFailed = null)
    {
        if (!Succeeded)
        {
            var detail = Tail(string.IsNullOrWhiteSpace(StandardError) ? StandardOutput : StandardError, 40);
            throw new HandoffException($"{whatFailed ?? "Command failed"}: `{CommandLine}` exited with code {ExitCode}.{(detail.Length > 0 ? Environment.NewLine + detail : "")}");
        }

        return this;
    }

    private static string Quote(string arg) => arg.Length == 0 || arg.Any(char.IsWhiteSpace) ? $"\"{arg}\"" : arg;

    private static string Tail(string text, int lines)
    {
        var all = text.TrimEnd().Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}

/// <summary>Options for <see cref="Exec.RunAsync"/>.</summary>
public sealed record ExecOptions
{
    public string? WorkingDirectory { get; init; }
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }
    public string? StandardInput { get; init; }
    public TimeSpan? Timeout { get; init; }
    /// <summary>Called with each line of stdout and stderr as it arrives (already redacted).</summary>
    public Action<string>? OnOutput { get; init; }
}

/// <summary>
/// Runs external programs with an argument list (never a shell string, so nothing needs quoting),
/// captures their output and redacts secrets from it. Libraries use this rather than Cake's
/// process runner so they can be tested without a Cake context.
/// </summary>
public static class Exec
{
    public static async Task<ExecResult> RunAsync(string fileName, IEnumerable<string> arguments, ExecOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ExecOptions();
        var args = arguments.ToList();
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = options.StandardInput is not null,
            UseShellExecute = false,
            WorkingDirectory = options.WorkingDirectory ?? "",
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        if (options.Environment is not null)
        {
            foreach (var (key, value) in options.Environment)
            {
                if (value is null)
                {
                    info.Environment.Remove(key);
                }
                else
                {
                    info.Environment[key] = value;
                }
            }
        }

        using var process = new Process { StartInfo = info };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data, options.OnOutput);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data, options.OnOutput);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new HandoffException($"Cannot start '{fileName}': {ex.Message}. Is it installed and on PATH?", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (options.StandardInput is not null)
        {
            await process.StandardInput.WriteAsync(options.StandardInput);
            process.StandardInput.Close();
        }

        using var timeout = options.Timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            if (timeout.IsCancellationRequested)
            {
                throw new HandoffException($"`{Secrets.Redact(fileName + " " + string.Join(' ', args))}` did not finish within {options.Timeout} and was stopped.");
            }

            throw;
        }

        // WaitForExitAsync returns after the output streams have been drained.
        return new ExecResult(fileName, args, process.ExitCode, Secrets.Redact(stdout.ToString()), Secrets.Redact(stderr.ToString()));
    }

    public static ExecResult Run(string fileName, IEnumerable<string> arguments, ExecOptions? options = null) =>
        RunAsync(fileName, arguments, options).GetAwaiter().GetResult();

    /// <summary>Finds an executable on PATH or in the given extra directories (e.g. tools/bin), first match wins.</summary>
    public static string? FindOnPath(string name, params string[] extraDirectories)
    {
        var candidates = OperatingSystem.IsWindows() ? new[] { name + ".exe", name + ".cmd", name } : new[] { name };
        var directories = extraDirectories.Concat((System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        foreach (var directory in directories)
        {
            foreach (var candidate in candidates)
            {
                var path = Path.Combine(directory, candidate);
                if (File.Exists(path))
                {
                    return Path.GetFullPath(path);
                }
            }
        }

        return null;
    }

    private static void Append(StringBuilder builder, string? line, Action<string>? onOutput)
    {
        if (line is null)
        {
            return;
        }

        lock (builder)
        {
            builder.AppendLine(line);
        }

        onOutput?.Invoke(Secrets.Redact(line));
    }
}
