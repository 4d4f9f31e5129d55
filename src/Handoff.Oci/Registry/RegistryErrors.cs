using System.Net;
using System.Text.Json;

namespace Handoff.Oci;

/// <summary>What a request was for, so an error can say what failed, where, and what to do.</summary>
internal sealed record RegistryOperation(string Registry, string? Repository, string Action, bool Push)
{
    public override string ToString() => Action;
}

/// <summary>An error code and message from a registry's JSON error body (<c>{"errors":[{"code","message","detail"}]}</c>).</summary>
internal sealed record RegistryError(string Code, string Message, string? Detail);

/// <summary>Turns failed registry responses into <see cref="HandoffException"/>s that name the registry, the repository, the registry's error codes and the fix.</summary>
internal static class RegistryErrors
{
    private const int MaxBody = 64 * 1024;

    public static async Task<IReadOnlyList<RegistryError>> ReadErrorsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is 0)
        {
            return [];
        }

        try
        {
            var bytes = await ReadLimitedAsync(response.Content, cancellationToken);
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.GetPropertyOrNull("errors") is not { ValueKind: JsonValueKind.Array } errors)
            {
                return [];
            }

            return errors.EnumerateArray()
                .Select(e => new RegistryError(e.GetStringOrNull("code") ?? "UNKNOWN", e.GetStringOrNull("message") ?? "", e.GetPropertyOrNull("detail")?.ToString()))
                .ToList();
        }
        catch (Exception ex) when (ex is JsonException or HttpRequestException or IOException)
        {
            return [];
        }
    }

    public static async Task<HandoffException> CreateAsync(HttpResponseMessage response, RegistryOperation operation, int attempts, RegistryCredential? credential, CancellationToken cancellationToken)
    {
        var errors = await ReadErrorsAsync(response, cancellationToken);
        var status = (int)response.StatusCode;
        var url = response.RequestMessage?.RequestUri is { } uri ? $"{response.RequestMessage.Method} {RetryingSender.Display(uri)}" : "the request";
        var codes = errors.Count == 0 ? "" : " (" + string.Join("; ", errors.Select(Describe)) + ")";
        var repository = operation.Repository is null ? operation.Registry : $"{operation.Registry}/{operation.Repository}";
        var who = credential is null ? "anonymous access" : $"the credentials of {credential}";
        var message = response.StatusCode switch
        {
            HttpStatusCode.Forbidden =>
                $"Registry {operation.Registry} denied {operation.Action}{codes}: {who} may not {(operation.Push ? "push to" : "pull from")} {repository}. Grant {(operation.Push ? "push" : "pull")} access to that user or token, or use a repository it may {(operation.Push ? "push to" : "read")}.",
            HttpStatusCode.NotFound when Has(errors, "NAME_UNKNOWN") =>
                $"Repository {repository} does not exist{codes}. Check the name; registries such as ECR need the repository created before the first push.",
            HttpStatusCode.NotFound when Has(errors, "MANIFEST_UNKNOWN") =>
                $"Registry {operation.Registry} has no such manifest for {operation.Action}{codes}. Check the tag or digest, or push the image first.",
            HttpStatusCode.NotFound when Has(errors, "BLOB_UNKNOWN") =>
                $"Registry {operation.Registry} has no such blob for {operation.Action}{codes}. Push the image again so its blobs are uploaded.",
            HttpStatusCode.NotFound =>
                $"Registry {operation.Registry} answered 404 Not Found to {url} ({operation.Action}){codes}. Check the registry address and repository name; the registry may not support this API.",
            HttpStatusCode.BadRequest =>
                $"Registry {operation.Registry} rejected {operation.Action} in {repository}{codes}. {FixFor(errors)}",
            HttpStatusCode.MethodNotAllowed =>
                $"Registry {operation.Registry} does not allow {operation.Action} ({url} answered 405{codes}). It may be read-only (a mirror or proxy cache) or not support this operation.",
            HttpStatusCode.RequestEntityTooLarge =>
                $"Registry {operation.Registry} refused {operation.Action} as too large (413){codes}. Check the registry's upload and manifest size limits.",
            HttpStatusCode.TooManyRequests =>
                $"Registry {operation.Registry} kept rate-limiting {operation.Action} (429{codes}) after {Attempts(attempts)}. Wait and retry; authenticated requests usually have higher limits.",
            _ when status >= 500 =>
                $"Registry {operation.Registry} failed {operation.Action}: {url} answered {status} {response.ReasonPhrase} after {Attempts(attempts)}{codes}. The registry is failing or overloaded: retry later, or check its logs.",
            _ =>
                $"Registry {operation.Registry} answered {status} {response.ReasonPhrase} to {url} ({operation.Action}){codes}.",
        };
        return new HandoffException(Secrets.Redact(message));
    }

    public static HandoffException Unauthorized(RegistryOperation operation, RegistryCredential? credential, AuthChallenge? challenge)
    {
        var access = operation.Push ? "push to" : "pull from";
        var target = operation.Repository is null ? operation.Registry : $"{operation.Registry}/{operation.Repository}";
        if (credential is null)
        {
            return new HandoffException(Secrets.Redact(
                $"Registry {operation.Registry} requires authentication to {access} {target} ({operation.Action}), and no credentials were found. " +
                $"Set {RegistryCredentials.UsernameVariable} and {RegistryCredentials.PasswordVariable}, or run `docker login {operation.Registry}`."));
        }

        if (challenge?.Error == "insufficient_scope")
        {
            return new HandoffException(Secrets.Redact(
                $"Registry {operation.Registry} does not let {credential} {access} {target} (insufficient_scope for {challenge.Scope ?? operation.Action}). Grant that access, or use credentials that have it."));
        }

        return new HandoffException(Secrets.Redact(
            $"Registry {operation.Registry} rejected the credentials ({credential}) to {access} {target}. Check the user name and password or token, that it has not expired, and that it is for this registry " +
            $"({RegistryCredentials.UsernameVariable}/{RegistryCredentials.PasswordVariable}, or `docker login {operation.Registry}`)."));
    }

    private static string Describe(RegistryError error) =>
        error.Message.Length == 0 ? error.Code : $"{error.Code}: {error.Message}{(string.IsNullOrEmpty(error.Detail) || error.Detail.Length > 300 ? "" : " " + error.Detail)}";

    private static bool Has(IReadOnlyList<RegistryError> errors, string code) => errors.Any(e => e.Code == code);

    private static string Attempts(int attempts) => attempts == 1 ? "1 attempt" : $"{attempts} attempts";

    private static string FixFor(IReadOnlyList<RegistryError> errors)
    {
        if (Has(errors, "MANIFEST_BLOB_UNKNOWN") || Has(errors, "BLOB_UNKNOWN"))
        {
            return "The manifest names blobs the registry does not have: push all of the image's blobs first (push the whole archive).";
        }

        if (Has(errors, "MANIFEST_INVALID") || Has(errors, "MANIFEST_UNVERIFIED"))
        {
            return "The registry cannot use this manifest: check that it supports the media type (OCI or Docker v2) and rebuild the image.";
        }

        if (Has(errors, "TAG_INVALID"))
        {
            return "Use a tag of letters, digits, '_', '.' and '-' (at most 128, not starting with '.' or '-').";
        }

        if (Has(errors, "NAME_INVALID"))
        {
            return "Use a repository name of lowercase letters, digits and separators ('.', '_', '__', '-', '/').";
        }

        if (Has(errors, "DIGEST_INVALID") || Has(errors, "SIZE_INVALID"))
        {
            return "The uploaded content did not match its digest or size: the archive changed during the push or the connection corrupted it. Retry.";
        }

        return "Check the image and the registry's requirements.";
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxBody];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return buffer[..total];
    }
}
