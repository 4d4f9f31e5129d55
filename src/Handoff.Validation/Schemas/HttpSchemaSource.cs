using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Handoff.Validation.Schemas;

/// <summary>Network settings for URL schema locations.</summary>
public sealed record SchemaDownloadOptions
{
    /// <summary>Per request; a location that does not answer in time is an error for the resources that needed it.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Downloaded schemas are kept here and reused on later runs (no request is made for a cached URL).</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Extra attempts after a 5xx answer or a refused connection (not after a timeout).</summary>
    public int Retries { get; init; } = 2;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);
}

/// <summary>Schemas from a URL template (kubeconform's <c>-schema-location https://…/{{ .ResourceKind }}{{ .KindSuffix }}.json</c>).</summary>
public sealed class HttpSchemaSource(string template, SchemaDownloader downloader) : ISchemaSource
{
    private readonly SchemaPathTemplate _template = SchemaPathTemplate.Parse(template);

    public string Description => SchemaDownloader.WithoutCredentials(_template.Text);

    public SchemaFetchResult Fetch(SchemaKey key, SchemaTemplateValues values) => downloader.Download(_template.Render(values));
}

/// <summary>
/// Downloads schemas over HTTP(S) with a timeout, bounded retries and an on-disk cache keyed by URL.
/// 404 means "not at this location"; other failures are errors. Credentials in the URL
/// (<c>https://user:token@host/…</c>) are sent as basic auth and never appear in messages.
/// </summary>
public sealed class SchemaDownloader : IDisposable
{
    private readonly HttpClient _client;
    private readonly SchemaDownloadOptions _options;

    public SchemaDownloader(SchemaDownloadOptions? options = null)
    {
        _options = options ?? new SchemaDownloadOptions();
        _client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All }) { Timeout = _options.Timeout };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("handoff-validation/1");
        if (_options.CacheDirectory is { } cache)
        {
            Directory.CreateDirectory(cache);
        }
    }

    public SchemaFetchResult Download(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return SchemaFetchResult.Failed(WithoutCredentials(url), "not a valid URL.");
        }

        var where = WithoutCredentials(url);
        var cacheFile = _options.CacheDirectory is { } dir ? Path.Combine(dir, CacheName(where)) : null;
        if (cacheFile is not null && File.Exists(cacheFile))
        {
            var cached = SchemaFetchResult.Parse(where, File.ReadAllBytes(cacheFile));
            if (cached.Status == SchemaFetchStatus.Found)
            {
                return cached;
            }
        }

        for (var attempt = 0; ; attempt++)
        {
            var (result, body, retry) = Attempt(uri, where);
            if (!retry || attempt >= _options.Retries)
            {
                if (result.Status == SchemaFetchStatus.Found && cacheFile is not null && body is not null)
                {
                    AtomicFile.WriteAllBytes(cacheFile, body);
                }

                return result;
            }

            Thread.Sleep(_options.RetryDelay * (attempt + 1));
        }
    }

    private (SchemaFetchResult Result, byte[]? Body, bool Retry) Attempt(Uri uri, string where)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, StripCredentials(uri));
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var userInfo = Uri.UnescapeDataString(uri.UserInfo);
            var colon = userInfo.IndexOf(':');
            if (colon >= 0)
            {
                Secrets.Register(userInfo[(colon + 1)..]);
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)));
        }

        try
        {
            using var response = _client.Send(request, HttpCompletionOption.ResponseContentRead);
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return (SchemaFetchResult.NotFound(where), null, false);
            }

            if (status >= 500)
            {
                return (SchemaFetchResult.Failed(where, $"the server answered HTTP {status} {response.ReasonPhrase}. Retry later or use another schema location."), null, true);
            }

            if (!response.IsSuccessStatusCode)
            {
                var hint = status is 401 or 403 ? " Check the credentials for this location." : "";
                return (SchemaFetchResult.Failed(where, $"the server answered HTTP {status} {response.ReasonPhrase}.{hint}"), null, false);
            }

            using var stream = response.Content.ReadAsStream();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var body = buffer.ToArray();
            var parsed = SchemaFetchResult.Parse(where, body);

            // Like kubeconform, a non-JSON answer (a proxy's login page) means "not here": try the next location.
            return parsed.Status == SchemaFetchStatus.Found
                ? (parsed, body, false)
                : (SchemaFetchResult.NotFound(where + " (the answer was not a JSON schema)"), null, false);
        }
        catch (TaskCanceledException)
        {
            return (SchemaFetchResult.Failed(where, $"no answer within {_options.Timeout.TotalSeconds:0.###} s (timeout). Check the network or raise the schema download timeout."), null, false);
        }
        catch (HttpRequestException ex)
        {
            return (SchemaFetchResult.Failed(where, $"cannot download: {Secrets.Redact(ex.Message)}"), null, true);
        }
        catch (IOException ex)
        {
            return (SchemaFetchResult.Failed(where, $"the download broke off: {Secrets.Redact(ex.Message)}"), null, true);
        }
    }

    public static string WithoutCredentials(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var at = url.IndexOf('@', Math.Max(scheme, 0));
        var slash = scheme >= 0 ? url.IndexOf('/', scheme + 3) : -1;
        return scheme >= 0 && at > scheme && (slash < 0 || at < slash) ? url[..(scheme + 3)] + url[(at + 1)..] : url;
    }

    private static Uri StripCredentials(Uri uri) => string.IsNullOrEmpty(uri.UserInfo) ? uri : new UriBuilder(uri) { UserName = "", Password = "" }.Uri;

    private static string CacheName(string url) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url))) + ".json";

    public void Dispose() => _client.Dispose();
}
