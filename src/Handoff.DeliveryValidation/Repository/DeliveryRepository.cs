using System.Text;
using Handoff.Delivery.Git;

namespace Handoff.DeliveryValidation.Repository;

/// <summary>
/// The delivery repository checkout being validated: files as they are on disk (the change under
/// review) and git for its history. Paths in and out are repository-relative with '/'.
/// </summary>
internal sealed class DeliveryRepository
{
    private static readonly UTF8Encoding Utf8 = new(false);

    public DeliveryRepository(string root, string gitPath)
    {
        Root = Path.GetFullPath(root);
        Git = new GitClient(Root, new GitSettings { GitPath = gitPath, Timeout = TimeSpan.FromMinutes(2) });
        IsGitRepository = Directory.Exists(Path.Combine(Root, ".git")) || File.Exists(Path.Combine(Root, ".git"));
    }

    public string Root { get; }

    public GitClient Git { get; }

    public bool IsGitRepository { get; }

    public string FullPath(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public string Relative(string fullPath) => Path.GetRelativePath(Root, fullPath).Replace(Path.DirectorySeparatorChar, '/');

    public bool FileExists(string relative) => File.Exists(FullPath(relative));

    /// <summary>The file's text with every character kept (a BOM stays U+FEFF), or null when it does not exist.</summary>
    public string? ReadText(string relative)
    {
        var path = FullPath(relative);
        return File.Exists(path) ? Utf8.GetString(File.ReadAllBytes(path)) : null;
    }

    /// <summary>Tool output names files by absolute path; reports name them relative to the repository.</summary>
    public string Scrub(string text) => Secrets.Redact(text.Replace(Root + Path.DirectorySeparatorChar, "", StringComparison.Ordinal).Replace(Root, ".", StringComparison.Ordinal));

    /// <summary>Runs git in the repository and returns stdout, or throws a <see cref="HandoffException"/> starting with <paramref name="whatFailed"/>.</summary>
    public Task<string> GitAsync(string whatFailed, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        Git.RunAsync(whatFailed, arguments, cancellationToken);

    public Task<ExecResult> TryGitAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        Git.TryAsync(arguments, cancellationToken);
}
