using Prometheus;

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

var greetings = Metrics.CreateCounter("myapp_greetings_total", "Greetings served by /.");

// Records request counts and durations per route, which promotion health checks query.
app.UseHttpMetrics();

app.MapGet("/", () =>
{
    greetings.Inc();
    return Results.Ok(new { service = "myapp", version = AppInfo.Version });
});

app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));

app.MapMetrics("/metrics");

app.Run();

public static class AppInfo
{
    public static string Version { get; } = Environment.GetEnvironmentVariable("MYAPP_VERSION") ?? "dev";
}

public partial class Program;
