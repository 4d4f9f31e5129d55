using System.Collections.Concurrent;
using System.Net;

namespace Handoff.Testing.Oci;

/// <summary>
/// An HTTP handler that sends for real and records every request (method, path, status), so tests
/// can assert what a client did on the wire, e.g. that a second push uploads nothing.
/// </summary>
public sealed class RequestRecorder : DelegatingHandler
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    public RequestRecorder()
        : base(new SocketsHttpHandler())
    {
    }

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public void Clear() => _requests.Clear();

    public int Count(Func<RecordedRequest, bool> predicate) => _requests.Count(predicate);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            _requests.Enqueue(new RecordedRequest(request.Method, request.RequestUri!, response.StatusCode, request.Headers.Authorization?.Scheme));
            return response;
        }
        catch (HttpRequestException)
        {
            _requests.Enqueue(new RecordedRequest(request.Method, request.RequestUri!, null, request.Headers.Authorization?.Scheme));
            throw;
        }
    }
}

/// <summary>One request seen by <see cref="RequestRecorder"/>; <see cref="Status"/> is null when no answer came.</summary>
public sealed record RecordedRequest(HttpMethod Method, Uri Url, HttpStatusCode? Status, string? AuthorizationScheme)
{
    public string Path => Url.AbsolutePath;

    public bool IsBlobUpload => Path.Contains("/blobs/uploads/", StringComparison.Ordinal) && Method != HttpMethod.Head && Method != HttpMethod.Get;

    public override string ToString() => $"{Method} {Url.PathAndQuery} -> {(Status is { } s ? (int)s : "no answer")}";
}
