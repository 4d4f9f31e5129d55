using System.Text;
using Handoff.Testing;

namespace Handoff.Oci.Tests;

/// <summary>HANDOFF_REGISTRY_* first, then a temp DOCKER_CONFIG's config.json: auths, normalised keys, credential helpers.</summary>
public sealed class CredentialResolutionTests
{
    private TempDirectory _temp = null!;
    private Dictionary<string, string?> _environment = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory("oci-credentials");
        _environment = new Dictionary<string, string?> { ["DOCKER_CONFIG"] = _temp.Path, ["PATH"] = _temp.Combine("bin") };
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private RegistryCredentials Resolver => new(name => _environment.GetValueOrDefault(name));

    [Test]
    public async Task Environment_variables_win_over_docker_config()
    {
        WriteConfig(new { auths = new Dictionary<string, object> { ["ghcr.io"] = new { auth = Base64("config-user:config-pass") } } });
        _environment[RegistryCredentials.UsernameVariable] = "ci-user";
        _environment[RegistryCredentials.PasswordVariable] = "ci-token-123";

        var credential = await Resolver.ResolveAsync("ghcr.io");

        Assert.That(credential!.Username, Is.EqualTo("ci-user"));
        Assert.That(credential.Password, Is.EqualTo("ci-token-123"));
        Assert.That(credential.Source, Is.EqualTo("HANDOFF_REGISTRY_USERNAME/HANDOFF_REGISTRY_PASSWORD"));
    }

    [Test]
    public void Only_one_environment_variable_is_an_error_naming_both()
    {
        _environment[RegistryCredentials.UsernameVariable] = "ci-user";

        var error = Assert.CatchAsync<HandoffException>(() => Resolver.ResolveAsync("ghcr.io"))!;

        Assert.That(error.Message, Does.Contain("HANDOFF_REGISTRY_USERNAME").And.Contain("HANDOFF_REGISTRY_PASSWORD").And.Contain("set both"));
    }

    [Test]
    public async Task Base64_auth_entry_is_decoded_and_its_secrets_registered()
    {
        WriteConfig(new { auths = new Dictionary<string, object> { ["registry.example.com"] = new { auth = Base64("deploy:p@ss:with:colons") } } });

        var credential = await Resolver.ResolveAsync("registry.example.com");

        Assert.That(credential!.Username, Is.EqualTo("deploy"));
        Assert.That(credential.Password, Is.EqualTo("p@ss:with:colons"));
        Assert.That(credential.Source, Does.Contain("config.json").And.Contain("registry.example.com"));
        Assert.That(Secrets.Redact("token p@ss:with:colons here"), Does.Not.Contain("p@ss:with:colons"));
        Assert.That(credential.ToString(), Does.Not.Contain("p@ss"));
    }

    [TestCase("https://index.docker.io/v1/", "docker.io")]
    [TestCase("index.docker.io", "docker.io")]
    [TestCase("https://ghcr.io", "ghcr.io")]
    [TestCase("http://localhost:5000/v2/", "localhost:5000")]
    [TestCase("Registry.Example.COM", "registry.example.com")]
    public async Task Config_keys_are_matched_the_way_docker_matches_them(string key, string registry)
    {
        WriteConfig(new { auths = new Dictionary<string, object> { [key] = new { username = "u", password = "pw-" + registry } } });

        var credential = await Resolver.ResolveAsync(registry);

        Assert.That(credential?.Password, Is.EqualTo("pw-" + registry));
    }

    [Test]
    public async Task Identity_token_entries_become_refresh_token_credentials()
    {
        WriteConfig(new { auths = new Dictionary<string, object> { ["myacr.azurecr.io"] = new { auth = Base64("00000000-0000-0000-0000-000000000000:"), identitytoken = "refresh-token-xyz" } } });

        var credential = await Resolver.ResolveAsync("myacr.azurecr.io");

        Assert.That(credential!.IdentityToken, Is.EqualTo("refresh-token-xyz"));
        Assert.That(credential.HasPassword, Is.False);
    }

    [Test]
    public async Task No_entry_and_no_helper_means_anonymous()
    {
        WriteConfig(new { auths = new Dictionary<string, object> { ["other.example.com"] = new { auth = Base64("a:b") }, ["ghcr.io"] = new { } } });

        Assert.That(await Resolver.ResolveAsync("ghcr.io"), Is.Null, "an empty entry is only a credsStore marker");
        Assert.That(await Resolver.ResolveAsync("quay.io"), Is.Null);
    }

