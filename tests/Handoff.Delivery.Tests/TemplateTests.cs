using System.Text.Json.Nodes;
using Handoff.Delivery.Tests.Support;
using Handoff.Testing;

namespace Handoff.Delivery.Tests;

/// <summary>samples/delivery-repo renders with the real helm and kustomize, and its manifests pass the Kubernetes and Flux schemas.</summary>
public sealed class TemplateTests
{
    private static readonly string Template = RepoPaths.InRepo("samples", "delivery-repo");

    private static List<JsonObject> HelmTemplate(string env, params string[] extra)
    {
        var helm = Tools.Require("helm", "run ../shared/tools/get-helm.sh tools/bin");
        var result = Exec.Run(helm, ["template", "myapp", Path.Combine(Template, "apps", "myapp", "chart"), "--namespace", "myapp-" + env, "-f", Path.Combine(Template, "env", env, "values.yaml"), .. extra]);
        result.EnsureSuccess("helm template");
        return Manifests.Parse(result.StandardOutput);
    }

    private static JsonObject Deployment(List<JsonObject> manifests) => manifests.Single(m => m["kind"]!.GetValue<string>() == "Deployment");

    [Test]
    public void With_a_digest_the_image_is_pinned_by_digest_and_the_tag_is_only_a_label()
    {
        var digest = TestReleases.RandomDigest().ToString();
        var deployment = Deployment(HelmTemplate("dev", "--set", "image.digest=" + digest, "--set", "image.tag=1.2.3"));

        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.That(container["image"]!.GetValue<string>(), Is.EqualTo($"registry.example.com/handoff/myapp@{digest}"));
        Assert.That(deployment["metadata"]!["labels"]!["app.kubernetes.io/version"]!.GetValue<string>(), Is.EqualTo("1.2.3"));
        Assert.That(deployment["metadata"]!["annotations"]!["handoff.dev/image-tag"]!.GetValue<string>(), Is.EqualTo("1.2.3"));
        Assert.That(deployment["metadata"]!["annotations"]!["handoff.dev/image-digest"]!.GetValue<string>(), Is.EqualTo(digest));
    }

    [Test]
    public void Without_a_digest_the_tag_is_the_fallback()
    {
        var deployment = Deployment(HelmTemplate("dev"));
        Assert.That(deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>(), Is.EqualTo("registry.example.com/handoff/myapp:0.1.0"));
    }

