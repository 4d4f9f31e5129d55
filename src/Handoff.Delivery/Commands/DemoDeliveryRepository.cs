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

    /// <param name="provenance">When given, the demo's signing key is trusted: its public key is committed as
    /// .handoff/signing-key.pub and handoff.yaml's provenance: section names it, the demo's builder and source.</param>
    public static async Task<string> CreateAsync(string templateDirectory, string repositoryPath, string registry, DemoProvenance? provenance = null, CancellationToken cancellationToken = default)
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
            if (provenance is not null)
            {
                Directory.CreateDirectory(Path.Combine(instance, ".handoff"));
                File.Copy(provenance.PublicKeyFile, Path.Combine(instance, ".handoff", "signing-key.pub"));
                var config = Path.Combine(instance, "handoff.yaml");
                var text = File.ReadAllText(config);
                // Edited surgically, like any promotion: the template's comments and layout stay.
                text = Handoff.Yaml.ImagePinEditor.SetScalar(text, "provenance.publicKey", ".handoff/signing-key.pub", "handoff.yaml").Text;
                text = Handoff.Yaml.ImagePinEditor.SetScalar(text, "provenance.builderId", provenance.BuilderId, "handoff.yaml").Text;
                text = Handoff.Yaml.ImagePinEditor.SetScalar(text, "provenance.registry", registry, "handoff.yaml").Text;
                text = Handoff.Yaml.ImagePinEditor.SetScalar(text, "provenance.apps.myapp.sourceRepository", provenance.SourceRepository, "handoff.yaml").Text;
                File.WriteAllText(config, text);
            }

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

/// <summary>What the Demo's delivery repository trusts: the throwaway key, the local builder and the source the demo builds from.</summary>
public sealed record DemoProvenance(string PublicKeyFile, string BuilderId, string SourceRepository);
