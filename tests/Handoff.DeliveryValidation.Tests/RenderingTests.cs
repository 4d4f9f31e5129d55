using Handoff.Delivery.Config;
using Handoff.DeliveryValidation.Rendering;
using Handoff.DeliveryValidation.Scope;
using Handoff.DeliveryValidation.Tests.Support;
using Handoff.Rendering;
using Handoff.Validation.Loading;

namespace Handoff.DeliveryValidation.Tests;

/// <summary>What reaches helm: each environment's cluster version and API versions, or the run's override.</summary>
public sealed class RenderingTests
{
    private static string Template => DeliveryWorkspace.Variant("capabilities", new Dictionary<string, string?>
    {
        ["apps/myapp/chart/templates/capabilities.yaml"] = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: capabilities
            data:
              kube: {{ .Capabilities.KubeVersion.Version | quote }}
              monitoring: {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" | quote }}
              namespace: {{ .Release.Namespace | quote }}
            """,
        ["handoff.yaml"] = Variants.SampleConfig.Replace("    freezeFile: env/prod/freeze.yaml\n",
            "    freezeFile: env/prod/freeze.yaml\n    kubeVersion: \"1.33\"\n    apiVersions: [monitoring.coreos.com/v1]\n", StringComparison.Ordinal),
    });

    private static async Task<Dictionary<string, IReadOnlyDictionary<string, string>>> RenderAsync(string? kubeVersion)
    {
        var root = Template;
        var config = HandoffConfigReader.Load(Path.Combine(root, "handoff.yaml"), "handoff.yaml");
        var targets = TargetCatalog.Build(config, root).Select(t => new ScopedTarget(t, [])).ToList();
        var stage = new RenderStage(new ManifestRenderer(DeliveryWorkspace.Tooling, null), new ManifestLoader(), config.Validation, kubeVersion, config.File, 2);

        var rendered = await stage.RenderAsync(targets, root, null, CancellationToken.None);

        return rendered.ToDictionary(r => r.Target.Environment.Name, r =>
        {
            var data = r.Documents.Single(d => d.Identity.Name == "capabilities").Element.GetProperty("data");
            return (IReadOnlyDictionary<string, string>)data.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        });
    }

    [Test]
    public async Task Each_environment_renders_for_its_own_cluster()
    {
        var data = await RenderAsync(null);

        Assert.That(data["dev"]["kube"], Is.EqualTo("v1.34.0"), "validation.kubeVersion");
        Assert.That(data["dev"]["monitoring"], Is.EqualTo("false"));
        Assert.That(data["dev"]["namespace"], Is.EqualTo("myapp-dev"));
        Assert.That(data["prod"]["kube"], Is.EqualTo("v1.33.0"), "the environment's kubeVersion");
        Assert.That(data["prod"]["monitoring"], Is.EqualTo("true"), "the environment's apiVersions");
    }

    [Test]
    public async Task The_kube_version_option_overrides_every_environment()
    {
        var data = await RenderAsync("1.31.0");

        Assert.That(data.Values.Select(d => d["kube"]), Is.All.EqualTo("v1.31.0"));
    }
}
