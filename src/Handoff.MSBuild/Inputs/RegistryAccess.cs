using Handoff.Oci;
using Microsoft.Build.Framework;

namespace Handoff.MSBuild;

/// <summary>
/// The registry parameters the push and capture tasks share. Credentials are deliberately not task
/// parameters: MSBuild records parameters in binary and diagnostic logs, so they come from
/// HANDOFF_REGISTRY_USERNAME/HANDOFF_REGISTRY_PASSWORD or docker login, as for the Cake graph.
/// </summary>
internal sealed record RegistryAccess(IReadOnlyList<string> InsecureRegistries, int MaxAttempts)
{
    public static RegistryAccess From(ITaskItem[]? insecureRegistries, int maxAttempts)
    {
        var insecure = TaskInputs.List(insecureRegistries);
        foreach (var host in insecure)
        {
            if (!ImageReference.IsValidRegistry(host, out var error))
            {
                throw new TaskParameterException($"InsecureRegistries: {error}");
            }
        }

        return maxAttempts < 0
            ? throw new TaskParameterException($"MaxAttempts: {maxAttempts} is not a number of attempts: pass 1 or more (1 disables retries), or leave it out for the default.")
            : new RegistryAccess(insecure, maxAttempts);
    }

    public RegistryClient Connect(string registry, TaskReporter reporter)
    {
        var options = new RegistryClientOptions { InsecureRegistries = InsecureRegistries, Log = reporter.Detail };
        if (MaxAttempts > 0)
        {
            options = options with { Retry = options.Retry with { MaxAttempts = MaxAttempts } };
        }

        return new RegistryClient(registry, options);
    }
}
