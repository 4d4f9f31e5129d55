using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Handoff.Oci.Tests.Fixtures;

/// <summary>A real HTTP server (Kestrel) on a free loopback port that answers with the given handler and counts requests.</summary>
internal sealed class HttpTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private HttpTestServer(WebApplication app) => _app = app;

    /// <summary><c>127.0.0.1:PORT</c>.</summary>
    public string Address { get; private set; } = "";

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<HttpTestServer> StartAsync(Func<HttpContext, int, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new HttpTestServer(app);
        app.Run(context => handler(context, Interlocked.Increment(ref server._requests)));
        await app.StartAsync();
        server.Address = new Uri(app.Urls.First()).Authority;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
