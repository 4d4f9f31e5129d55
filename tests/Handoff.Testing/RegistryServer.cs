using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Handoff.Testing;

/// <summary>
/// A real CNCF distribution registry (Debian's docker-registry) on a free loopback port, with its
/// own storage folder. Optional htpasswd basic auth. Dispose stops it and deletes its data.
/// </summary>
public sealed partial class RegistryServer : IDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _dir;

    private RegistryServer(Process process, TempDirectory dir, string address)
    {
        _process = process;
        _dir = dir;
        Address = address;
    }

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Address { get; }

    public string DataDirectory => _dir.Combine("data");

    public string LogFile => _dir.Combine("registry.log");

    /// <summary>Starts a registry; <paramref name="htpasswd"/> is the content of an htpasswd file (bcrypt entries) to require basic auth.</summary>
    public static RegistryServer Start(string? htpasswd = null, string? extraConfig = null)
    {
        var binary = Tools.Find("docker-registry") ?? Tools.Find("registry");
        if (binary is null)
        {
            RepoPaths.Unavailable("skipped: docker-registry not installed (apt-get install docker-registry, or ../shared/tools/start-registry.sh)");
        }

        var dir = new TempDirectory("registry");
        Directory.CreateDirectory(dir.Combine("data"));
        var auth = "";
        if (htpasswd is not null)
        {
            File.WriteAllText(dir.Combine("htpasswd"), htpasswd);
            auth = $"""
                auth:
                  htpasswd:
                    realm: handoff-test
                    path: {dir.Combine("htpasswd")}
                """;
        }

        File.WriteAllText(dir.Combine("config.yml"), $"""
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: false
            storage:
              filesystem:
                rootdirectory: {dir.Combine("data")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:0
            {auth}
            {extraConfig ?? ""}
            """);

        var info = new ProcessStartInfo(binary!, ["serve", dir.Combine("config.yml")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(info)!;
        var log = new System.Text.StringBuilder();
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (log)
            {
                log.AppendLine(line);
                File.AppendAllText(dir.Combine("registry.log"), line + Environment.NewLine);
            }

            var match = ListeningPattern().Match(line);
            if (match.Success)
            {
                ready.TrySetResult(match.Groups[1].Value);
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (!ready.Task.Wait(TimeSpan.FromSeconds(20)))
        {
            try { process.Kill(); } catch (InvalidOperationException) { }
            throw new InvalidOperationException("docker-registry did not start within 20 s. Log:\n" + log);
        }

        var address = "127.0.0.1:" + ready.Task.Result;
        var server = new RegistryServer(process, dir, address);
        server.WaitUntilServing();
        return server;
    }

    private void WaitUntilServing()
    {
        var port = int.Parse(Address.Split(':')[1]);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException($"docker-registry on {Address} does not accept connections.");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _dir.Dispose();
    }

    [GeneratedRegex(@"listening on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ListeningPattern();
}
