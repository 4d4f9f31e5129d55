using System.Net;
using Handoff.Oci.Tests.Fixtures;
using Handoff.Testing;
using Handoff.Testing.Oci;

namespace Handoff.Oci.Tests;

/// <summary>Basic auth (htpasswd) and the Bearer token flow against real registries.</summary>
public sealed class AuthenticationTests
{
    private const string User = "handoff";
    private const string Password = "Sup3r-Secret-Pa55";
    // htpasswd -nbB handoff 'Sup3r-Secret-Pa55'
    private const string Htpasswd = "handoff:$2y$05$50esdjPTkUYUiZsWBPxCWOAl/bS5FQRVYW/FJ7s9dnqtxLd8leAO6\n";

    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("oci-auth");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task Basic_auth_pushes_and_captures_with_credentials()
    {
        using var registry = RegistryServer.Start(Htpasswd);
        var recorder = new RequestRecorder();
        using var client = Registries.Client(registry, recorder, RegistryCredential.FromPassword(User, Password, "test"));
        using var archive = OpenTestImage(51);
        var target = ImageReference.Parse($"{registry.Address}/private/app:1");

        var pushed = await new ImagePusher(client).PushAsync(archive, target);
        var captured = await new DigestCapture(client).CaptureAsync(target, pushed.Digest);

        Assert.That(captured, Is.EqualTo(pushed.Digest));
        Assert.That(recorder.Count(r => r.Status == HttpStatusCode.Unauthorized), Is.EqualTo(1), "one challenge, then Basic is sent up front");
        Assert.That(recorder.Requests.Skip(1).All(r => r.AuthorizationScheme == "Basic"), Is.True);
    }

    [Test]
    public void Basic_auth_without_credentials_names_the_variables_and_docker_login()
    {
        using var registry = RegistryServer.Start(Htpasswd);
        using var client = Registries.Client(registry);
        using var archive = OpenTestImage(52);

        var error = Assert.CatchAsync<HandoffException>(() => new ImagePusher(client).PushAsync(archive, ImageReference.Parse($"{registry.Address}/private/app:1")))!;

        Assert.That(error.Message, Does.Contain("HANDOFF_REGISTRY_USERNAME").And.Contain("HANDOFF_REGISTRY_PASSWORD").And.Contain($"docker login {registry.Address}"));
        Assert.That(error.Message, Does.Contain("requires authentication"));
    }

    [Test]
    public void Basic_auth_with_a_wrong_password_is_rejected_without_showing_it()
    {
        using var registry = RegistryServer.Start(Htpasswd);
        const string wrong = "Wrong-Pa55word-123";
        using var client = Registries.Client(registry, credentials: RegistryCredential.FromPassword(User, wrong, "HANDOFF_REGISTRY_USERNAME/HANDOFF_REGISTRY_PASSWORD"));

        var error = Assert.CatchAsync<HandoffException>(() => client.PingAsync())!;

        Assert.That(error.Message, Does.Contain("rejected the credentials").And.Contain($"user '{User}'"));
        Assert.That(error.Message, Does.Not.Contain(wrong));
        Assert.That(error.ToString(), Does.Not.Contain(wrong));
    }

    [Test]
    public async Task Bearer_token_flow_pushes_pulls_and_caches_tokens_per_scope()
    {
        await using var tokens = await TokenServer.StartAsync(User, Password);
        using var registry = RegistryServer.Start(extraConfig: tokens.RegistryConfig);
        var recorder = new RequestRecorder();
        using var client = Registries.Client(registry, recorder, RegistryCredential.FromPassword(User, Password, "test"));
        using var archive = OpenTestImage(53);
        var target = ImageReference.Parse($"{registry.Address}/team/app:1");

        var pushed = await new ImagePusher(client).PushAsync(archive, target);
        var afterFirstPush = tokens.Requests;
        await new ImagePusher(client).PushAsync(archive, target);
        var captured = await new DigestCapture(client).CaptureAsync(target, pushed.Digest);

        Assert.That(captured, Is.EqualTo(pushed.Digest));
        Assert.That(afterFirstPush, Is.LessThanOrEqualTo(2), "a pull token, then one for pull+push");
        Assert.That(tokens.Requests, Is.EqualTo(afterFirstPush), "the second push and the capture reuse the cached token");
        Assert.That(tokens.ScopeRequests, Does.Contain("repository:team/app:pull,push"));
        Assert.That(recorder.Requests.Where(r => r.Url.Authority == registry.Address).Skip(1).All(r => r.AuthorizationScheme == "Bearer"), Is.True);
    }

