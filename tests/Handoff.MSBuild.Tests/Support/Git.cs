namespace Handoff.MSBuild.Tests.Support;

/// <summary>A throwaway git repository with one commit, for the source facts in release.json.</summary>
internal static class Git
{
    /// <summary>Initialises <paramref name="directory"/> on branch main with an origin remote and one commit; returns the commit id.</summary>
    public static async Task<string> InitAsync(string directory, string remote)
    {
        await RunAsync(directory, "init", "-q", "-b", "main");
        await RunAsync(directory, "remote", "add", "origin", remote);
        await RunAsync(directory, "-c", "user.name=Handoff Tests", "-c", "user.email=tests@handoff.invalid", "commit", "-q", "--allow-empty", "-m", "initial");
        return (await RunAsync(directory, "rev-parse", "HEAD")).Trim();
    }

    private static async Task<string> RunAsync(string directory, params string[] args)
    {
        var git = Exec.FindOnPath("git") ?? throw new InvalidOperationException("git is not on PATH.");
        var result = await Exec.RunAsync(git, ["-C", directory, .. args]);
        return result.EnsureSuccess("git").StandardOutput;
    }
}
