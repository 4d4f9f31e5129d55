using System.Text;
using System.Text.Json.Nodes;
using Handoff.Oci.Tests.Fixtures;
using Handoff.Testing;
using Handoff.Testing.Oci;

namespace Handoff.Oci.Tests;

/// <summary>cosign's attestation layout (<c>sha256-HEX.att</c>) on a real registry, as Kyverno's verifyImages reads it.</summary>
public sealed class CosignAttestationsTests
{
    private const string Slsa = "https://slsa.dev/provenance/v1";
    private RegistryServer _registry = null!;
    private TempDirectory _temp = null!;

    [OneTimeSetUp]
    public void StartRegistry() => _registry = RegistryServer.Start();

    [OneTimeTearDown]
    public void StopRegistry() => _registry.Dispose();

    [SetUp]
    public void SetUp() => _temp = new TempDirectory("cosign-att");

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task The_envelope_is_a_layer_of_the_att_image_with_cosigns_annotations_and_reattaching_adds_nothing()
    {
        using var client = Registries.Client(_registry);
        var subject = await PushImageAsync(client, "cosign/app");
        var cosign = new CosignAttestations(client);
        var envelope = Encoding.UTF8.GetBytes("{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"e30=\",\"signatures\":[{\"keyid\":\"\",\"sig\":\"MEUC\"}]}");

        var first = await cosign.AttachAsync(subject, envelope, Slsa);
        var again = await cosign.AttachAsync(subject, envelope, Slsa);

        Assert.That(again, Is.EqualTo(first), "idempotent: the same envelope is not appended twice");
        var tag = $"sha256-{subject.Digest!.Value.Hex}.att";
        var manifest = await client.GetManifestAsync("cosign/app", tag);
        Assert.That(manifest.Digest, Is.EqualTo(first));
        Assert.That(manifest.MediaType, Is.EqualTo(MediaTypes.OciManifest));
        var layer = manifest.Layers.Single();
        Assert.That(layer.MediaType, Is.EqualTo("application/vnd.dsse.envelope.v1+json"));
        Assert.That(layer.Annotation("predicateType"), Is.EqualTo(Slsa));
        Assert.That(layer.Annotation("dev.cosignproject.cosign/signature"), Is.EqualTo(""));
        Assert.That(await client.GetBlobAsync("cosign/app", layer.Digest), Is.EqualTo(envelope));
        var config = JsonNode.Parse(await client.GetBlobAsync("cosign/app", manifest.Config!.Digest))!;
        Assert.That(config["rootfs"]!["diff_ids"]!.AsArray().Select(d => (string)d!), Is.EqualTo(new[] { layer.Digest.ToString() }));
    }

    [Test]
    public async Task A_second_attestation_is_appended_and_both_are_listed()
    {
        using var client = Registries.Client(_registry);
        var subject = await PushImageAsync(client, "cosign/two");
        var cosign = new CosignAttestations(client);

        await cosign.AttachAsync(subject, "{\"a\":1}"u8.ToArray(), Slsa);
        await cosign.AttachAsync(subject, "{\"b\":2}"u8.ToArray(), "https://cyclonedx.org/bom");

        var listed = await cosign.ListAsync(subject);
        Assert.That(listed.Select(l => l.PredicateType), Is.EqualTo(new[] { Slsa, "https://cyclonedx.org/bom" }));
        Assert.That(listed.Select(l => Encoding.UTF8.GetString(l.Envelope)), Is.EqualTo(new[] { "{\"a\":1}", "{\"b\":2}" }));
    }

    [Test]
    public async Task Without_a_digest_nothing_is_written_and_the_message_says_why()
    {
        using var client = Registries.Client(_registry);
        var subject = await PushImageAsync(client, "cosign/tagonly");
        var byTag = ImageReference.Parse($"{_registry.Address}/cosign/tagonly:1");

        var error = Assert.ThrowsAsync<HandoffException>(() => new CosignAttestations(client).AttachAsync(byTag, "{}"u8.ToArray(), Slsa));
        Assert.That(error!.Message, Does.Contain("digest"));
        Assert.That(await client.ListTagsAsync("cosign/tagonly"), Is.EqualTo(new[] { "1" }));
        Assert.That(subject.Digest, Is.Not.Null);
    }

    private Task<ImageReference> PushImageAsync(RegistryClient client, string repository) =>
        Registries.PushTestImageAsync(client, _registry.Address, _temp, repository);
}
