using System.Text;

namespace Handoff.Delivery.Git;

/// <summary>What to clone: the base branch (or the remote's default), and how much history.</summary>
internal sealed record CloneRequest(string CloneUrl, string DisplayName, string? BaseBranch, int Depth, bool TreeOnlyHistory);

/// <summary>The outcome of a push: done, or rejected because someone else moved the ref first.</summary>
internal enum PushOutcome
{
    Pushed,
    Rejected,
}

/// <summary>
/// A temporary clone of the delivery repository. Every edit happens here and reaches the remote
/// only through <see cref="PushAsync"/>, the last step, so a failure never leaves half a change
/// behind. Disposing deletes the folder.
/// </summary>
internal sealed class DeliveryClone : IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(false);

    private DeliveryClone(string directory, GitClient git, CloneRequest request)
    {
        Directory = directory;
        Git = git;
        Request = request;
    }

    public string Directory { get; }
    public GitClient Git { get; }
    public CloneRequest Request { get; }
    public string BaseBranch { get; private set; } = "";
    public string BaseCommit { get; private set; } = "";

    public static async Task<DeliveryClone> CreateAsync(CloneRequest request, GitSettings settings, string? tempRoot, CancellationToken cancellationToken)
    {
        var root = tempRoot ?? Path.GetTempPath();
        System.IO.Directory.CreateDirectory(root);
        var directory = Path.Combine(root, "handoff-delivery-" + Guid.NewGuid().ToString("N")[..10]);
        var git = new GitClient(null, settings);
        var clone = new DeliveryClone(directory, git.In(directory), request);
        try
        {
            var args = new List<string> { "clone", "--no-tags", "--single-branch", "--quiet" };
            if (request.Depth > 0)
            {
                args.Add("--depth=" + request.Depth);
            }

            if (request.TreeOnlyHistory)
            {
                // Commits and trees for the trailer history; file contents are fetched only when read.
                args.Add("--filter=blob:none");
            }

            if (request.BaseBranch is { } branch)
            {
                args.AddRange(["--branch", branch]);
            }

            args.AddRange(["--", request.CloneUrl, directory]);
            var result = await git.TryAsync(args, cancellationToken);
            if (!result.Succeeded)
            {
                throw CloneFailure(request, result);
            }

            await clone.ReadHeadAsync(cancellationToken);
            return clone;
        }
        catch
        {
            clone.Dispose();
            throw;
        }
    }

    private static HandoffException CloneFailure(CloneRequest request, ExecResult result)
    {
        var detail = result.StandardError.Trim();
        if (request.BaseBranch is { } branch && detail.Contains("not found in upstream", StringComparison.Ordinal))
        {
            return new HandoffException($"The delivery repository {request.DisplayName} has no branch '{branch}'. Set baseBranch in handoff.yaml (or --base-branch) to the branch Argo CD / Flux sync from.");
        }

        return new HandoffException($"Cannot clone the delivery repository {request.DisplayName}: {LastLines(detail, 6)}{Environment.NewLine}Check --delivery-repo (a URL, a local path or OWNER/NAME), that it is reachable from here, and that the credentials (GITHUB_TOKEN / GITLAB_TOKEN, ssh keys) may read it.");
    }

    private async Task ReadHeadAsync(CancellationToken cancellationToken)
    {
        var head = await Git.TryAsync(["rev-parse", "--verify", "--quiet", "HEAD"], cancellationToken);
        if (!head.Succeeded)
        {
            throw new HandoffException($"The delivery repository {Request.DisplayName} is empty (no commits on its default branch). Push the template first (samples/delivery-repo), then promote.");
        }

        BaseCommit = head.StandardOutput.Trim();
        BaseBranch = await Git.RunAsync("Cannot read the delivery repository's branch", ["symbolic-ref", "--short", "HEAD"], cancellationToken);
    }

    /// <summary>Moves the clone to another base branch (when handoff.yaml names one that is not the remote's default).</summary>
    public async Task SwitchBaseAsync(string branch, CancellationToken cancellationToken)
    {
        if (branch == BaseBranch)
        {
            return;
        }

        var commit = await FetchBranchAsync(branch, cancellationToken)
                     ?? throw new HandoffException($"The delivery repository {Request.DisplayName} has no branch '{branch}' (handoff.yaml baseBranch). Create it, or fix baseBranch.");
        await Git.RunAsync("Cannot check out the base branch", ["checkout", "--quiet", "-B", branch, commit], cancellationToken);
        BaseBranch = branch;
        BaseCommit = commit;
    }

    /// <summary>Fetches a remote branch into refs/remotes/origin/NAME; null when the remote has no such branch.</summary>
    public async Task<string?> FetchBranchAsync(string branch, CancellationToken cancellationToken)
    {
        var args = new List<string> { "fetch", "--quiet", "--no-tags" };
        if (Request.Depth > 0)
        {
            // Two commits: the branch tip and its parent, enough to tell whether it sits on the current base.
            args.Add("--depth=" + Math.Max(2, Request.Depth));
        }

        args.AddRange(["origin", $"+refs/heads/{branch}:refs/remotes/origin/{branch}"]);
        var result = await Git.TryAsync(args, cancellationToken);
        if (!result.Succeeded)
        {
            if (result.StandardError.Contains("couldn't find remote ref", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            result.EnsureSuccess($"Cannot fetch branch '{branch}' from the delivery repository {Request.DisplayName}");
        }

        return await Git.RunAsync("Cannot read the fetched branch", ["rev-parse", $"refs/remotes/origin/{branch}"], cancellationToken);
    }

    public string PathOf(string relative) => Path.Combine(Directory, relative.Replace('/', Path.DirectorySeparatorChar));

    public bool Exists(string relative) => File.Exists(PathOf(relative));

    /// <summary>The file's text with every byte preserved (a BOM stays a U+FEFF character, CRLF stays CRLF).</summary>
    public string ReadText(string relative) => Utf8NoBom.GetString(File.ReadAllBytes(PathOf(relative)));

    public void WriteText(string relative, string text) => AtomicFile.WriteAllBytes(PathOf(relative), Utf8NoBom.GetBytes(text));

    /// <summary>A file's text at another commit of the clone's history, or null when it did not exist there.</summary>
    public async Task<string?> ReadTextAtAsync(string commit, string relative, CancellationToken cancellationToken)
    {
        var result = await Git.TryAsync(["cat-file", "blob", $"{commit}:{relative}"], cancellationToken);
        return result.Succeeded ? result.StandardOutput : null;
    }

    /// <summary>Stages the given files and commits them with the message and trailers; returns the new commit id.</summary>
    public async Task<string> CommitAsync(string message, IEnumerable<KeyValuePair<string, string>> trailers, IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        await Git.RunAsync("Cannot stage the edited files", ["add", "--", .. paths], cancellationToken);
        var args = new List<string> { "commit", "--quiet", "--no-verify", "--cleanup=whitespace", "-F", "-" };
        foreach (var (key, value) in trailers)
        {
            args.Add("--trailer");
            args.Add($"{key}: {TrailerValue(value)}");
        }

        await Git.RunAsync("Cannot commit the change", args, cancellationToken, Secrets.Redact(message));
        return await Git.RunAsync("Cannot read the new commit", ["rev-parse", "HEAD"], cancellationToken);
    }

    /// <summary>Trailers are one line each; anything else would end the trailer block or forge another trailer.</summary>
    private static string TrailerValue(string value) => Secrets.Redact(value).ReplaceLineEndings(" ").Trim();

    /// <summary>
    /// Pushes refspecs with leases (<c>refs/heads/X</c> → expected commit, empty for "must not exist").
    /// Returns <see cref="PushOutcome.Rejected"/> when a lease or fast-forward check failed, the
    /// retryable case; any other failure throws with git's message.
    /// </summary>
    public async Task<(PushOutcome Outcome, string Output)> PushAsync(IReadOnlyList<string> refspecs, IReadOnlyDictionary<string, string?> leases, IReadOnlyList<string> pushOptions, bool atomic, CancellationToken cancellationToken)
    {
        var args = new List<string> { "push", "--porcelain" };
        if (atomic)
        {
            args.Add("--atomic");
        }

        foreach (var option in pushOptions)
        {
            args.Add("--push-option=" + option);
        }

        foreach (var (reference, expected) in leases)
        {
            args.Add($"--force-with-lease={reference}:{expected ?? ""}");
        }

        args.Add("origin");
        args.AddRange(refspecs);
        var result = await Git.TryAsync(args, cancellationToken);
        var output = result.StandardOutput + "\n" + result.StandardError;
        if (result.Succeeded)
        {
            return (PushOutcome.Pushed, output);
        }

        if (output.Contains("refusing to update checked out branch", StringComparison.Ordinal))
        {
            throw new HandoffException($"The delivery repository {Request.DisplayName} is a working copy with the branch checked out, so git refuses to update it. Use a bare repository (git clone --bare), or run `git -C {Request.DisplayName} config receive.denyCurrentBranch updateInstead`.");
        }

        if (output.Contains("does not support push options", StringComparison.Ordinal))
        {
            throw new HandoffException($"The delivery repository {Request.DisplayName} does not accept push options, which --scm=gitlab uses to open the merge request. Point --delivery-repo at the GitLab project, or use --scm=branch for other servers.");
        }

        // Two pushes to one ref at once: the client-side lease passed for both, the server lets one win.
        if (output.Contains("[remote rejected]", StringComparison.Ordinal) &&
            (output.Contains("cannot lock ref", StringComparison.Ordinal) || output.Contains("failed to update ref", StringComparison.Ordinal) ||
             output.Contains("incorrect old value", StringComparison.Ordinal) || output.Contains("reference already exists", StringComparison.Ordinal)))
        {
            return (PushOutcome.Rejected, output);
        }

        if (output.Contains("[remote rejected]", StringComparison.Ordinal))
        {
            throw new HandoffException($"The delivery repository {Request.DisplayName} refused the push (a server hook or branch protection): {LastLines(output.Trim(), 8)}{Environment.NewLine}Ask its owners to allow Handoff's pushes to promotion branches.");
        }

        if (output.Contains("[rejected]", StringComparison.Ordinal) || output.Contains("stale info", StringComparison.Ordinal) ||
            output.Contains("fetch first", StringComparison.Ordinal) || output.Contains("non-fast-forward", StringComparison.Ordinal))
        {
            return (PushOutcome.Rejected, output);
        }

        throw new HandoffException($"Cannot push to the delivery repository {Request.DisplayName}: `{result.CommandLine}` exited with code {result.ExitCode}.{Environment.NewLine}{LastLines(output.Trim(), 8)}{Environment.NewLine}Check that the credentials may push to it.");
    }

    private static string LastLines(string text, int count)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(Environment.NewLine, lines.Skip(Math.Max(0, lines.Length - count)));
    }

    public void Dispose()
    {
        try
        {
            if (System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A git process killed by a timeout may still hold a file; the OS temp cleaner gets it later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