    [Test]
    public void A_malformed_digest_fails_the_render_with_the_reason()
    {
        var helm = Tools.Require("helm", "run ../shared/tools/get-helm.sh tools/bin");
        var result = Exec.Run(helm, ["template", "myapp", Path.Combine(Template, "apps", "myapp", "chart"), "--set", "image.digest=sha256:xyz"]);
        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.StandardError, Does.Contain("image.digest \"sha256:xyz\" is not a digest"));
    }

    [TestCase("dev", 1)]
    [TestCase("staging", 2)]
    [TestCase("prod", 3)]
    public void Every_environment_renders_a_guardrail_ready_deployment_that_passes_the_schemas(string env, int replicas)
    {
        var manifests = HelmTemplate(env, "--set", "image.digest=" + TestReleases.RandomDigest());
        foreach (var manifest in manifests)
        {
            Assert.That(Manifests.Validate(manifest), Is.Empty, $"{manifest["kind"]} in {env}");
        }

        var deployment = Deployment(manifests);
        var labels = deployment["spec"]!["template"]!["metadata"]!["labels"]!;
        Assert.That(labels["app.kubernetes.io/name"]!.GetValue<string>(), Is.EqualTo("myapp"));
        Assert.That(labels["app.kubernetes.io/part-of"]!.GetValue<string>(), Is.EqualTo("handoff"));
        Assert.That(deployment["spec"]!["replicas"]!.GetValue<long>(), Is.EqualTo(replicas));
        var pod = deployment["spec"]!["template"]!["spec"]!;
        Assert.That(pod["securityContext"]!["runAsNonRoot"]!.GetValue<bool>(), Is.True);
        var container = pod["containers"]![0]!;
        Assert.That(container["securityContext"]!["allowPrivilegeEscalation"]!.GetValue<bool>(), Is.False);
        Assert.That(container["securityContext"]!["readOnlyRootFilesystem"]!.GetValue<bool>(), Is.True);
        Assert.That(container["resources"]!["requests"]!["memory"], Is.Not.Null);
        Assert.That(container["resources"]!["limits"]!["memory"], Is.Not.Null);
        Assert.That(container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>(), Is.EqualTo("/healthz"));
        Assert.That(container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>(), Is.EqualTo("/healthz"));
        Assert.That(container["ports"]![0]!["containerPort"]!.GetValue<long>(), Is.EqualTo(8080));
        Assert.That(pod["volumes"]![0]!["name"]!.GetValue<string>(), Is.EqualTo("tmp"), "a writable /tmp for a read-only root filesystem");
    }

    [Test]
    public void The_schema_check_rejects_what_Kubernetes_would()
    {
        var deployment = Deployment(HelmTemplate("dev"));
        deployment["spec"]!.AsObject()["replicas"] = "three";
        Assert.That(Manifests.Validate(deployment), Is.Not.Empty);
    }

    [Test]
    public void Argo_CD_syncs_dev_automatically_and_prod_only_by_hand()
    {
        var apps = Manifests.Parse(File.ReadAllText(Path.Combine(Template, "apps", "myapp", "app.yaml")))
            .ToDictionary(a => a["metadata"]!["name"]!.GetValue<string>());
        Assert.That(apps.Keys, Is.EquivalentTo(new[] { "myapp-dev", "myapp-staging", "myapp-prod" }));
        Assert.That(apps.Values.Select(a => a["kind"]!.GetValue<string>()), Is.All.EqualTo("Application"));
        var dev = apps["myapp-dev"]["spec"]!;
        Assert.That(dev["syncPolicy"]!["automated"]!["prune"]!.GetValue<bool>(), Is.True);
        Assert.That(dev["syncPolicy"]!["automated"]!["selfHeal"]!.GetValue<bool>(), Is.True);
        Assert.That(apps["myapp-prod"]["spec"]!["syncPolicy"]!["automated"], Is.Null);
        foreach (var (name, app) in apps)
        {
            var env = name["myapp-".Length..];
            var source = app["spec"]!["source"]!;
            Assert.That(source["path"]!.GetValue<string>(), Is.EqualTo("apps/myapp/chart"));
            var valuesFile = source["helm"]!["valueFiles"]![0]!.GetValue<string>();
            Assert.That(Path.GetFullPath(Path.Combine(Template, "apps", "myapp", "chart", valuesFile)), Is.EqualTo(Path.Combine(Template, "env", env, "values.yaml")));
        }
    }

    [TestCase("dev")]
    [TestCase("staging")]
    [TestCase("prod")]
    public void The_Flux_alternative_builds_with_kustomize_and_passes_the_Flux_schemas(string env)
    {
        var kubectl = Tools.Require("kubectl", "run ../shared/tools/get-helm.sh tools/bin");
        var manifests = new List<JsonObject>();
        foreach (var folder in new[] { Path.Combine(Template, "clusters", env), Path.Combine(Template, "clusters", env, "myapp") })
        {
            var result = Exec.Run(kubectl, ["kustomize", folder]);
            result.EnsureSuccess("kubectl kustomize " + folder);
            manifests.AddRange(Manifests.Parse(result.StandardOutput));
        }

        Assert.That(manifests.Select(m => m["kind"]!.GetValue<string>()), Is.EquivalentTo(new[] { "GitRepository", "Kustomization", "HelmRelease" }));
        foreach (var manifest in manifests)
        {
            Assert.That(Manifests.Validate(manifest), Is.Empty, manifest["kind"]!.ToString());
        }

        var release = manifests.Single(m => m["kind"]!.GetValue<string>() == "HelmRelease");
        var valuesFiles = release["spec"]!["chart"]!["spec"]!["valuesFiles"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
        Assert.That(valuesFiles, Does.Contain($"./env/{env}/values.yaml"));
        Assert.That(valuesFiles.All(f => File.Exists(Path.Combine(Template, f))), Is.True);
        var kustomization = manifests.Single(m => m["kind"]!.GetValue<string>() == "Kustomization");
        Assert.That(Directory.Exists(Path.Combine(Template, kustomization["spec"]!["path"]!.GetValue<string>())), Is.True);
    }

    [Test]
    public void CODEOWNERS_gives_prod_stricter_owners_than_dev()
    {
        var rules = File.ReadAllLines(Path.Combine(Template, ".github", "CODEOWNERS"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(parts => parts[0], parts => parts.Skip(1).ToList());
        Assert.That(rules["/env/prod/"], Does.Contain("@example-org/release-managers"));
        Assert.That(rules["/env/dev/"], Does.Not.Contain("@example-org/release-managers"));
        Assert.That(rules["/handoff.yaml"], Does.Contain("@example-org/release-managers"));
    }
}
