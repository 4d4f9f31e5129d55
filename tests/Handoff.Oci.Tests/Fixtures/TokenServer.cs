using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Handoff.Testing;
using Microsoft.AspNetCore.Http;

namespace Handoff.Oci.Tests.Fixtures;

/// <summary>
/// A Docker token service (the distribution "token" auth spec) for a registry started with
/// <c>auth: token</c>: it checks Basic credentials, grants the requested scopes and issues real RS256
/// JWTs whose x5c header carries a self-signed certificate the registry trusts (rootcertbundle).
/// </summary>
internal sealed class TokenServer : IAsyncDisposable
{
    public const string Service = "handoff-test-registry";
    public const string Issuer = "handoff-test-issuer";

    private readonly RSA _key;
    private readonly X509Certificate2 _certificate;
    private readonly TempDirectory _directory;
    private HttpTestServer _http = null!;
    private readonly ConcurrentQueue<string> _scopeRequests = new();

    private TokenServer(string user, string password)
    {
        User = user;
        Password = password;
        _key = RSA.Create(2048);
        var request = new CertificateRequest("CN=handoff-test-token-issuer", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        _directory = new TempDirectory("token-server");
        CertificateBundle = _directory.Write("root.pem", _certificate.ExportCertificatePem() + "\n");
    }

    public string User { get; }
    public string Password { get; }
    public string CertificateBundle { get; }
    public string Realm => $"http://{_http.Address}/token";
    /// <summary>Answer with <c>access_token</c> (OAuth2 style) instead of <c>token</c>.</summary>
    public bool UseAccessTokenField { get; set; }
    /// <summary>An OAuth2 refresh token the service accepts in a POST (null: none).</summary>
    public string? RefreshToken { get; set; }
    /// <summary>Let anonymous clients pull.</summary>
    public bool AnonymousPull { get; set; }
    /// <summary>Token requests that asked for a scope, in order (their space-joined scope lists).</summary>
    public IReadOnlyList<string> ScopeRequests => _scopeRequests.ToArray();
    public int Requests => _http.Requests;

    /// <summary>The registry configuration block that makes it trust this server.</summary>
    public string RegistryConfig => $"""
        auth:
          token:
            realm: {Realm}
            service: {Service}
            issuer: {Issuer}
            rootcertbundle: {CertificateBundle}
        """;

    public static async Task<TokenServer> StartAsync(string user, string password)
    {
        var server = new TokenServer(user, password);
        server._http = await HttpTestServer.StartAsync((context, _) => server.HandleAsync(context));
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path != "/token")
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (context.Request.Method == "POST")
        {
            await HandleRefreshTokenAsync(context);
            return;
        }

        var account = Authenticate(context.Request.Headers.Authorization.ToString());
        if (account is null)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsync("{\"details\":\"invalid credentials\"}");
            return;
        }

        var scopes = context.Request.Query["scope"].Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToList();
        _scopeRequests.Enqueue(string.Join(' ', scopes));

        var token = IssueToken(account, Grant(account, scopes));
        var body = new JsonObject { [UseAccessTokenField ? "access_token" : "token"] = token, ["expires_in"] = 300, ["issued_at"] = DateTimeOffset.UtcNow.ToString("O") };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    /// <summary>The OAuth2 refresh-token grant (what Docker does with an identitytoken, e.g. for ACR): form post, access_token back.</summary>
    private async Task HandleRefreshTokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        if (form["grant_type"] != "refresh_token" || form["refresh_token"] != RefreshToken || RefreshToken is null)
        {
            context.Response.StatusCode = 401;
            return;
        }

        var scopes = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        _scopeRequests.Enqueue(string.Join(' ', scopes));
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["access_token"] = IssueToken(User, Grant(User, scopes)), ["expires_in"] = 300 }.ToJsonString());
    }

    private JsonArray Grant(string account, IEnumerable<string> scopes)
    {
        var access = new JsonArray();
        foreach (var scope in scopes.SelectMany(s => s.Split(' ')))
        {
            var parts = scope.Split(':');
            var actions = parts[^1].Split(',').Where(a => account.Length > 0 || (AnonymousPull && a == "pull")).ToArray();
            access.Add(new JsonObject { ["type"] = parts[0], ["name"] = string.Join(':', parts[1..^1]), ["actions"] = new JsonArray(actions.Select(a => (JsonNode)a).ToArray()) });
        }

        return access;
    }

    /// <summary>The account name ("" for anonymous), or null for wrong credentials.</summary>
    private string? Authenticate(string header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return "";
        }

        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return null;
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
        return decoded == $"{User}:{Password}" ? User : null;
    }

    private string IssueToken(string subject, JsonArray access)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject
        {
            ["typ"] = "JWT",
            ["alg"] = "RS256",
            ["x5c"] = new JsonArray(Convert.ToBase64String(_certificate.RawData)),
        };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["aud"] = Service,
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = access,
        };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await _http.DisposeAsync();
        _certificate.Dispose();
        _key.Dispose();
        _directory.Dispose();
    }
}