    [Test]
    public async Task Bearer_insufficient_scope_is_answered_with_the_union_of_scopes()
    {
        await using var tokens = await TokenServer.StartAsync(User, Password);
        using var registry = RegistryServer.Start(extraConfig: tokens.RegistryConfig);
        using var client = Registries.Client(registry, credentials: RegistryCredential.FromPassword(User, Password, "test"));
        await client.BlobExistsAsync("team/scoped", Digest.Sha256("x"u8));
        Assert.That(tokens.ScopeRequests, Is.EqualTo(new[] { "repository:team/scoped:pull" }));

        // Ask to open an upload while claiming only pull is needed: the registry answers
        // insufficient_scope naming pull,push, and the client must come back with both.
        var operation = new RegistryOperation(client.Registry, "team/scoped", "opening an upload", Push: true);
        var (response, _) = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, client.Url("v2/team/scoped/blobs/uploads/")), RegistryClient.Pull("team/scoped"), operation);
        using (response)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        }

        Assert.That(tokens.ScopeRequests[^1], Is.EqualTo("repository:team/scoped:pull,push"));
    }

    [Test]
    public async Task Bearer_token_service_answering_access_token_works()
    {
        await using var tokens = await TokenServer.StartAsync(User, Password);
        tokens.UseAccessTokenField = true;
        using var registry = RegistryServer.Start(extraConfig: tokens.RegistryConfig);
        using var client = Registries.Client(registry, credentials: RegistryCredential.FromPassword(User, Password, "test"));
        using var archive = OpenTestImage(54);

        var pushed = await new ImagePusher(client).PushAsync(archive, ImageReference.Parse($"{registry.Address}/oauth/app:1"));

        Assert.That(pushed.BlobsUploaded, Is.EqualTo(archive.Blobs.Count));
    }

    [Test]
    public async Task An_identity_token_is_exchanged_with_the_oauth2_refresh_token_grant()
    {
        await using var tokens = await TokenServer.StartAsync(User, Password);
        tokens.RefreshToken = "refresh-Token-From-Az-Acr-Login";
        using var registry = RegistryServer.Start(extraConfig: tokens.RegistryConfig);
        using var client = Registries.Client(registry, credentials: RegistryCredential.FromIdentityToken("00000000-0000-0000-0000-000000000000", tokens.RefreshToken, "docker config identitytoken"));
        using var archive = OpenTestImage(56);

        var pushed = await new ImagePusher(client).PushAsync(archive, ImageReference.Parse($"{registry.Address}/acr/app:1"));

        Assert.That(pushed.BlobsUploaded, Is.EqualTo(archive.Blobs.Count));
        Assert.That(tokens.ScopeRequests, Does.Contain("repository:acr/app:pull,push"));
    }

    [Test]
    public async Task Bearer_anonymous_push_is_refused_with_the_variables_to_set()
    {
        await using var tokens = await TokenServer.StartAsync(User, Password);
        tokens.AnonymousPull = true;
        using var registry = RegistryServer.Start(extraConfig: tokens.RegistryConfig);
        using var client = Registries.Client(registry);
        using var archive = OpenTestImage(55);

        Assert.That(await client.BlobExistsAsync("public/app", Digest.Sha256("x"u8)), Is.False, "anonymous pull is allowed");
        var error = Assert.CatchAsync<HandoffException>(() => new ImagePusher(client).PushAsync(archive, ImageReference.Parse($"{registry.Address}/public/app:1")))!;

        Assert.That(error.Message, Does.Contain("HANDOFF_REGISTRY_USERNAME").And.Contain("docker login"));
    }

    [Test]
    public async Task Bearer_wrong_password_is_rejected_at_the_token_service_without_showing_it()
    {
        await using var tokens = await TokenServer.StartAsync(User, Password);
        using var registry = RegistryServer.Start(extraConfig: tokens.RegistryConfig);
        const string wrong = "Not-The-Pa55word";
        using var client = Registries.Client(registry, credentials: RegistryCredential.FromPassword(User, wrong, "docker config"));

        var error = Assert.CatchAsync<HandoffException>(() => client.BlobExistsAsync("team/app", Digest.Sha256("x"u8)))!;

        Assert.That(error.Message, Does.Contain("rejected the credentials").And.Contain("docker config"));
        Assert.That(error.ToString(), Does.Not.Contain(wrong));
    }

    [Test]
    public async Task Credentials_are_resolved_from_the_environment_only_when_the_registry_asks()
    {
        using var registry = RegistryServer.Start(Htpasswd);
        var reads = new List<string>();
        var environment = new Dictionary<string, string?>
        {
            [RegistryCredentials.UsernameVariable] = User,
            [RegistryCredentials.PasswordVariable] = Password,
        };
        var resolver = new RegistryCredentials(name =>
        {
            reads.Add(name);
            return environment.GetValueOrDefault(name);
        });
        using var client = new RegistryClient(registry.Address, new RegistryClientOptions { CredentialResolver = resolver, Retry = Registries.FastRetry });

        await client.PingAsync();

        Assert.That(reads, Does.Contain(RegistryCredentials.UsernameVariable));
        Assert.That(client.Credential!.Source, Is.EqualTo("HANDOFF_REGISTRY_USERNAME/HANDOFF_REGISTRY_PASSWORD"));
    }

    private OciImageArchive OpenTestImage(int seed)
    {
        var directory = _temp.Combine("layout-" + seed);
        TestImage.Create(seed).WriteOciLayout(directory);
        return OciImageArchive.Open(directory);
    }
}
