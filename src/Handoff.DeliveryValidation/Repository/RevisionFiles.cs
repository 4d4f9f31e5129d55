using System.Collections.Concurrent;
using System.Formats.Tar;

namespace Handoff.DeliveryValidation.Repository;

/// <summary>
/// The delivery repository's files at one commit (the base branch tip or the merge base), read
/// through git without touching the checkout, the index or any ref. <see cref="MaterializeAsync"/>
/// writes the whole tree to a temporary folder for tools that need files (helm, kustomize).
/// </summary>
internal sealed class RevisionFiles(DeliveryRepository repository, string commit) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string?>>> _texts = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _materializeLock = new(1, 1);
    private string? _directory;

    /// <summary>The file's text at the commit, or null when it did not exist there.</summary>
    public Task<string?> ReadTextAsync(string relative, CancellationToken cancellationToken) =>
        _texts.GetOrAdd(relative, path => new Lazy<Task<string?>>(async () =>
        {
            var result = await repository.TryGitAsync(["cat-file", "blob", $"{commit}:{path}"], cancellationToken);
            return result.Succeeded ? result.StandardOutput : null;
        })).Value;

    /// <summary>The folder holding the tree of the commit (created once, removed on dispose).</summary>
    public async Task<string> MaterializeAsync(CancellationToken cancellationToken)
    {
        await _materializeLock.WaitAsync(cancellationToken);
        try
        {
            if (_directory is not null)
            {
                return _directory;
            }

            var directory = Path.Combine(Path.GetTempPath(), "handoff-validate-" + commit[..Math.Min(12, commit.Length)] + "-" + Guid.NewGuid().ToString("N")[..8]);
            var archive = directory + ".tar";
            try
            {
                await repository.GitAsync($"Cannot read the files of {commit[..7]}", ["archive", "--format=tar", "-o", archive, commit], cancellationToken);
                Directory.CreateDirectory(directory);
                await TarFile.ExtractToDirectoryAsync(archive, directory, overwriteFiles: true, cancellationToken);
            }
            catch
            {
                TryDelete(directory);
                throw;
            }
            finally
            {
                File.Delete(archive);
            }

            _directory = directory;
            return directory;
        }
        finally
        {
            _materializeLock.Release();
        }
    }

    public void Dispose()
    {
        if (_directory is not null)
        {
            TryDelete(_directory);
        }

        _materializeLock.Dispose();
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A tool that is still closing a file; the OS temp cleaner gets it later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
