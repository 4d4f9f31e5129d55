using System.Text.Json.Nodes;

namespace Handoff.SupplyChain.Scanning;

/// <summary>Whether a NuGet package source serves vulnerability data, and why we think so.</summary>
public sealed record NuGetSourceStatus(string Source, bool ProvidesVulnerabilityData, string Detail)
{
    public static NuGetSourceStatus NotChecked(string source) => new(source, false, "it was not checked");
}

/// <summary>
/// Asks a NuGet v3 source's service index whether it advertises a <c>VulnerabilityInfo</c>
/// resource, the resource NuGet's audit reads. Mirrors and local folders usually do not, and
/// then <c>dotnet list package --vulnerable</c> reports "no vulnerable packages" for anything.
/// </summary>
public sealed class NuGetSourceProbe
{
    private readonly HttpClient _http;

    public NuGetSourceProbe(HttpClient http) => _http = http;

    public async Task<NuGetSourceStatus> ProbeAsync(string source, CancellationToken cancellationToken = default)
    {
        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || uri.IsFile)
        {
            return new NuGetSourceStatus(source, false, "a local folder source carries no vulnerability data");
        }

        if (uri.Scheme is not ("http" or "https"))
        {
            return new NuGetSourceStatus(source, false, $"the '{uri.Scheme}' scheme is not a NuGet v3 source");
        }

        string body;
        try
        {
            using var response = await _http.GetAsync(uri, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return new NuGetSourceStatus(source, false, $"its service index answered HTTP {(int)response.StatusCode}");
            }

            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return new NuGetSourceStatus(source, false, $"its service index could not be read ({Secrets.Redact(ex.Message)})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new NuGetSourceStatus(source, false, "its service index did not answer in time");
        }

        JsonNode? index;
        try
        {
            index = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return new NuGetSourceStatus(source, false, "it is not a NuGet v3 service index (v2 feeds have no vulnerability data)");
        }

        var types = (index?["resources"] as JsonArray ?? [])
            .Select(r => r?["@type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null)
            .OfType<string>()
            .ToList();
        return types.Any(t => t.StartsWith("VulnerabilityInfo", StringComparison.Ordinal))
            ? new NuGetSourceStatus(source, true, "its service index advertises VulnerabilityInfo")
            : new NuGetSourceStatus(source, false, $"its service index advertises no VulnerabilityInfo resource (only {string.Join(", ", types.Distinct())})");
    }

    public async Task<IReadOnlyDictionary<string, NuGetSourceStatus>> ProbeAllAsync(IEnumerable<string> sources, CancellationToken cancellationToken = default)
    {
        var results = await Task.WhenAll(sources.Distinct(StringComparer.Ordinal).Select(s => ProbeAsync(s, cancellationToken)));
        return results.ToDictionary(r => r.Source, StringComparer.Ordinal);
    }
}
