namespace Handoff.Oci;

/// <summary>A private temporary folder, created on first use and deleted with everything in it on dispose. Thread-safe: layers are converted in parallel.</summary>
internal sealed class TempSpace : IDisposable
{
    private readonly Lock _lock = new();
    private string? _path;
    private int _counter;

    public string NewFile(string suffix = "")
    {
        string directory;
        int number;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_counter < 0, this);
            _path ??= Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "handoff-oci-" + Guid.NewGuid().ToString("N")[..12])).FullName;
            directory = _path;
            number = ++_counter;
        }

        return Path.Combine(directory, number.ToString(System.Globalization.CultureInfo.InvariantCulture) + suffix);
    }

    public void Dispose()
    {
        string? path;
        lock (_lock)
        {
            path = _path;
            _path = null;
            _counter = -1;
        }

        if (path is null)
        {
            return;
        }

        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A stream a caller still holds open; the OS temp cleaner gets it later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
