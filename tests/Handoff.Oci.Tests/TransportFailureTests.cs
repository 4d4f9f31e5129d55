using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Handoff.Oci.Tests.Fixtures;
using Handoff.Testing.Oci;
using Microsoft.AspNetCore.Http;

namespace Handoff.Oci.Tests;

/// <summary>Unreachable registries, 5xx and 429: bounded retries, then an error naming the URL and the attempts.</summary>
public sealed class TransportFailureTests
{
    [Test]
    public void Unreachable_registry_fails_fast_after_bounded_retries()
    {
        var port = FreePort();
        var recorder = new RequestRecorder();
        using var client = Registries.Client($"127.0.0.1:{port}", recorder);
        var watch = Stopwatch.StartNew();

        var error = Assert.CatchAsync<HandoffException>(() => client.PingAsync())!;

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(error.Message, Does.Contain($"http://127.0.0.1:{port}/v2/").And.Contain("after 3 attempts").And.Contain("Check the registry address"));
        Assert.That(recorder.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Server_errors_are_retried_then_reported_with_the_attempt_count()
    {
        await using var server = await HttpTestServer.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = 503;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"maintenance\"}]}");
        });
        using var client = Registries.Client(server.Address);

        var error = Assert.CatchAsync<HandoffException>(() => client.ListTagsAsync("team/app"))!;

        Assert.That(server.Requests, Is.EqualTo(3));
        Assert.That(error.Message, Does.Contain("503").And.Contain("after 3 attempts").And.Contain("UNAVAILABLE: maintenance").And.Contain($"GET http://{server.Address}/v2/team/app/tags/list"));
    }

    [Test]
    public async Task Too_many_requests_waits_for_retry_after_then_succeeds()
    {
        await using var server = await HttpTestServer.StartAsync((context, number) =>
        {
            if (number == 1)
            {
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "1";
                return Task.CompletedTask;
            }

            context.Response.StatusCode = 200;
            return Task.CompletedTask;
        });
        using var client = new RegistryClient(server.Address, new RegistryClientOptions
        {
            CredentialResolver = Registries.NoAmbientCredentials,
            Retry = Registries.FastRetry with { MaxRetryAfter = TimeSpan.FromSeconds(5) },
        });
        var watch = Stopwatch.StartNew();

        await client.PingAsync();

        Assert.That(server.Requests, Is.EqualTo(2));
        Assert.That(watch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(900)), "Retry-After: 1 was honoured");
    }

    [Test]
    public async Task Retry_after_is_capped_and_the_last_answer_reported()
    {
        await using var server = await HttpTestServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "3600";
            return Task.CompletedTask;
        });
        using var client = Registries.Client(server.Address);
        var watch = Stopwatch.StartNew();

        var error = Assert.CatchAsync<HandoffException>(() => client.PingAsync())!;

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(error.Message, Does.Contain("rate-limiting").And.Contain("after 3 attempts"));
    }

    [Test]
    public async Task Client_errors_are_not_retried()
    {
        await using var server = await HttpTestServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 403;
            return context.Response.WriteAsync("{\"errors\":[{\"code\":\"DENIED\",\"message\":\"requested access to the resource is denied\"}]}");
        });
        using var client = Registries.Client(server.Address);

        var error = Assert.CatchAsync<HandoffException>(() => client.GetManifestAsync("team/app", "1.0"))!;

        Assert.That(server.Requests, Is.EqualTo(1));
        Assert.That(error.Message, Does.Contain("denied").And.Contain("DENIED").And.Contain("pull from").And.Contain("team/app"));
    }

    [Test]
    public void Plain_http_is_used_only_for_loopback_and_listed_registries()
    {
        Assert.That(BaseUri("127.0.0.1:5000"), Is.EqualTo("http://127.0.0.1:5000/"));
        Assert.That(BaseUri("localhost:5000"), Is.EqualTo("http://localhost:5000/"));
        Assert.That(BaseUri("[::1]:5000"), Is.EqualTo("http://[::1]:5000/"));
        Assert.That(BaseUri("127.10.0.3"), Is.EqualTo("http://127.10.0.3/"));
        Assert.That(BaseUri("ghcr.io"), Is.EqualTo("https://ghcr.io/"));
        Assert.That(BaseUri("registry.internal:5000"), Is.EqualTo("https://registry.internal:5000/"));
        Assert.That(BaseUri("registry.internal:5000", "registry.internal:5000"), Is.EqualTo("http://registry.internal:5000/"));
        Assert.That(BaseUri("docker.io"), Is.EqualTo("https://registry-1.docker.io/"));
    }

    [Test]
    public void An_invalid_registry_host_is_refused()
    {
        var error = Assert.Catch<HandoffException>(() => new RegistryClient("bad host!"))!;
        Assert.That(error.Message, Does.Contain("'bad host!' is not a registry host"));
    }

    private static string BaseUri(string registry, params string[] insecure)
    {
        using var client = new RegistryClient(registry, new RegistryClientOptions { InsecureRegistries = insecure });
        return client.BaseUri.ToString();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
