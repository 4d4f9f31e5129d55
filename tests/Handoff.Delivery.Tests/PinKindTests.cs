using Handoff.Delivery.Commands;
using Handoff.Delivery.Tests.Support;
using Handoff.Yaml;

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

    /// <summary>Two HelmReleases in one file, both with spec.values.image.digest: the path alone is ambiguous.</summary>
    private const string TwoHelmReleases = """
        # api for both regions, one file
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: api-eu
        spec:
          values:
            image:
              repository: ghcr.io/org/api
              digest: ""
        ---
        apiVersion: helm.toolkit.fluxcd.io/v2
        kind: HelmRelease
        metadata:
          name: api-us
        spec:
          values:
            image:
              repository: ghcr.io/org/api
              digest: ""
        """;

    [Test]
    public async Task A_pin_in_a_multi_document_file_is_chosen_with_document_and_refused_without_it()
    {
        using var repo = await DeliveryRepo.CreateAsync();
        var config = repo.Show("main", "handoff.yaml");
        string WithApi(string pin) => config.Replace("\n\n# Read by the provenance", $"\n\n  api:\n    image: ghcr.io/org/api\n    environments:\n      dev: {pin}\n\n# Read by the provenance", StringComparison.Ordinal);
        repo.CommitFile("clusters/dev/api.yaml", TwoHelmReleases);
        repo.CommitFile("handoff.yaml", WithApi("{ file: clusters/dev/api.yaml, yaml: spec.values.image.digest, value: digest }"));
        var options = repo.Options();
        var release = ApiRelease("2.0");

        var ambiguous = Assert.ThrowsAsync<YamlEditException>(() => OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = release }));
        Assert.That(ambiguous!.Message, Does.StartWith("clusters/dev/api.yaml:2:1: ").And.Contain("document index 0 (line 2), document index 1 (line 11)").And.Contain("document: N on the pin entry in handoff.yaml"));
        Assert.That(repo.Branches(), Is.EqualTo(new[] { "main" }), "nothing pushed");

        repo.CommitFile("handoff.yaml", WithApi("{ file: clusters/dev/api.yaml, yaml: spec.values.image.digest, value: digest, document: 1 }"));
        var opened = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = release });
        Assert.That(opened.Outcome, Is.EqualTo(ChangeOutcome.Opened));
        var before = TwoHelmReleases.Split('\n');
        var after = repo.Show(opened.Request.Branch!, "clusters/dev/api.yaml").Split('\n');
        Assert.That(Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]), Is.EqualTo(new[] { 19 }), "only the digest line of the second document changes");
        Assert.That(after[19].Trim(), Is.EqualTo($"digest: \"{release.Image.Digest}\""));

        await MergePromotionCommand.RunAsync(new MergePromotionOptions { Delivery = options, Branch = opened.Request.Branch! });
        var status = await StatusCommand.RunAsync(options, "api");
        Assert.That(status.Pins.Single(p => p.Environment == "dev").Digest, Is.EqualTo(release.Image.Digest), "the pin is read back from the same document");
        var again = await OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = release });
        Assert.That(again.Outcome, Is.EqualTo(ChangeOutcome.NothingToDo));

        repo.CommitFile("handoff.yaml", WithApi("{ file: clusters/dev/api.yaml, yaml: spec.values.image.digest, value: digest, document: 2 }"));
        var outOfRange = Assert.ThrowsAsync<YamlEditException>(() => OpenPromotionPrCommand.RunAsync(new OpenPromotionPrOptions { Delivery = options, Environment = "dev", Release = ApiRelease("2.1") }));
        Assert.That(outOfRange!.Message, Does.StartWith("clusters/dev/api.yaml:1:1: has 2 YAML document(s), so there is no document with index 2.").And.Contain("from 0 to 1"));
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
