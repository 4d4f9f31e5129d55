using System.Net;
using System.Net.Sockets;

namespace Handoff.DeliveryValidation.Tests.Support;

/// <summary>A schema location on loopback that answers every request with 404, or only after a delay (for timeouts).</summary>
public sealed class SchemaServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    private SchemaServer(TimeSpan delay)
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(() => ServeAsync(delay));
    }

    public string Url { get; }

    public int Requests => Volatile.Read(ref _requests);

    public static SchemaServer NotFound() => new(TimeSpan.Zero);

    public static SchemaServer Slow(TimeSpan delay) => new(delay);

    private async Task ServeAsync(TimeSpan delay)
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _requests);
            _ = Task.Run(async () =>
            {
                try
                {
                    if (delay > TimeSpan.Zero)
                    {
                        await Task.Delay(delay, _stop.Token);
                    }

                    context.Response.StatusCode = 404;
                    context.Response.Close();
                }
                catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                }
            });
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
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }
}
