using System.Text;
using Handoff.Oci.Tests.Fixtures;
using Handoff.Testing;
using Handoff.Testing.Oci;

namespace Handoff.Oci.Tests;

/// <summary>Referrers against distribution 2.8, which lacks the referrers API: the tag-schema fallback is what runs.</summary>
public sealed class ReferrersTests
{
    private const string SbomType = "application/spdx+json";
    private const string ProvenanceType = "application/vnd.in-toto+json";

    private RegistryServer _registry = null!;
    private TempDirectory _temp = null!;

    [OneTimeSetUp]
    public void StartRegistry() => _registry = RegistryServer.Start();

    [OneTimeTearDown]
    public void StopRegistry() => _registry.Dispose();

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("oci-referrers");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task Two_artifacts_are_listed_filtered_by_type_and_reattaching_lists_one_once()
    {
        using var client = Registries.Client(_registry);
        var subject = await PushImageAsync(client, "attach/app");
        var referrers = new ReferrersClient(client);
        var sbom = new ArtifactBlob("application/spdx+json", Encoding.UTF8.GetBytes("{\"spdxVersion\":\"SPDX-2.3\"}"));
        var provenance = new ArtifactBlob("application/vnd.in-toto+json", Encoding.UTF8.GetBytes("{\"_type\":\"https://in-toto.io/Statement/v1\"}"));

        var sbomDescriptor = await referrers.AttachAsync(subject, SbomType, [sbom], new Dictionary<string, string> { ["org.example.tool"] = "syft" });
        var provenanceDescriptor = await referrers.AttachAsync(subject, ProvenanceType, [provenance]);
        var again = await referrers.AttachAsync(subject, SbomType, [sbom], new Dictionary<string, string> { ["org.example.tool"] = "syft" });

        var all = await referrers.ListAsync(subject);
        var sboms = await referrers.ListAsync(subject, SbomType);
        var none = await referrers.ListAsync(subject, "application/vnd.example.unknown");

        Assert.That(again.Digest, Is.EqualTo(sbomDescriptor.Digest), "the same artifact has the same digest");
        Assert.That(all.Select(d => d.Digest), Is.EquivalentTo(new[] { sbomDescriptor.Digest, provenanceDescriptor.Digest }), "listed once each");
        Assert.That(sboms.Select(d => d.Digest), Is.EqualTo(new[] { sbomDescriptor.Digest }));
        Assert.That(sboms[0].ArtifactType, Is.EqualTo(SbomType));
        Assert.That(sboms[0].Annotation("org.example.tool"), Is.EqualTo("syft"));
        Assert.That(none, Is.Empty);
    }

    [Test]
    public async Task Fallback_tag_holds_an_oci_index_and_the_artifact_manifest_names_its_subject()
    {
        using var client = Registries.Client(_registry);
        var subject = await PushImageAsync(client, "fallback/app");
        var blob = new ArtifactBlob("text/plain", "signed"u8.ToArray());

        var artifact = await new ReferrersClient(client).AttachAsync(subject, "application/vnd.example.signature", [blob]);

        var tag = ReferrersClient.FallbackTag(subject.Digest!.Value);
        Assert.That(tag, Is.EqualTo("sha256-" + subject.Digest.Value.Hex));
        var index = await client.GetManifestAsync("fallback/app", tag);
        Assert.That(index.MediaType, Is.EqualTo(MediaTypes.OciIndex));
        Assert.That(index.Manifests.Single().Digest, Is.EqualTo(artifact.Digest));
        var manifest = await client.GetManifestAsync("fallback/app", artifact.Digest.ToString());
        Assert.That(manifest.Subject!.Digest, Is.EqualTo(subject.Digest));
        Assert.That(manifest.ArtifactType, Is.EqualTo("application/vnd.example.signature"));
        Assert.That(manifest.Config!.MediaType, Is.EqualTo(MediaTypes.OciEmpty));
        Assert.That(await client.GetBlobAsync("fallback/app", manifest.Layers[0].Digest), Is.EqualTo("signed"u8.ToArray()));
    }

    [Test]
    public async Task Reattaching_does_not_rewrite_the_fallback_index()
    {
        var recorder = new RequestRecorder();
        using var client = Registries.Client(_registry, recorder);
        var subject = await PushImageAsync(client, "idempotent/app");
        var referrers = new ReferrersClient(client);
        var blob = new ArtifactBlob("text/plain", "once"u8.ToArray());
        await referrers.AttachAsync(subject, "application/vnd.example.note", [blob]);
        recorder.Clear();

        await referrers.AttachAsync(subject, "application/vnd.example.note", [blob]);

        var fallbackTag = ReferrersClient.FallbackTag(subject.Digest!.Value);
        Assert.That(recorder.Count(r => r.Method == HttpMethod.Put && r.Path.EndsWith("/manifests/" + fallbackTag, StringComparison.Ordinal)), Is.Zero);
        Assert.That(recorder.Count(r => r.IsBlobUpload), Is.Zero);
    }

    [Test]
    public async Task An_image_without_referrers_lists_none()
    {
        using var client = Registries.Client(_registry);
        var subject = await PushImageAsync(client, "lonely/app");

        Assert.That(await new ReferrersClient(client).ListAsync(subject), Is.Empty);
    }

    [Test]
    public void Attaching_to_an_image_that_does_not_exist_says_to_push_it_first()
    {
        using var client = Registries.Client(_registry);
        var missing = ImageReference.Parse($"{_registry.Address}/ghost/app:1");

        var error = Assert.CatchAsync<HandoffException>(() => new ReferrersClient(client).AttachAsync(missing, SbomType, []))!;

        Assert.That(error.Message, Does.Contain("ghost/app:1").And.Contain("Push the image first"));
    }

    private Task<ImageReference> PushImageAsync(RegistryClient client, string repository) =>
        Registries.PushTestImageAsync(client, _registry.Address, _temp, repository);
}
