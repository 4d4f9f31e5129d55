using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using NUnit.Framework;

namespace MyApp.Tests;

public class EndpointTests
{
    private WebApplicationFactory<Program> _factory = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _factory = new WebApplicationFactory<Program>();
        _client = _factory.CreateClient();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    [Test]
    public async Task Root_names_the_service()
    {
        var body = await _client.GetStringAsync("/");
        using var json = JsonDocument.Parse(body);
        Assert.That(json.RootElement.GetProperty("service").GetString(), Is.EqualTo("myapp"));
    }

    [Test]
    public async Task Healthz_reports_ok()
    {
        var response = await _client.GetAsync("/healthz");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("\"ok\""));
    }

    [Test]
    public async Task Metrics_counts_greetings_in_prometheus_format()
    {
        await _client.GetAsync("/");
        await _client.GetAsync("/");
        var metrics = await _client.GetStringAsync("/metrics");
        var line = metrics.Split('\n').Single(l => l.StartsWith("myapp_greetings_total ", StringComparison.Ordinal));
        Assert.That(double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(2));
        Assert.That(metrics, Does.Contain("# TYPE http_requests_received_total counter"));
    }

    [Test]
    public async Task Unknown_path_is_not_found()
    {
        var response = await _client.GetAsync("/nope");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
