using Handoff.Delivery.Git;

namespace Handoff.Delivery.Commands;

/// <summary>
/// Creates a delivery repository from a template folder (samples/delivery-repo): a bare repository
/// with one commit on main. The Demo and tests use it for a fully offline flow.
/// </summary>
public static class DeliveryTemplate
{
    /// <summary>
    /// Creates the bare repository at <paramref name="repositoryPath"/>. An existing repository that
    /// already has a main branch with handoff.yaml is left as it is, so re-running is safe.
    /// </summary>
    public static async Task<string> CreateBareRepositoryAsync(string templateDirectory, string repositoryPath, GitIdentity? identity = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path.Combine(templateDirectory, "handoff.yaml")))
        {
            throw new HandoffException($"{templateDirectory} is not a delivery repository template: it has no handoff.yaml. Point at samples/delivery-repo.");
        }

        var settings = new GitSettings { Identity = identity ?? GitIdentity.Default };
        var git = new GitClient(null, settings);
        repositoryPath = Path.GetFullPath(repositoryPath);
        if (Directory.Exists(repositoryPath) && Directory.EnumerateFileSystemEntries(repositoryPath).Any())
        {
            var existing = await git.In(repositoryPath).TryAsync(["cat-file", "-e", "main:handoff.yaml"], cancellationToken);
            if (existing.Succeeded)
            {
                return repositoryPath;
            }

            throw new HandoffException($"{repositoryPath} exists and is not an initialised delivery repository. Remove it or choose another path.");
        }

        var work = Path.Combine(Path.GetTempPath(), "handoff-template-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            CopyDirectory(templateDirectory, work);
            var repo = git.In(work);
            await repo.RunAsync("Cannot initialise the template repository", ["init", "--quiet", "--initial-branch=main"], cancellationToken);
            await repo.RunAsync("Cannot stage the template", ["add", "--all"], cancellationToken);
            await repo.RunAsync("Cannot commit the template", ["commit", "--quiet", "--no-verify", "-m", "Delivery repository from the Handoff template"], cancellationToken);
            await git.RunAsync("Cannot create the bare repository", ["init", "--quiet", "--bare", "--initial-branch=main", repositoryPath], cancellationToken);
            await repo.RunAsync("Cannot push the template", ["push", "--quiet", repositoryPath, "main:refs/heads/main"], cancellationToken);
            return repositoryPath;
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    internal static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is ".git" or "bin" or "obj"))
            {
                continue;
            }

            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
