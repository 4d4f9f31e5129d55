using System.Diagnostics;
using System.Text;

namespace Handoff.Oci;

/// <summary>
/// Runs <c>docker-credential-&lt;name&gt; get</c>. Not through <see cref="Exec"/>: Exec redacts registered
/// secrets from output, and the helper's output is the secret itself.
/// </summary>
internal static class CredentialHelper
{
    public static async Task<(int ExitCode, string Output, string Error)> GetAsync(string executable, string serverUrl, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("get");
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new HandoffException($"Cannot start '{executable}': {ex.Message}.", ex);
        }

        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardInput.WriteAsync(serverUrl);
        process.StandardInput.Close();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new HandoffException($"'{Path.GetFileName(executable)} get' did not answer within {timeout.TotalSeconds:0} s for {serverUrl}. Check the credential helper (it may be waiting for a desktop prompt), or set {RegistryCredentials.UsernameVariable} and {RegistryCredentials.PasswordVariable}.");
        }

        return (process.ExitCode, await output, await error);
    }
}
