using Handoff.MSBuild.Tests.Support;
using Handoff.Oci;
using Handoff.Testing;

namespace Handoff.MSBuild.Tests;

/// <summary>
/// A registry that requires basic auth: credentials reach the task through the environment of the
/// build (never as task parameters), and a refusal is one MSBuild error without the secret.
/// </summary>
public sealed class RegistryAuthTests
{
    private const string User = "handoff";
    private const string Password = "Sup3r-Secret-Pa55";
    // htpasswd -nbB handoff 'Sup3r-Secret-Pa55'
    private const string Htpasswd = "handoff:$2y$05$50esdjPTkUYUiZsWBPxCWOAl/bS5FQRVYW/FJ7s9dnqtxLd8leAO6\n";

    private RegistryServer _registry = null!;
    private TempDirectory _temp = null!;
    private string _project = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _registry = RegistryServer.Start(Htpasswd);
        _temp = new TempDirectory("msbuild-auth");
        MinimalBaseImage.WriteLayout(_temp.Combine("layout"));
        _project = TaskProject.Write(_temp, $"""
              <Target Name="Push">
                <HandoffPushImage ArchivePath="layout" Registry="{_registry.Address}" Repository="secured/app" Tag="1.0" MaxAttempts="1">
                  <Output TaskParameter="Digest" PropertyName="Digest" />
                </HandoffPushImage>
                <Message Importance="high" Text="OUT:Digest=$(Digest)" />
              </Target>
            """);
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _registry.Dispose();
        _temp.Dispose();
    }

    [Test]
    public async Task Without_credentials_the_401_is_one_error_naming_the_variables_and_docker_login()
    {
        var result = await DotNet.MSBuildAsync(_project, "Push");

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Errors, Has.Count.EqualTo(1), result.ToString);
        Assert.Multiple(() =>
        {
            Assert.That(result.Errors[0].Code, Is.EqualTo("HANDOFF101"));
            Assert.That(result.Errors[0].Message, Does.Contain("HANDOFF_REGISTRY_USERNAME").And.Contain("HANDOFF_REGISTRY_PASSWORD").And.Contain("docker login"));
        });
    }

    [Test]
    public async Task Wrong_password_is_rejected_without_printing_it()
    {
        const string wrong = "not-the-Pa55word-at-all";

        var result = await DotNet.MSBuildAsync(_project, "Push", environment: Credentials(wrong));

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Errors, Has.Count.EqualTo(1), result.ToString);
        Assert.That(result.Errors[0].Message, Does.Contain("rejected"));
        Assert.That(result.Output, Does.Not.Contain(wrong));
    }

    [Test]
    public async Task Credentials_from_the_environment_push_and_stay_out_of_the_diagnostic_log()
    {
        var result = await DotNet.RunAsync(["msbuild", _project, "-t:Push"], _temp.Path, Credentials(Password), verbosity: "diag");

        Assert.That(result.Succeeded, Is.True, result.ToString);
        Assert.That(result.Value("Digest"), Does.StartWith("sha256:"));
        Assert.That(result.Output, Does.Contain("Task Parameter:Repository=secured/app"), "the log is diagnostic: it records every task parameter");
        Assert.That(result.Output, Does.Not.Contain(Password),
            "the password is neither a task parameter nor logged by the task");
    }

    private static Dictionary<string, string?> Credentials(string password) => new()
    {
        ["HANDOFF_REGISTRY_USERNAME"] = User,
        ["HANDOFF_REGISTRY_PASSWORD"] = password,
    };
}
