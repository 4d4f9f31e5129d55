using Handoff.Testing;

namespace Handoff.MSBuild.Tests;

/// <summary>Folders shared by the whole run: an empty Docker config so no developer login leaks into a test.</summary>
[SetUpFixture]
public sealed class Session
{
    private static TempDirectory? _directory;

    public static string EmptyDockerConfig => Path.Combine(_directory?.Path ?? throw new InvalidOperationException("The session has not started."), "docker-config");

    [OneTimeSetUp]
    public void Start()
    {
        _directory = new TempDirectory("msbuild-session");
        Directory.CreateDirectory(EmptyDockerConfig);
    }

    [OneTimeTearDown]
    public void Stop() => _directory?.Dispose();
}
