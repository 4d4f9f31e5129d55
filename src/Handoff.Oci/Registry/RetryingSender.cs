using System.Net;
using Polly;
using Polly.Retry;

namespace Handoff.Oci;

/// <summary>
/// Sends a request with bounded retries (Polly) when the registry is unreachable, times out, or
/// answers 408, 429 or 5xx. Each attempt builds a fresh request, so bodies are re-opened, not replayed.
/// </summary>
internal sealed class RetryingSender
{
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public RetryingSender(HttpClient http, RegistryRetryOptions options, Action<string>? log)
    {
        _http = http;
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = options.UseJitter,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.MaxRetryAfter)),
                OnRetry = args =>
                {
                    var reason = args.Outcome.Exception is { } ex ? ex.Message : $"{(int)args.Outcome.Result!.StatusCode} {args.Outcome.Result.ReasonPhrase}";
                    var url = args.Outcome.Result?.RequestMessage?.RequestUri;
                    log?.Invoke(Secrets.Redact($"Registry request {(url is null ? "" : Display(url) + " ")}failed ({reason}); attempt {args.AttemptNumber + 2} of {options.MaxAttempts} in {args.RetryDelay.TotalSeconds:0.##} s."));
                    return default;
                },
            });
        }

        _pipeline = builder.Build();
    }

    /// <summary>
    /// The response of the last attempt (success, or a failure that is not transient or used up the
    /// attempts) and how many attempts were made. Unreachable after every attempt: a <see cref="HandoffException"/>.
    /// </summary>
    public async Task<(HttpResponseMessage Response, int Attempts)> SendAsync(Func<HttpRequestMessage> create, TimeSpan timeout, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var attempts = 0;
        Uri? url = null;
        var method = HttpMethod.Get;
        try
        {
            var response = await _pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                using var request = create();
                url = request.RequestUri;
                method = request.Method;
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(token);
                limit.CancelAfter(timeout);
                try
                {
                    return await _http.SendAsync(request, completion, limit.Token);
                }
                catch (OperationCanceledException ex) when (!token.IsCancellationRequested)
                {
                    throw new TimeoutException($"no answer within {timeout.TotalSeconds:0.##} s", ex);
                }
            }, cancellationToken);
            return (response, attempts);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
        {
            var detail = ex.InnerException is { } inner && ex is HttpRequestException && !ex.Message.Contains(inner.Message, StringComparison.Ordinal) ? $"{ex.Message} {inner.Message}" : ex.Message;
            throw new HandoffException(Secrets.Redact(
                $"Cannot reach the registry: {method} {(url is null ? "(no request)" : Display(url))} failed after {attempts} attempt{(attempts == 1 ? "" : "s")} ({detail.TrimEnd('.')}). " +
                "Check the registry address, that it is running and reachable from here (DNS, proxy, firewall), then retry."), ex);
        }
    }

    /// <summary>The URL without its query: upload locations carry opaque state that helps nobody reading an error.</summary>
    public static string Display(Uri url) => url.GetLeftPart(UriPartial.Path);

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        HttpRequestException or TimeoutException => true,
        null => outcome.Result!.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)outcome.Result.StatusCode >= 500,
        _ => false,
    };

    private static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap)
    {
        if (response?.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        var delay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (delay is not { } value)
        {
            return null;
        }

        return value < TimeSpan.Zero ? TimeSpan.Zero : value > cap ? cap : value;
    }
}