    [Test]
    public async Task Docker_config_defaults_to_home()
    {
        _environment.Remove("DOCKER_CONFIG");
        _environment["HOME"] = _temp.Combine("home");
        _temp.Write("home/.docker/config.json", JsonSerializer(new { auths = new Dictionary<string, object> { ["ghcr.io"] = new { auth = Base64("me:from-home") } } }));

        var credential = await Resolver.ResolveAsync("ghcr.io");

        Assert.That(credential!.Password, Is.EqualTo("from-home"));
    }

    [Test]
    public void Invalid_config_json_names_the_file_line_and_fix()
    {
        _temp.Write("config.json", "{\n  \"auths\": {\n    \"ghcr.io\": { auth: 1 }\n  }\n}");

        var error = Assert.CatchAsync<InputFileException>(() => Resolver.ResolveAsync("ghcr.io"))!;

        Assert.That(error.File, Is.EqualTo(_temp.Combine("config.json")));
        Assert.That(error.Line, Is.EqualTo(3));
        Assert.That(error.Message, Does.Contain("not valid JSON").And.Contain("HANDOFF_REGISTRY_USERNAME"));
    }

    [Test]
    public void A_credential_helper_that_is_not_installed_is_named_with_the_fix()
    {
        WriteConfig(new { credHelpers = new Dictionary<string, string> { ["123456789012.dkr.ecr.eu-west-1.amazonaws.com"] = "ecr-login" } });

        var error = Assert.CatchAsync<HandoffException>(() => Resolver.ResolveAsync("123456789012.dkr.ecr.eu-west-1.amazonaws.com"))!;

        Assert.That(error.Message, Does.Contain("docker-credential-ecr-login").And.Contain("not on PATH").And.Contain("credHelpers").And.Contain("HANDOFF_REGISTRY_USERNAME"));
    }

    [Test]
    public async Task Credential_helpers_and_creds_store_are_run_with_the_server_url()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("The fake helper is a shell script.");
        }

        // A real helper program speaking the protocol: server URL on stdin, JSON on stdout.
        WriteHelper("fake", """
            read server
            case "$server" in
              https://index.docker.io/v1/) echo '{"ServerURL":"'"$server"'","Username":"hub-user","Secret":"hub-secret-1"}' ;;
              ghcr.io) echo '{"ServerURL":"ghcr.io","Username":"<token>","Secret":"identity-token-2"}' ;;
              *) echo "credentials not found in native keychain"; exit 1 ;;
            esac
            """);
        WriteConfig(new { credsStore = "fake", credHelpers = new Dictionary<string, string> { ["ghcr.io"] = "fake" } });

        var hub = await Resolver.ResolveAsync("docker.io");
        var ghcr = await Resolver.ResolveAsync("ghcr.io");
        var unknown = await Resolver.ResolveAsync("quay.io");

        Assert.That(hub!.Username, Is.EqualTo("hub-user"));
        Assert.That(hub.Password, Is.EqualTo("hub-secret-1"));
        Assert.That(hub.Source, Does.Contain("docker-credential-fake").And.Contain("credsStore"));
        Assert.That(ghcr!.IdentityToken, Is.EqualTo("identity-token-2"));
        Assert.That(ghcr.Source, Does.Contain("credHelpers"));
        Assert.That(unknown, Is.Null, "'credentials not found' is anonymous access, not an error");
        Assert.That(Secrets.Redact("hub-secret-1 identity-token-2"), Is.EqualTo("*** ***"));
    }

    [Test]
    public async Task Disabled_resolver_finds_nothing()
    {
        _environment[RegistryCredentials.UsernameVariable] = "u";
        _environment[RegistryCredentials.PasswordVariable] = "p";

        Assert.That(await RegistryCredentials.None.ResolveAsync("ghcr.io"), Is.Null);
    }

    private void WriteConfig(object config) => _temp.Write("config.json", JsonSerializer(config));

    private void WriteHelper(string name, string script)
    {
        var path = _temp.Write($"bin/docker-credential-{name}", "#!/bin/sh\n" + script + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static string JsonSerializer(object value) => System.Text.Json.JsonSerializer.Serialize(value);

    private static string Base64(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
}
