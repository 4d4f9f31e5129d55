using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Handoff.Oci;

/// <summary>
/// A client of one registry's OCI distribution API (<c>/v2/</c>): blobs, manifests, tags and the
/// referrers API. https by default, plain http for loopback and listed insecure registries; Basic or
/// Bearer-token auth learned from the registry's challenges (see <see cref="RegistryAuthenticator"/>);
/// bounded retries for unreachable registries, 5xx and 429. Repository names and tags are validated
/// before any request. Safe to use from several tasks at once.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private const string ContentDigestHeader = "Docker-Content-Digest";

    private readonly HttpClient _http;
    private readonly RetryingSender _sender;
    private readonly RegistryAuthenticator _auth;

    /// <param name="registry">Host or host:port, as in image references (<c>ghcr.io</c>, <c>127.0.0.1:5000</c>, <c>docker.io</c>).</param>
    /// <param name="handler">The HTTP handler to send through (tests pass a counting handler); the client does not dispose it.</param>
    public RegistryClient(string registry, RegistryClientOptions? options = null, HttpMessageHandler? handler = null)
    {
        if (!ImageReference.IsValidRegistry(registry, out var error))
        {
            throw new HandoffException(error + " Fix the registry part of the image reference.");
        }

        Options = options ?? new RegistryClientOptions();
        Registry = RegistryEndpoint.Normalize(registry);
        BaseUri = RegistryEndpoint.BaseUri(registry, Options.InsecureRegistries);
        _http = handler is null
            ? new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(15), PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: true)
            : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(Options.UserAgent);
        _sender = new RetryingSender(_http, Options.Retry, Options.Log);
        _auth = new RegistryAuthenticator(Registry, Options, _sender);
    }

    /// <summary>The registry, normalised (lowercase; Docker Hub's aliases are docker.io).</summary>
    public string Registry { get; }

    /// <summary>Where the API is reached, e.g. <c>https://ghcr.io/</c> or <c>http://127.0.0.1:5000/</c>.</summary>
    public Uri BaseUri { get; }

    public RegistryClientOptions Options { get; }

    /// <summary>The credentials in use once the registry asked for them; null while anonymous.</summary>
    public RegistryCredential? Credential => _auth.Credential;

    internal RegistryAuthenticator Authenticator => _auth;

    /// <summary>True when <paramref name="reference"/>'s registry is this client's.</summary>
    public bool Serves(ImageReference reference) => RegistryEndpoint.Normalize(reference.Registry) == Registry;

    /// <summary>Checks the registry answers the distribution API (<c>GET /v2/</c>), authenticating if it asks.</summary>
    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        var operation = new RegistryOperation(Registry, null, "checking the API (GET /v2/)", Push: false);
        var (response, attempts) = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Url("v2/")), ScopeSet.Empty, operation, cancellationToken: cancellationToken);
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await RegistryErrors.CreateAsync(response, operation, attempts, Credential, cancellationToken);
            }
        }
    }

    public async Task<bool> BlobExistsAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        ValidateRepository(repository);
        var operation = new RegistryOperation(Registry, repository, $"checking for blob {digest.Short}", Push: false);
        var (response, attempts) = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, Url($"v2/{repository}/blobs/{digest}")), Pull(repository), operation, cancellationToken: cancellationToken);
        using (response)
        {
            return response.StatusCode switch
            {
                HttpStatusCode.OK => true,
                HttpStatusCode.NotFound => false,
                _ => throw await RegistryErrors.CreateAsync(response, operation, attempts, Credential, cancellationToken),
            };
        }
    }

    /// <summary>
    /// Uploads a blob: POST to open an upload, then one PUT of the whole content with <c>?digest=</c>.
    /// With <paramref name="mountFrom"/> the registry is first asked to mount the blob from that
    /// repository, which needs no upload when it has the blob there.
    /// </summary>
    /// <param name="openContent">Opens the blob's bytes; called again for each attempt.</param>
    public async Task<BlobUploadResult> UploadBlobAsync(string repository, OciDescriptor blob, Func<Stream> openContent, string? mountFrom = null, CancellationToken cancellationToken = default)
    {
        ValidateRepository(repository);
        var scope = Push(repository);
        if (mountFrom is not null)
        {
            ValidateRepository(mountFrom);
            scope = scope.Union(Pull(mountFrom));
        }

        var operation = new RegistryOperation(Registry, repository, $"uploading blob {blob.Digest.Short}", Push: true);
        for (var session = 1; ; session++)
        {
            var start = mountFrom is null
                ? Url($"v2/{repository}/blobs/uploads/")
                : Url($"v2/{repository}/blobs/uploads/?mount={Uri.EscapeDataString(blob.Digest.ToString())}&from={Uri.EscapeDataString(mountFrom)}");
            var (response, attempts) = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, start), scope, operation, cancellationToken: cancellationToken);
            Uri location;
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Created && mountFrom is not null)
                {
                    return BlobUploadResult.Mounted;
                }

                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    throw await RegistryErrors.CreateAsync(response, operation, attempts, Credential, cancellationToken);
                }

                location = response.Headers.Location is { } given
                    ? new Uri(start, given)
                    : throw new HandoffException($"Registry {Registry} opened an upload for {repository} without a Location header. The registry does not follow the OCI distribution spec.");
            }

            var target = WithQuery(location, "digest=" + Uri.EscapeDataString(blob.Digest.ToString()));
            (response, attempts) = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, target) { Content = BlobContent(openContent(), blob.Size) },
                scope, operation, Options.TransferTimeout, cancellationToken: cancellationToken);
            using (response)
            {
                if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.NoContent or HttpStatusCode.OK)
                {
                    CheckDigestHeader(response, blob.Digest, $"blob uploaded to {repository}");
                    return BlobUploadResult.Uploaded;
                }

                // The session can expire between POST and PUT (or a retried PUT finds it used): start over once.
                if (response.StatusCode == HttpStatusCode.NotFound && session == 1 &&
                    (await RegistryErrors.ReadErrorsAsync(response, cancellationToken)).Any(e => e.Code == "BLOB_UPLOAD_UNKNOWN"))
                {
                    mountFrom = null;
                    continue;
                }

                throw await RegistryErrors.CreateAsync(response, operation, attempts, Credential, cancellationToken);
            }
        }
    }

    /// <summary>Stores a manifest under a tag or its digest and checks the registry computed the same digest.</summary>
    public async Task<ManifestPushResult> PutManifestAsync(string repository, string reference, OciManifest manifest, CancellationToken cancellationToken = default)
    {
        ValidateRepository(repository);
        ValidateReference(reference);
        if (Digest.TryParse(reference, out var byDigest) && byDigest != manifest.Digest)
        {
            throw new ArgumentException($"Manifest {manifest.Digest} cannot be stored under the digest {byDigest}.", nameof(reference));
        }

        var operation = new RegistryOperation(Registry, repository, $"pushing manifest {manifest.Digest.Short} as {repository}:{reference}", Push: true);
        var (response, attempts) = await SendAsync(() =>
        {
            var content = new ReadOnlyMemoryContent(manifest.Content);
            content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
            return new HttpRequestMessage(HttpMethod.Put, Url($"v2/{repository}/manifests/{reference}")) { Content = content };
        }, Push(repository), operation, cancellationToken: cancellationToken);
        using (response)
        {
            if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Accepted or HttpStatusCode.NoContent))
            {
                throw await RegistryErrors.CreateAsync(response, operation, attempts, Credential, cancellationToken);
            }

            CheckDigestHeader(response, manifest.Digest, $"manifest {repository}:{reference}");
            return new ManifestPushResult(manifest.Digest, response.Headers.Contains("OCI-Subject"));
        }
    }

    /// <summary>The media type, digest and size of a manifest by tag or digest, without its body; null when there is none.</summary>
    public async Task<ManifestHead?> HeadManifestAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        ValidateRepository(repository);
        ValidateReference(reference);
        var operation = new RegistryOperation(Registry, repository, $"reading manifest {repository}:{reference}", Push: false);
        var (response, attempts) = await SendAsync(() => ManifestRequest(HttpMethod.Head, repository, reference), Pull(repository), operation, cancellationToken: cancellationToken);
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw await RegistryErrors.CreateAsync(response, operation, attempts, Credential, cancellationToken);
            }

            var digest = response.Headers.TryGetValues(ContentDigestHeader, out var values) && Digest.TryParse(values.FirstOrDefault(), out var d) ? d : (Digest?)null;
            return new ManifestHead(response.Content.Headers.ContentType?.MediaType ?? "", digest, response.Content.Headers.ContentLength ?? -1);
        }
    }

    /// <summary>A manifest by tag or digest; a digest reference is checked against the bytes received.</summary>
    public async Task<OciManifest> GetManifestAsync(string repository, string reference, CancellationToken cancellationToken = default) =>
        await TryGetManifestAsync(repository, reference, cancellationToken)
        ?? throw new HandoffException($"{Registry}/{repository}:{reference} does not exist (no such manifest). Check the tag or digest, or push the image first.");

    /// <summary>Like <see cref="GetManifestAsync"/>, but null when the registry has no such manifest or repository.</summary>
    public async Task<OciManifest?> TryGetManifestAsync(string repository, string reference, CancellationToken cancellationToken = default)
    {
        ValidateRepository(repository);
        ValidateReference(reference);
        var operation = new RegistryOperation(Registry, repository, $"reading manifest {repository}:{reference}", Push: false);
        var (response, attempts) = await SendAsync(() => ManifestRequest(HttpMethod.Get, repository, reference), Pull(repository), operation, cancellationToken: cancellationToken);
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw await RegistryErrors.CreateAsync(response, operation, attempts, Credential, cancellationToken);
            }

            var manifest = await ReadManifestAsync(response, $"manifest {repository}:{reference} from {Registry}", cancellationToken);
            if (Digest.TryParse(reference, out var expected) && expected != manifest.Digest)
            {
                throw new HandoffException($"Registry {Registry} returned a manifest for {repository}@{expected} whose content hashes to {manifest.Digest}. The registry or a proxy altered it: do not use this registry until that is fixed.");
            }

            return manifest;
        }
    }

    /// <summary>All tags of a repository, following the registry's pagination.</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(string repository, CancellationToken cancellationToken = default)
    {
        ValidateRepository(repository);
        var operation = new RegistryOperation(Registry, repository, $"listing the tags of {repository}", Push: false);
        var tags = new List<string>();
        Uri? next = Url($"v2/{repository}/tags/list?n=1000");
        for (var page = 0; next is not null && page < 1000; page++)
        {
            var url = next;
            var (response, attempts) = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), Pull(repository), operation, cancellationToken: cancellationToken);
            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw await RegistryErrors.CreateAsync(response, operation, attempts, Credential, cancellationToken);
                }

                using var document = await ReadJsonAsync(response, $"the tag list of {repository}", cancellationToken);
                if (document.RootElement.GetPropertyOrNull("tags") is { ValueKind: JsonValueKind.Array } array)
                {
                    tags.AddRange(array.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!));
                }

                next = NextPage(response, url);
            }
        }

        return tags;
    }

    /// <summary>Opens a blob for streaming; the caller disposes the stream (and checks the digest if it matters).</summary>
    public async Task<Stream> OpenBlobAsync(string repository, Digest digest, CancellationToken cancellationToken = default)
    {
        ValidateRepository(repository);
        var operation = new RegistryOperation(Registry, repository, $"downloading blob {digest.Short}", Push: false);
        var (response, attempts) = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Url($"v2/{repository}/blobs/{digest}")), Pull(repository), operation,
            Options.TransferTimeout, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await RegistryErrors.CreateAsync(response, operation, attempts, Credential, cancellationToken);
            }
        }

        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken));
    }

    /// <summary>Downloads a small blob (a config, an SBOM) whole and checks its digest.</summary>
    public async Task<byte[]> GetBlobAsync(string repository, Digest digest, long maxBytes = 64L * 1024 * 1024, CancellationToken cancellationToken = default)
    {
        await using var stream = await OpenBlobAsync(repository, digest, cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new HandoffException($"Blob {digest} in {Registry}/{repository} is larger than {maxBytes} bytes; it is not the small document expected.");
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.ToArray();
        if (!digest.Matches(bytes))
        {
            throw new HandoffException($"Blob {digest} downloaded from {Registry}/{repository} does not match its digest. The registry or a proxy corrupted it: retry, and report it to the registry's operators if it persists.");
        }

        return bytes;
    }

    /// <summary>
    /// Asks the OCI 1.1 referrers API; null when the registry does not offer it (404, 400, 405 or 501
    /// on the endpoint), which means the referrers tag schema must be used instead.
    /// </summary>
    internal async Task<ReferrersPage?> QueryReferrersApiAsync(string repository, Digest subject, string? artifactType, CancellationToken cancellationToken)
    {
        ValidateRepository(repository);
        var operation = new RegistryOperation(Registry, repository, $"listing referrers of {subject.Short}", Push: false);
        var descriptors = new List<OciDescriptor>();
        var filtered = true;
        Uri? next = Url($"v2/{repository}/referrers/{subject}" + (artifactType is null ? "" : "?artifactType=" + Uri.EscapeDataString(artifactType)));
        for (var page = 0; next is not null && page < 100; page++)
        {
            var url = next;
            var (response, attempts) = await SendAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciIndex));
                return request;
            }, Pull(repository), operation, cancellationToken: cancellationToken);
            using (response)
            {
                if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented)
                {
                    return page == 0 ? null : new ReferrersPage(descriptors, filtered);
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw await RegistryErrors.CreateAsync(response, operation, attempts, Credential, cancellationToken);
                }

                var index = await ReadManifestAsync(response, $"the referrers of {repository}@{subject.Short}", cancellationToken);
                descriptors.AddRange(index.Manifests);
                filtered &= artifactType is null || (response.Headers.TryGetValues("OCI-Filters-Applied", out var applied) && applied.Any(v => v.Split(',').Any(f => f.Trim() == "artifactType")));
                next = NextPage(response, url);
            }
        }

        return new ReferrersPage(descriptors, filtered);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Sends with authorization: attaches what the authenticator has for <paramref name="scope"/>,
    /// answers up to three challenges, and turns a final 401 into the error that says what to set.
    /// </summary>
    internal async Task<(HttpResponseMessage Response, int Attempts)> SendAsync(Func<HttpRequestMessage> create, ScopeSet scope, RegistryOperation operation,
        TimeSpan? timeout = null, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, CancellationToken cancellationToken = default)
    {
        var authorization = await _auth.AuthorizeAsync(scope, operation, cancellationToken);
        var (response, attempts) = await SendOnceAsync(create, authorization, timeout, completion, cancellationToken);
        for (var round = 0; response.StatusCode == HttpStatusCode.Unauthorized && round < 3; round++)
        {
            if (!await _auth.HandleChallengeAsync(response, scope, operation, authorization, cancellationToken))
            {
                break;
            }

            response.Dispose();
            authorization = await _auth.AuthorizeAsync(scope, operation, cancellationToken);
            (response, attempts) = await SendOnceAsync(create, authorization, timeout, completion, cancellationToken);
        }

        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            throw RegistryErrors.Unauthorized(operation, _auth.Credential, _auth.LastChallenge);
        }

        return (response, attempts);
    }

    internal static ScopeSet Pull(string repository) => ScopeSet.Repository(repository, "pull");

    internal static ScopeSet Push(string repository) => ScopeSet.Repository(repository, "pull", "push");

    internal Uri Url(string relative) => new(BaseUri, relative);

    internal static void ValidateRepository(string repository)
    {
        if (!ImageReference.IsValidRepository(repository ?? "", out var error))
        {
            throw new HandoffException(error + " Fix the repository part of the image reference.");
        }
    }

    internal static void ValidateReference(string reference)
    {
        // Tags cannot contain ':', so a colon means a digest.
        if (reference?.Contains(':') == true)
        {
            if (!Digest.TryParse(reference, out _, out var digestError))
            {
                throw new HandoffException(digestError + " Fix the digest of the image reference.");
            }

            return;
        }

        if (!ImageReference.IsValidTag(reference ?? "", out var error))
        {
            throw new HandoffException(error + " Fix the tag of the image reference.");
        }
    }

    private Task<(HttpResponseMessage Response, int Attempts)> SendOnceAsync(Func<HttpRequestMessage> create, AuthenticationHeaderValue? authorization, TimeSpan? timeout,
        HttpCompletionOption completion, CancellationToken cancellationToken) =>
        _sender.SendAsync(() =>
        {
            var request = create();
            request.Headers.Authorization = authorization;
            return request;
        }, timeout ?? Options.RequestTimeout, completion, cancellationToken);

    private HttpRequestMessage ManifestRequest(HttpMethod method, string repository, string reference)
    {
        var request = new HttpRequestMessage(method, Url($"v2/{repository}/manifests/{reference}"));
        foreach (var mediaType in MediaTypes.ManifestAccept.Split(", "))
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        }

        return request;
    }

    private async Task<OciManifest> ReadManifestAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > OciManifest.MaxSize)
        {
            throw new HandoffException($"Registry {Registry} sent {what} of {response.Content.Headers.ContentLength} bytes, more than a manifest may be ({OciManifest.MaxSize}).");
        }

        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        try
        {
            return OciManifest.Parse(bytes, response.Content.Headers.ContentType?.MediaType, what);
        }
        catch (OciFormatException ex)
        {
            throw new HandoffException($"Registry {Registry}: {ex.Message}");
        }
    }

    private async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        try
        {
            return JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
        }
        catch (JsonException ex)
        {
            throw new HandoffException($"Registry {Registry} answered {what} with invalid JSON ({ex.Message}).");
        }
    }

    private void CheckDigestHeader(HttpResponseMessage response, Digest expected, string what)
    {
        if (response.Headers.TryGetValues(ContentDigestHeader, out var values) && values.FirstOrDefault() is { Length: > 0 } header && header != expected.ToString())
        {
            throw new HandoffException(
                $"Registry {Registry} stored {what} under the digest {header}, but the content sent hashes to {expected}. The registry changed the content: the pushed image would not be the one built. Check the registry or proxy.");
        }
    }

    private static HttpContent BlobContent(Stream stream, long size)
    {
        var content = new StreamContent(stream, 1024 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        // A known length avoids chunked transfer encoding, which some registries and proxies refuse.
        content.Headers.ContentLength = size;
        return content;
    }

    private static Uri WithQuery(Uri location, string parameter)
    {
        var builder = new UriBuilder(location);
        builder.Query = builder.Query.Length > 1 ? builder.Query[1..] + "&" + parameter : parameter;
        return builder.Uri;
    }

    /// <summary>The <c>Link: &lt;…&gt;; rel="next"</c> target, resolved against the current page.</summary>
    private static Uri? NextPage(HttpResponseMessage response, Uri current)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            var start = link.IndexOf('<');
            var end = link.IndexOf('>');
            if (start >= 0 && end > start && link.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase))
            {
                return new Uri(current, link[(start + 1)..end]);
            }
        }

        return null;
    }

    /// <summary>A response body stream that disposes its response with it.</summary>
    private sealed class ResponseStream(HttpResponseMessage response, Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>How a blob got into the repository.</summary>
public enum BlobUploadResult
{
    Uploaded,
    /// <summary>Mounted from another repository of the same registry: no bytes were sent.</summary>
    Mounted,
}

/// <summary>A manifest stored: its digest (checked against the registry's) and whether the registry processed its subject (OCI 1.1 <c>OCI-Subject</c> header).</summary>
public sealed record ManifestPushResult(Digest Digest, bool SubjectAccepted);

/// <summary>What a HEAD of a manifest tells: media type, the registry's digest (when it sends one) and size.</summary>
public sealed record ManifestHead(string MediaType, Digest? Digest, long Size);

internal sealed record ReferrersPage(IReadOnlyList<OciDescriptor> Manifests, bool FilterApplied);
