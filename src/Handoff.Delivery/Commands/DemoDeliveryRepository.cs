namespace Handoff.Delivery.Commands;

/// <summary>
/// The Demo's delivery repository: the template (samples/delivery-repo) instantiated for the demo's
/// local registry, as a local bare repository. The template names registry.example.com; the demo
/// pushes to 127.0.0.1:PORT, so the values files and the allowed-registries policy are pointed there
/// — the one change a team makes when adopting the template for its own registry.
/// </summary>
public static class DemoDeliveryRepository
{
    public const string TemplateRegistry = "registry.example.com";

    public static async Task<string> CreateAsync(string templateDirectory, string repositoryPath, string registry, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(repositoryPath))
        {
            // Each demo run starts from the template so its history shows exactly this run's promotions.
            Directory.Delete(repositoryPath, recursive: true);
        }

        var instance = Path.Combine(Path.GetTempPath(), "handoff-demo-template-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            DeliveryTemplate.CopyDirectory(templateDirectory, instance);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(instance, "env"), "values.yaml", SearchOption.AllDirectories)
                         .Append(Path.Combine(instance, "apps", "myapp", "chart", "values.yaml")))
            {
                Replace(file, $"{TemplateRegistry}/handoff/myapp", $"{registry}/handoff/myapp");
            }

            var policy = Path.Combine(instance, "policies", "restrict-image-registries.yaml");
            Replace(policy, $"- \"{TemplateRegistry}/*\"", $"- \"{TemplateRegistry}/*\"\n              - \"{registry}/*\"");
            return await DeliveryTemplate.CreateBareRepositoryAsync(instance, repositoryPath, cancellationToken: cancellationToken);
        }
        finally
        {
            if (Directory.Exists(instance))
            {
                Directory.Delete(instance, recursive: true);
            }
        }
    }

    private static void Replace(string file, string from, string to)
    {
        if (!File.Exists(file))
        {
            return;
        }

        var text = File.ReadAllText(file);
        if (!text.Contains(from, StringComparison.Ordinal))
        {
            throw new HandoffException($"{file}: expected '{from}' in the template; the demo cannot point it at the local registry. Was the template changed?");
        }

        File.WriteAllText(file, text.Replace(from, to, StringComparison.Ordinal));
    }
}
