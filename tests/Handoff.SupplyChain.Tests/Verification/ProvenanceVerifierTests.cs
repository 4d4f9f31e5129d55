using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Handoff.SupplyChain.Attestations;
using Handoff.SupplyChain.Provenance;
using Handoff.SupplyChain.Signing;
using Handoff.SupplyChain.Tests.Provenance;
using Handoff.SupplyChain.Tests.Support;
using Handoff.SupplyChain.Verification;
using Handoff.Testing;

namespace Handoff.SupplyChain.Tests.Verification;

public class ProvenanceVerifierTests
{
    private const string Builder = "https://github.com/acme/shop/.github/workflows/publish.yml@refs/heads/main";
    private static readonly VerificationPolicy Strict = new() { ExpectedBuilderId = Builder, ExpectedSourceRepository = "git@github.com:acme/shop.git" };

    private ECDsa _key = null!;
    private string _keyPem = null!;
    private EcdsaP256Verifier _verifier = null!;
    private InMemoryReferrerStore _store = null!;
    private TempDirectory _dir = null!;

    private ImageReference Image => ProvenanceStatementTests.Input().Image;

    [SetUp]
    public void SetUp()
    {
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _keyPem = _key.ExportPkcs8PrivateKeyPem();
        _verifier = EcdsaP256Verifier.FromPem(_key.ExportSubjectPublicKeyInfoPem(), "test.pub");
        _store = new InMemoryReferrerStore();
        _dir = new TempDirectory("verify");
    }

    [TearDown]
    public void TearDown()
    {
        _key.Dispose();
        _verifier.Dispose();
        _dir.Dispose();
    }

    private Task<AttestResult> Attest(ProvenanceInput? input = null, string? sbom = null) =>
        AttestCommand.RunAsync(new AttestOptions
        {
            Provenance = input ?? ProvenanceStatementTests.Input(),
            SbomPath = sbom,
            ArtifactsDirectory = _dir.Combine("artifacts"),
        }, _store, TextWriter.Null, name => name == SigningKeyLoader.EnvironmentVariable ? _keyPem : null);

    private Task<VerificationResult> Verify(VerificationPolicy? policy = null, ImageReference? image = null, TextWriter? log = null) =>
        new ProvenanceVerifier(_store, _verifier).VerifyAsync(image ?? Image, policy ?? Strict, log);

    private async Task<DsseEnvelope> AttachedEnvelope() =>
        Dsse.Parse(await _store.FetchAsync(Image, (await _store.ListAsync(Image, ArtifactTypes.DsseEnvelope, default)).Single(), default));

    [Test]
    public async Task Attested_provenance_verifies_and_every_check_is_printed()
    {
        await Attest();
        var log = new StringWriter();

        var result = await Verify(log: log);

        Assert.That(result.Verified, Is.True, result.Reason);
        Assert.That(result.Facts!.BuilderId, Is.EqualTo(Builder));
        Assert.That(result.Facts.SourceCommit, Is.EqualTo(ProvenanceStatementTests.Commit));
        Assert.That(result.Facts.KeyId, Is.EqualTo(_verifier.KeyId));
        var text = log.ToString();
        foreach (var check in new[] { "DSSE envelope", "payload type", "signature", "in-toto statement", "predicate type", "subject", "builder id", "source repository" })
        {
            Assert.That(text, Does.Contain($"ok   {check}:"), check);
        }

        Assert.That(text, Does.Contain("Verified: " + Image.Pinned));
    }

    [Test]
    public async Task Changed_payload_fails_the_signature_check()
    {
        var envelope = (await Attest()).Provenance;
        var original = await AttachedEnvelope();
        var statement = JsonNode.Parse(original.Payload)!;
        statement["predicate"]!["runDetails"]!["builder"]!["id"] = Builder + "-tampered";
        var tampered = original with { Payload = Encoding.UTF8.GetBytes(statement.ToJsonString()) };
        var store = new InMemoryReferrerStore();
        await store.PushRawAsync(Image, ArtifactTypes.DsseEnvelope, tampered.ToJsonBytes());
        Assert.That(envelope.AlreadyPresent, Is.False);

        var result = await new ProvenanceVerifier(store, _verifier).VerifyAsync(Image, Strict);

        Assert.That(result.Failure, Is.EqualTo(VerificationFailure.BadSignature));
        Assert.That(result.Reason, Does.Contain("payload or signature was changed after signing"));
    }

