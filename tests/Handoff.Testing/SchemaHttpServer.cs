using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Handoff.Testing;

/// <summary>
/// A real HTTP server on a free loopback port that serves schema files from a folder, logs every
/// request path, and can be told to answer some paths slowly or with an error status.
/// </summary>
public sealed class SchemaHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SchemaHttpServer(string root)
    {
        _root = root;
        var port = FreePort();
        Address = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Address + "/");
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public string Address { get; }

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Paths (prefix match) answered only after this delay.</summary>
    public ConcurrentDictionary<string, TimeSpan> Delays { get; } = new();

    /// <summary>Paths (prefix match) answered with this status instead of the file.</summary>
    public ConcurrentDictionary<string, int> Statuses { get; } = new();

    /// <summary>
    /// Makes one request and forgets it, so the first timed request of a test does not also pay for
    /// JIT-compiling the HTTP stacks of client and server (seconds on a busy machine).
    /// </summary>
    public void WarmUp()
    {
        using var client = new HttpClient();
        using var _ = client.GetAsync(Address + "/warm-up").GetAwaiter().GetResult();
        Requests.Clear();
    }

    public int RequestsFor(string pathPart) => Requests.Count(r => r.Contains(pathPart, StringComparison.Ordinal));

    private async Task Serve()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            _ = Task.Run(() => Answer(context));
        }
    }

    private async Task Answer(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        Requests.Enqueue(path);
        try
        {
            if (Delays.FirstOrDefault(d => path.StartsWith(d.Key, StringComparison.Ordinal)) is { Key: not null } delay)
            {
                await Task.Delay(delay.Value, _stop.Token);
            }

            if (Statuses.FirstOrDefault(s => path.StartsWith(s.Key, StringComparison.Ordinal)) is { Key: not null } status)
            {
                context.Response.StatusCode = status.Value;
                context.Response.Close();
                return;
            }

            var file = Path.Combine(_root, Uri.UnescapeDataString(path.TrimStart('/')));
            if (!File.Exists(file))
            {
                context.Response.StatusCode = 404;
                context.Response.Close();
                return;
            }

            var bytes = await File.ReadAllBytesAsync(file);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client gave up (timeout test) or the server is stopping.
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }
}
