using Handoff.Delivery.Commands;
using Handoff.Delivery.Tests.Support;

namespace Handoff.Delivery.Tests;

/// <summary>Kustomize images: entries and plain YAML paths are promoted like Helm values, through the real editor and git.</summary>
public sealed class PinKindTests
{
    private const string Kustomization = """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - ../../base
        images:
          - name: ghcr.io/org/api
            newTag: "1.0"
        """;

    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
        spec:
          template:
            spec:
              containers:
                - name: sidecar
                  image: envoyproxy/envoy:v1.30.0
                - name: api
                  image: ghcr.io/org/api:1.0 # pinned by Handoff
        """;

    private const string HelmRelease = """
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: api
        spec:
          values:
            image:
              repository: ghcr.io/org/api
              digest: ""
        """;

    private static async Task<DeliveryRepo> RepoWithApiAsync()
    {
        var repo = await DeliveryRepo.CreateAsync();
        const string api = """

              api:
                image: ghcr.io/org/api
                environments:
                  dev: { file: apps/api/overlays/dev/kustomization.yaml, kustomize: ghcr.io/org/api }
                  staging: { file: apps/api/staging/deployment.yaml, yaml: "spec.template.spec.containers[name=api].image" }
                  prod: { file: clusters/prod/api.yaml, yaml: spec.values.image.digest, value: digest }
            """;
        var config = repo.Show("main", "handoff.yaml");
        Assert.That(config, Does.Contain("\n\n# Read by the provenance"));
        repo.CommitFile("handoff.yaml", config.Replace("\n\n# Read by the provenance", api + "\n\n# Read by the provenance", StringComparison.Ordinal));
        repo.CommitFile("apps/api/overlays/dev/kustomization.yaml", Kustomization);
        repo.CommitFile("apps/api/staging/deployment.yaml", Deployment);
        repo.CommitFile("clusters/prod/api.yaml", HelmRelease);
        return repo;
    }

    private static Release ApiRelease(string tag)
    {
        var release = TestReleases.Create(tag);
        release.Image.Registry = "ghcr.io";
        release.Image.Repository = "org/api";
        return release;
    }

    [Test]
    public async Task Kustomize_yaml_reference_and_yaml_digest_pins_are_promoted_and_read_back()
    {
        using var repo = await RepoWithApiAsync();
        var options = repo.Options();
        var release = ApiRelease("1.1");

        foreach (var env in new[] { "dev", "staging", "prod" })
        {
            var result = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = env, Release = release });
            Assert.That(result.App, Is.EqualTo("api"), "the app is chosen by the release's image");
            await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = result.Request.Branch! });
        }

        var kustomization = repo.Show("main", "apps/api/overlays/dev/kustomization.yaml");
        Assert.That(kustomization, Does.Contain("newTag: \"1.1\"").And.Contain("digest: " + release.Image.Digest));
        var deployment = repo.Show("main", "apps/api/staging/deployment.yaml");
        Assert.That(deployment, Does.Contain($"image: ghcr.io/org/api:1.1@{release.Image.Digest} # pinned by Handoff"));
        Assert.That(deployment, Does.Contain("image: envoyproxy/envoy:v1.30.0"), "the other container is untouched");
        Assert.That(repo.Show("main", "clusters/prod/api.yaml"), Does.Contain($"digest: \"{release.Image.Digest}\""));

        var status = await StatusCommand.RunAsync(options, "api");
        Assert.That(status.Pins.Select(p => (p.Environment, p.Digest)), Is.EqualTo(new[] { ("dev", release.Image.Digest), ("staging", release.Image.Digest), ("prod", release.Image.Digest) }));
        Assert.That(status.Pins.Single(p => p.Environment == "staging").Tag, Is.EqualTo("1.1"));

        var again = await PromoteCommand.RunAsync(new PromoteOptions { Delivery = options, App = "api", From = "staging", To = "prod" });
        Assert.That(again.Outcome, Is.EqualTo(ChangeOutcome.NothingToDo), "prod already runs what staging runs");
    }
}
