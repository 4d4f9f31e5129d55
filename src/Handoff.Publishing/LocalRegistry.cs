using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Handoff.Publishing;

public sealed record LocalRegistryOptions
{
    /// <summary>Content of an htpasswd file (bcrypt entries): the registry then requires basic auth.</summary>
    public string? Htpasswd { get; init; }
    /// <summary>Extra YAML appended to the generated config (e.g. an <c>auth: token:</c> section).</summary>
    public string? ExtraConfig { get; init; }
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(20);
}

/// <summary>
/// A throwaway CNCF distribution registry (Debian's <c>docker-registry</c>, or the upstream
/// <c>registry</c> binary) on a free 127.0.0.1 port with its own storage folder. Used by the Demo
/// and by the tests; Dispose stops it.
/// </summary>
public sealed partial class LocalRegistry : IDisposable
{
    private readonly Process _process;

    private LocalRegistry(Process process, string address, string directory)
    {
        _process = process;
        Address = address;
        Directory = directory;
    }

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Address { get; }

    /// <summary>The folder holding config.yml, data/ and registry.log.</summary>
    public string Directory { get; }

    public string DataDirectory => Path.Combine(Directory, "data");

    public string LogFile => Path.Combine(Directory, "registry.log");

    public static string? FindBinary(params string[] extraDirectories) =>
        Exec.FindOnPath("docker-registry", extraDirectories) ?? Exec.FindOnPath("registry", extraDirectories);

    /// <summary>
    /// Finds the registry binary; when missing and running as root on Debian/Ubuntu, installs the
    /// Debian package after saying so (through <paramref name="say"/>); otherwise fails with the
    /// one-line install to run.
    /// </summary>
    public static async Task<string> EnsureBinaryAsync(Action<string> say, params string[] extraDirectories)
    {
        var found = FindBinary(extraDirectories);
        if (found is not null)
        {
            return found;
        }

        const string install = "sudo apt-get install -y docker-registry";
        var canInstall = OperatingSystem.IsLinux() && File.Exists("/etc/debian_version") && Exec.FindOnPath("apt-get") is not null && IsRoot();
        if (!canInstall)
        {
            throw new HandoffException($"No OCI registry binary found (docker-registry or registry, on PATH or in tools/bin). Install one with: {install}");
        }

        say("No registry binary found: installing Debian's docker-registry package (apt-get install -y docker-registry)...");
        var env = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        (await Exec.RunAsync("apt-get", ["update", "-qq"], new ExecOptions { Environment = env })).EnsureSuccess("apt-get update");
        (await Exec.RunAsync("apt-get", ["install", "-y", "-qq", "docker-registry"], new ExecOptions { Environment = env })).EnsureSuccess("Installing docker-registry");
        return FindBinary(extraDirectories) ?? throw new HandoffException($"docker-registry was installed but is not on PATH. Try: {install}");
    }

    public static LocalRegistry Start(string binary, string directory, LocalRegistryOptions? options = null)
    {
        options ??= new LocalRegistryOptions();
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "data"));
        var auth = "";
        if (options.Htpasswd is not null)
        {
            var htpasswd = Path.Combine(directory, "htpasswd");
            File.WriteAllText(htpasswd, options.Htpasswd);
            auth = $"auth:\n  htpasswd:\n    realm: handoff\n    path: {htpasswd}\n";
        }

        var config = Path.Combine(directory, "config.yml");
        File.WriteAllText(config,
            "version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: " + Path.Combine(directory, "data") +
            "\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:0\n" + auth + (options.ExtraConfig ?? ""));

        var info = new ProcessStartInfo(binary, ["serve", config])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info) ?? throw new HandoffException($"Cannot start {binary}.");
        var logPath = Path.Combine(directory, "registry.log");
        var log = new StringBuilder();
        var port = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (log)
            {
                log.AppendLine(line);
                File.AppendAllText(logPath, line + Environment.NewLine);
            }

            // The registry picks the port itself (addr :0) and logs it; no port races with other processes.
            var match = Listening().Match(line);
            if (match.Success)
            {
                port.TrySetResult(match.Groups[1].Value);
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.Exited += (_, _) => port.TrySetException(new HandoffException($"The registry exited at start-up:\n{log}"));
        process.EnableRaisingEvents = true;

        try
        {
            if (!port.Task.Wait(options.StartTimeout))
            {
                throw new HandoffException($"The registry did not start within {options.StartTimeout.TotalSeconds:0} s. Log: {logPath}");
            }
        }
        catch (AggregateException ex) when (ex.InnerException is HandoffException inner)
        {
            Kill(process);
            throw inner;
        }
        catch
        {
            Kill(process);
            throw;
        }

        var registry = new LocalRegistry(process, "127.0.0.1:" + port.Task.Result, directory);
        registry.WaitUntilServing(options.StartTimeout);
        return registry;
    }

    private void WaitUntilServing(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                // 200 anonymous, 401 with auth: either way the HTTP API is up.
                using var response = http.GetAsync($"http://{Address}/v2/").GetAwaiter().GetResult();
                return;
            }
            catch (HttpRequestException)
            {
                Thread.Sleep(50);
            }
        }

        throw new HandoffException($"The registry on {Address} does not answer /v2/. Log: {LogFile}");
    }

    public void Dispose()
    {
        Kill(_process);
        _process.Dispose();
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static bool IsRoot() => Environment.UserName == "root" || Exec.Run("id", ["-u"]).StandardOutput.Trim() == "0";

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex Listening();
}