    [Test]
    public async Task A_signature_from_another_key_is_rejected()
    {
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var attackerSigner = new EcdsaP256Signer(ECDsa.Create(attacker.ExportParameters(true)));
        var forged = ProvenanceStatement.Sign(ProvenanceStatementTests.Input(), attackerSigner);
        await _store.PushRawAsync(Image, ArtifactTypes.DsseEnvelope, forged.ToJsonBytes());

        var result = await Verify();

        Assert.That(result.Failure, Is.EqualTo(VerificationFailure.WrongKey));
        Assert.That(result.Reason, Does.Contain($"signed by another key (keyid {attackerSigner.KeyId})").And.Contain(_verifier.KeyId));
    }

    [Test]
    public async Task An_attestation_copied_onto_a_different_image_fails_the_subject_check()
    {
        await Attest();
        var other = Image.WithDigest(Digest.Sha256("another image"u8));
        await _store.PushRawAsync(other, ArtifactTypes.DsseEnvelope, (await AttachedEnvelope()).ToJsonBytes());

        var result = await Verify(image: other);

        Assert.That(result.Failure, Is.EqualTo(VerificationFailure.SubjectMismatch));
        Assert.That(result.Reason, Does.Contain(ProvenanceStatementTests.ImageDigest.Hex).And.Contain($"not {other.Digest}").And.Contain("copied"));
    }

    [Test]
    public async Task A_wrong_builder_id_is_rejected()
    {
        await Attest(ProvenanceStatementTests.Input(ci: CiInfo.Local with { BuilderId = "https://github.com/acme/shop/.github/workflows/sneaky.yml@refs/heads/dev" }));

        var result = await Verify();

        Assert.That(result.Failure, Is.EqualTo(VerificationFailure.WrongBuilder));
        Assert.That(result.Reason, Does.Contain("sneaky.yml").And.Contain($"expected '{Builder}'"));
    }

    [Test]
    public async Task A_wrong_source_repository_is_rejected()
    {
        await Attest(ProvenanceStatementTests.Input() with { SourceRepository = "https://github.com/evil/shop" });

        var result = await Verify();

        Assert.That(result.Failure, Is.EqualTo(VerificationFailure.WrongSourceRepository));
        Assert.That(result.Reason, Does.Contain("https://github.com/evil/shop").And.Contain("expected 'ssh://git@github.com/acme/shop'"));
    }

    [Test]
    public async Task Plain_json_is_not_a_dsse_envelope()
    {
        await _store.PushRawAsync(Image, ArtifactTypes.DsseEnvelope, ProvenanceStatement.ToBytes(ProvenanceStatement.Create(ProvenanceStatementTests.Input())));

        var result = await Verify();

        Assert.That(result.Failure, Is.EqualTo(VerificationFailure.NotDsse));
        Assert.That(result.Reason, Does.Contain("is not a DSSE envelope").And.Contain("bare, unsigned in-toto statement"));
    }

    [Test]
    public async Task A_missing_attestation_is_reported_as_such()
    {
        var result = await Verify();

        Assert.That(result.Failure, Is.EqualTo(VerificationFailure.NoAttestation));
        Assert.That(result.Reason, Does.Contain("no provenance attestation is attached to " + Image.Pinned));
    }

    [Test]
    public async Task A_signed_envelope_of_another_payload_type_is_rejected()
    {
        using var signer = new EcdsaP256Signer(ECDsa.Create(_key.ExportParameters(true)));
        var envelope = Dsse.Sign("application/json", ProvenanceStatement.ToBytes(ProvenanceStatement.Create(ProvenanceStatementTests.Input())), signer);
        await _store.PushRawAsync(Image, ArtifactTypes.DsseEnvelope, envelope.ToJsonBytes());

        var result = await Verify();

        Assert.That(result.Failure, Is.EqualTo(VerificationFailure.WrongPayloadType));
    }

    [Test]
    public async Task One_good_attestation_among_bad_ones_verifies()
    {
        await _store.PushRawAsync(Image, ArtifactTypes.DsseEnvelope, "{}"u8.ToArray());
        await Attest();

        var result = await Verify();

        Assert.That(result.Verified, Is.True);
        Assert.That(result.Attestations.Select(a => a.Failure), Is.EqualTo(new[] { VerificationFailure.NotDsse, VerificationFailure.None }));
    }

