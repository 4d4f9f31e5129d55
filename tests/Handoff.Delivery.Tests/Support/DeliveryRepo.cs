using Handoff.Delivery.Commands;
using Handoff.Delivery.Git;
using Handoff.Testing;

namespace Handoff.Delivery.Tests.Support;

/// <summary>
/// A real bare delivery repository made from samples/delivery-repo, in its own temp folder, with
/// helpers to read what promotions did to it. The template repository is built once per test run
/// and copied, which is much faster than committing the template again for every test.
/// </summary>
public sealed class DeliveryRepo : IDisposable
{
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? _template;

    private DeliveryRepo(TempDirectory directory, string bare)
    {
        Directory = directory;
        BarePath = bare;
    }

    public TempDirectory Directory { get; }
    public string BarePath { get; }
    public string WorkingDirectory => Directory.Combine("work");
    public string Artifacts => Directory.Combine("work", "artifacts");
    public List<string> Log { get; } = [];

    public static async Task<DeliveryRepo> CreateAsync()
    {
        await TemplateLock.WaitAsync();
        try
        {
            if (_template is null)
            {
                var path = Path.Combine(Path.GetTempPath(), "handoff-delivery-template-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..6], "delivery.git");
                await DeliveryTemplate.CreateBareRepositoryAsync(RepoPaths.InRepo("samples", "delivery-repo"), path);
                _template = path;
            }
        }
        finally
        {
            TemplateLock.Release();
        }

        var directory = new TempDirectory("handoff-delivery-test");
        var bare = directory.Combine("delivery.git");
        DirectoryCopy.Copy(_template, bare);
        System.IO.Directory.CreateDirectory(directory.Combine("work"));
        return new DeliveryRepo(directory, bare);
    }

    /// <summary>Removes the shared template repository; called once after all tests.</summary>
    internal static void DeleteTemplate()
    {
        if (_template is not null)
        {
            TryDelete(Path.GetDirectoryName(_template)!);
            _template = null;
        }
    }

    public DeliveryOptions Options(Scm.ScmKind scm = Scm.ScmKind.Branch, string? deliveryRepo = null) => new()
    {
        DeliveryRepo = deliveryRepo ?? BarePath,
        Scm = scm,
        WorkingDirectory = WorkingDirectory,
        TempDirectory = Directory.Combine("tmp"),
        Identity = new GitIdentity("Handoff Test", "handoff-test@localhost"),
    };

    /// <summary>Opens and merges the promotion of each release to <paramref name="environment"/>, in order: a history of earlier releases.</summary>
    public static async Task MergeEachAsync(DeliveryOptions options, string environment, IEnumerable<Release> releases)
    {
        foreach (var release in releases)
        {
            var opened = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = environment, Release = release });
            await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = opened.Request.Branch! });
        }
    }

    public Action<string> Logger => line =>
    {
        lock (Log)
        {
            Log.Add(line);
        }
    };

    public string Git(params string[] args)
    {
        var result = Exec.Run("git", ["--git-dir", BarePath, .. args]);
        result.EnsureSuccess("git in the test delivery repo");
        return result.StandardOutput.TrimEnd('\n');
    }

    public string? TryGit(params string[] args)
    {
        var result = Exec.Run("git", ["--git-dir", BarePath, .. args]);
        return result.Succeeded ? result.StandardOutput.TrimEnd('\n') : null;
    }

    /// <summary>A file's exact bytes at a revision, as text.</summary>
    public string Show(string revision, string path)
    {
        var result = Exec.Run("git", ["--git-dir", BarePath, "cat-file", "blob", $"{revision}:{path}"]);
        result.EnsureSuccess($"read {path} at {revision}");
        return result.StandardOutput;
    }

    /// <summary>Temporary clones still on disk (the commands must remove theirs).</summary>
    public IReadOnlyList<string> LeftoverClones() =>
        System.IO.Directory.Exists(Directory.Combine("tmp")) ? System.IO.Directory.GetFileSystemEntries(Directory.Combine("tmp")) : [];

    public IReadOnlyList<string> Branches() =>
        Git("for-each-ref", "--format=%(refname:short)", "refs/heads").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public string Head(string branch = "main") => Git("rev-parse", "refs/heads/" + branch);

    /// <summary>Trailers of one commit as a dictionary.</summary>
    public IReadOnlyDictionary<string, string> Trailers(string revision)
    {
        var text = Git("log", "-1", "--format=%(trailers:only,unfold)", revision);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 2))
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim());
    }

    /// <summary>The digest pinned for myapp in an environment's values file on a revision.</summary>
    public string? PinnedDigest(string env, string revision = "main")
    {
        var line = Show(revision, $"env/{env}/values.yaml").Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith("digest:", StringComparison.Ordinal));
        var value = line?.Split(':', 2)[1].Trim().Trim('"', '\'');
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>Replaces a file on main with a commit made outside Handoff (as a person would).</summary>
    public void CommitFile(string path, string content, string message = "Edit by hand")
    {
        using var work = new TempDirectory("handoff-edit");
        Exec.Run("git", ["clone", "--quiet", BarePath, work.Path]).EnsureSuccess("clone");
        work.Write(path, content);
        var env = new Dictionary<string, string?> { ["GIT_AUTHOR_NAME"] = "Person", ["GIT_AUTHOR_EMAIL"] = "p@example.com", ["GIT_COMMITTER_NAME"] = "Person", ["GIT_COMMITTER_EMAIL"] = "p@example.com" };
        Exec.Run("git", ["-C", work.Path, "add", "--all"]).EnsureSuccess("add");
        Exec.Run("git", ["-C", work.Path, "commit", "--quiet", "-m", message], new ExecOptions { Environment = env }).EnsureSuccess("commit");
        Exec.Run("git", ["-C", work.Path, "push", "--quiet", "origin", "HEAD:main"]).EnsureSuccess("push");
    }

    public void InstallHook(string name, string script)
    {
        var path = Path.Combine(BarePath, "hooks", name);
        File.WriteAllText(path, "#!/bin/sh\n" + script);
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("git hooks in these tests are POSIX shell scripts");
        }
        else
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public void Dispose() => Directory.Dispose();

    private static void TryDelete(string path)
    {
        try
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
