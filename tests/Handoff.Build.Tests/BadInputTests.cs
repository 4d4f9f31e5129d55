using System.Net.Sockets;
using Handoff.Oci;
using Handoff.Testing;

namespace Handoff.Build.Tests;

/// <summary>Each mistake gets one clear message, a non-zero exit, and nothing half-done.</summary>
[NonParallelizable]
public class BadInputTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = new TempDirectory("bad-input");
        _dir.Write(".handoff/scan.yaml", "version: 1\nwhenNoScanRan: warn\n");
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private string Layout()
    {
        var layout = _dir.Combine("image-layout");
        if (!Directory.Exists(layout))
        {
            MinimalBaseImage.WriteLayout(layout);
        }

        return layout;
    }

    private Task<ScriptRun> Publish(string registry, params string[] extra) =>
        BuildScript.RunAsync(_dir.Path, ["--target=Publish", $"--registry={registry}", "--repository=handoff/myapp", "--tag=v1", $"--image-archive={Layout()}", "--skip-tests", "--trivy=off", .. extra]);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Test]
    public async Task Unreachable_registry_fails_after_bounded_retries()
    {
        var run = await Publish($"127.0.0.1:{ClosedPort()}", "--registry-attempts=2");
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output, Does.Contain("after 2 attempts"));
        Assert.That(File.Exists(_dir.Combine("artifacts", "release.json")), Is.False);
    }

    [Test]
    public async Task A_401_without_credentials_names_the_variables_and_a_wrong_password_is_never_printed()
    {
        var htpasswd = Exec.Run("htpasswd", ["-nbB", "ci", "correct-horse-battery"]).EnsureSuccess().StandardOutput.Trim() + "\n";
        using var registry = RegistryServer.Start(htpasswd);

        var anonymous = await Publish(registry.Address);
        Assert.That(anonymous.ExitCode, Is.EqualTo(1), anonymous.ToString());
        Assert.That(anonymous.Output, Does.Contain("HANDOFF_REGISTRY_USERNAME").And.Contain("HANDOFF_REGISTRY_PASSWORD"));

        const string wrong = "wrong-password-9f8e7d";
        var rejected = await BuildScript.RunAsync(_dir.Path, new Dictionary<string, string?> { ["HANDOFF_REGISTRY_USERNAME"] = "ci", ["HANDOFF_REGISTRY_PASSWORD"] = wrong },
            "--target=Publish", $"--registry={registry.Address}", "--repository=handoff/myapp", "--tag=v1", $"--image-archive={Layout()}", "--skip-tests", "--trivy=off", "--verbosity=diagnostic");
        Assert.That(rejected.ExitCode, Is.EqualTo(1), rejected.ToString());
        Assert.That(rejected.Output, Does.Not.Contain(wrong));

        var accepted = await BuildScript.RunAsync(_dir.Path, new Dictionary<string, string?> { ["HANDOFF_REGISTRY_USERNAME"] = "ci", ["HANDOFF_REGISTRY_PASSWORD"] = "correct-horse-battery" },
            "--target=Publish", $"--registry={registry.Address}", "--repository=handoff/myapp", "--tag=v1", $"--image-archive={Layout()}", "--skip-tests", "--trivy=off", "--verbosity=diagnostic");
        Assert.That(accepted.ExitCode, Is.Zero, accepted.ToString());
        Assert.That(accepted.Output, Does.Not.Contain("correct-horse-battery"));
    }

    [TestCase("--repository=Handoff/MyApp", "not a valid repository name")]
    [TestCase("--tag=-oops", "not a valid tag")]
    [TestCase("--registry=not a host", "not a registry host")]
    public async Task Invalid_names_fail_before_any_work(string bad, string message)
    {
        var run = await BuildScript.RunAsync(_dir.Path, ["--target=Publish", "--registry=127.0.0.1:5000", "--repository=handoff/myapp", "--tag=v1", $"--image-archive={Layout()}", "--skip-tests", "--trivy=off", bad]);
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output, Does.Contain(message));
        Assert.That(run.Output, Does.Match(@"BuildImage\s+[0-9:.]+\s+Failed"), "stops at the first task that reads the target");
    }

    [Test]
    public async Task A_missing_archive_is_named()
    {
        var run = await BuildScript.RunAsync(_dir.Path, "--target=Publish", "--registry=127.0.0.1:5000", "--repository=handoff/myapp", "--tag=v1", "--image-archive=nope.tar", "--skip-tests");
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output, Does.Contain("nope.tar").And.Contain("does not exist"));
    }

    [Test]
    public async Task A_corrupt_archive_is_refused_before_the_scan_and_the_push()
    {
        var layout = Layout();
        var blob = Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).OrderByDescending(f => new FileInfo(f).Length).First();
        var bytes = File.ReadAllBytes(blob);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(blob, bytes);
        using var registry = RegistryServer.Start();

        var run = await Publish(registry.Address);
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output, Does.Contain(Path.GetFileName(blob)));
        Assert.That(run.Output, Does.Match(@"BuildImage\s+[0-9:.]+\s+Failed"));
    }

    [Test]
    public async Task An_unknown_target_lists_the_known_ones()
    {
        var run = await BuildScript.RunAsync(_dir.Path, "--target=Deploy");
        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Output, Does.Contain("unknown target 'Deploy'").And.Contain("Publish").And.Contain("ValidateManifests"));
    }

    [Test]
    public async Task A_missing_parameter_says_every_way_to_set_it()
    {
        var run = await BuildScript.RunAsync(_dir.Path, "--target=Promote", "--app=myapp", "--from=dev", "--to=staging");
        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Output, Does.Contain("--delivery-repo=VALUE").And.Contain("HANDOFF_DELIVERY_REPO").And.Contain("cake.config"));
    }
}