    [Test]
    public async Task Attesting_twice_attaches_each_artifact_once_and_records_them_for_release_json()
    {
        var sbom = _dir.Write("artifacts/sbom.cdx.json", """{"bomFormat":"CycloneDX","specVersion":"1.6","components":[]}""");

        var first = await Attest(sbom: sbom);
        var second = await Attest(sbom: sbom);

        Assert.That(_store.PushCount, Is.EqualTo(2));
        Assert.That((second.Sbom!.AlreadyPresent, second.Provenance.AlreadyPresent), Is.EqualTo((true, true)));
        Assert.That(second.Provenance.ReferrerDigest, Is.EqualTo(first.Provenance.ReferrerDigest));
        var sbomReferrer = (await _store.ListAsync(Image, ArtifactTypes.CycloneDxJson, default)).Single();
        Assert.That(await _store.FetchAsync(Image, sbomReferrer, default), Is.EqualTo(File.ReadAllBytes(sbom)));
        var provenanceReferrer = (await _store.ListAsync(Image, ArtifactTypes.DsseEnvelope, default)).Single();
        Assert.That(provenanceReferrer.Annotations[AttestationAnnotations.PredicateType], Is.EqualTo(Slsa.ProvenancePredicateType));

        var json = first.ToReleaseJson();
        Assert.That((string?)json["sbom"]!["artifactType"], Is.EqualTo("application/vnd.cyclonedx+json"));
        Assert.That((string?)json["provenance"]!["reference"], Is.EqualTo($"{Image.Name}@{first.Provenance.ReferrerDigest}"));
        Assert.That((string?)json["provenance"]!["keyId"], Is.EqualTo(_verifier.KeyId));
        Assert.That(File.Exists(first.EnvelopePath), Is.True);
    }

    /// <summary>A signer that is not a key file, as a KMS or HSM signer would be: a key Handoff never sees, a keyid of its own.</summary>
    private sealed class KmsLikeSigner(ECDsa key) : ISigner, IVerifier
    {
        public string KeyId => "kms://test/provenance-key/1";

        public int Signatures { get; private set; }

        public byte[] Sign(byte[] data)
        {
            Signatures++;
            return key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }

        public bool Verify(byte[] data, byte[] signature) => key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    [Test]
    public async Task A_supplied_signer_signs_the_provenance_instead_of_a_key_file()
    {
        using var kmsKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kms = new KmsLikeSigner(kmsKey);
        Task<AttestResult> AttestWith(IVerifier? verifier) => AttestCommand.RunAsync(new AttestOptions
        {
            Provenance = ProvenanceStatementTests.Input(),
            ArtifactsDirectory = _dir.Combine("artifacts"),
            Signer = kms,
            SignerVerifier = verifier,
        }, _store, TextWriter.Null, _ => null); // no HANDOFF_SIGNING_KEY: loading a key would throw

        var result = await AttestWith(kms);

        Assert.That(result.KeyId, Is.EqualTo(kms.KeyId));
        Assert.That((string?)result.ToReleaseJson()["provenance"]!["keyId"], Is.EqualTo(kms.KeyId));
        var envelope = await AttachedEnvelope();
        Assert.That(envelope.Signatures.Single().KeyId, Is.EqualTo(kms.KeyId));
        Assert.That(kms.Verify(Dsse.PreAuthenticationEncoding(envelope.PayloadType, envelope.Payload), envelope.Signatures.Single().Sig), Is.True,
            "signed by the supplied signer over the PAE");
        Assert.That((await new ProvenanceVerifier(_store, kms).VerifyAsync(Image, Strict)).Verified, Is.True);
        Assert.That((await Verify()).Failure, Is.EqualTo(VerificationFailure.WrongKey), "not by the key in the environment");

        var retry = await AttestWith(kms);
        Assert.That((retry.Provenance.AlreadyPresent, kms.Signatures), Is.EqualTo((true, 1)), "with its verifier, a retry reuses the signed envelope");
        await AttestWith(null);
        Assert.That(kms.Signatures, Is.EqualTo(2), "without a verifier the envelope cannot be checked, so it is signed afresh");
    }

    [Test]
    public async Task Verify_image_command_exit_codes_follow_the_verdict()
    {
        await Attest();
        var publicKey = _dir.Write("signing-key.pub", _key.ExportSubjectPublicKeyInfoPem());
        var output = new StringWriter();

        var (ok, _) = await VerifyImageCommand.RunAsync(new VerifyImageOptions { Image = Image.Pinned, PublicKeyPath = publicKey, ExpectedBuilderId = Builder }, _store, output);
        var (bad, result) = await VerifyImageCommand.RunAsync(new VerifyImageOptions { Image = Image.Pinned, PublicKeyPath = publicKey, ExpectedBuilderId = "https://other" }, _store, output);

        Assert.That((ok, bad), Is.EqualTo((0, 1)));
        Assert.That(result.Failure, Is.EqualTo(VerificationFailure.WrongBuilder));
        Assert.That(output.ToString(), Does.Contain("NOT verified: built by"));
        Assert.That(() => VerifyImageCommand.RunAsync(new VerifyImageOptions { Image = "registry.example.com/acme/shop:1.2.3", PublicKeyPath = publicKey }, _store, output),
            Throws.InstanceOf<HandoffException>().With.Message.Contains("has no digest"));
    }
}
