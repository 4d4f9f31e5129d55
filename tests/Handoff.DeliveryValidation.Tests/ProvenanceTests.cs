using System.Security.Cryptography;
using Handoff.DeliveryValidation.Tests.Support;
using Handoff.Oci;
using Handoff.Reports;
using Handoff.SupplyChain.Attestations;
using Handoff.SupplyChain.Provenance;
using Handoff.SupplyChain.Signing;
using Handoff.Testing;
using static Handoff.DeliveryValidation.Tests.Support.ReportAssertions;

namespace Handoff.DeliveryValidation.Tests;

/// <summary>
/// Provenance of newly pinned digests against a real registry: images pushed with MinimalBaseImage, one
/// with provenance signed by the trusted key, one without provenance, one signed by another key. The
/// delivery repository pins bare repositories (handoff/myapp), so the registry comes from the option.
/// </summary>
public sealed class ProvenanceTests
{
    private const string Builder = "https://github.com/example-org/myapp/.github/workflows/publish.yml@refs/heads/main";

    private RegistryServer _registry = null!;
    private TempDirectory _keys = null!;
    private DeliveryWorkspace _workspace = null!;
    private Digest _signed;
    private Digest _unsigned;
    private Digest _otherKey;
    private string _otherPublicKey = null!;

    [OneTimeSetUp]
    public async Task PushImagesAndAttest()
    {
        _registry = RegistryServer.Start();
        _keys = new TempDirectory("handoff-keys");
        var trusted = SigningKeyGenerator.Generate(_keys.Combine("trusted.pem"), _keys.Combine("trusted.pub"));
        var other = SigningKeyGenerator.Generate(_keys.Combine("other.pem"), _keys.Combine("other.pub"));
        _otherPublicKey = other.PublicKeyPem;
        using var client = new RegistryClient(_registry.Address);
        var store = new OciReferrerStore(client);

        async Task<Digest> PushAsync(int user, string? signingKey)
        {
            var pushed = await MinimalBaseImage.PushAsync(client, new ImageReference(_registry.Address, "handoff/myapp", $"1.0.{user}"), new MinimalBaseImageOptions { UserId = user });
            if (signingKey is not null)
            {
                await AttestCommand.RunAsync(new AttestOptions
                {
                    Provenance = new ProvenanceInput
                    {
                        Image = new ImageReference(_registry.Address, "handoff/myapp", null, pushed.Digest),
                        SourceRepository = "https://github.com/example-org/myapp",
                        SourceRef = "refs/heads/main",
                        SourceCommit = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)),
                        Ci = new CiInfo { System = "GitHub Actions", BuilderId = Builder },
                        StartedOn = DeliveryWorkspace.Now,
                        FinishedOn = DeliveryWorkspace.Now.AddMinutes(3),
                    },
                    SigningKeyFile = signingKey,
                    ArtifactsDirectory = _keys.Combine($"artifacts-{user}"),
                }, store, TextWriter.Null, _ => null);
            }

            return pushed.Digest;
        }

        _signed = await PushAsync(2001, trusted.PrivateKeyPath);
        _unsigned = await PushAsync(2002, null);
        _otherKey = await PushAsync(2003, other.PrivateKeyPath);

        var values = (string env) => File.ReadAllText(RepoPaths.InRepo("samples", "delivery-repo", "env", env, "values.yaml"))
            .Replace("repository: registry.example.com/handoff/myapp", "repository: handoff/myapp", StringComparison.Ordinal);
        var template = DeliveryWorkspace.Variant("provenance-" + trusted.KeyId[..12], new Dictionary<string, string?>
        {
            ["handoff.yaml"] = Variants.SampleConfig.Replace("\nprovenance:\n", "\nprovenance:\n  publicKey: keys/handoff.pub\n", StringComparison.Ordinal),
            ["keys/handoff.pub"] = trusted.PublicKeyPem,
            ["env/dev/values.yaml"] = values("dev"),
            ["env/staging/values.yaml"] = values("staging"),
            ["env/prod/values.yaml"] = values("prod"),
            // The images live in a throwaway registry, not in the registries this guardrail admits.
            ["policies/restrict-image-registries.yaml"] = null,
        });
        _workspace = await DeliveryWorkspace.CreateAsync(template);
    }

    [OneTimeTearDown]
    public void Cleanup()
    {
        _workspace?.Dispose();
        _registry?.Dispose();
        _keys?.Dispose();
    }

    private async Task<ValidationRun> PinInDevAsync(string branch, Digest digest, IReadOnlyDictionary<string, string?>? more = null, string? registry = "option")
    {
        var values = _workspace.Show("main", "env/dev/values.yaml").Replace("digest: \"\"", $"digest: \"{digest}\"", StringComparison.Ordinal);
        var files = new Dictionary<string, string?>(more ?? new Dictionary<string, string?>()) { ["env/dev/values.yaml"] = values };
        _workspace.Commit(branch, files);
        return await _workspace.ValidateAsync(_workspace.Checkout(branch), "main",
            o => registry is null ? o : o with { ProvenanceRegistry = _registry.Address }, GitHubActions);
    }

    [Test]
    public async Task A_digest_with_provenance_signed_by_the_trusted_key_passes()
    {
        var run = await PinInDevAsync("signed", _signed);

        AssertPassed(run, "myapp/dev");
        var verified = run.Report.Findings.Single(f => f.Check == CheckKinds.Provenance && f.RuleId == "verified");
        Assert.That(verified.Message, Does.Contain($"{_registry.Address}/handoff/myapp@{_signed}").And.Contain(Builder).And.Contain("https://github.com/example-org/myapp@"));
        Assert.That(run.Report.Runs.Single(r => r.Check == CheckKinds.Provenance).Scope, Is.EqualTo("myapp/dev"));
        Assert.That(run.Report.Findings.Single(f => f.RuleId == "verify-handoff-provenance/require-signed-slsa-provenance").Severity, Is.EqualTo(FindingSeverity.Note),
            "with a key configured, the verifyImages policy is covered by this check");
    }

    [Test]
    public async Task A_digest_without_provenance_fails_in_every_format()
    {
        var run = await PinInDevAsync("unsigned", _unsigned);

        var values = File.ReadAllText(Path.Combine(run.Checkout, "env/dev/values.yaml"));
        var finding = AssertErrorEverywhere(run, CheckKinds.Provenance, "no-attestation", "env/dev/values.yaml", LineOf(values, _unsigned.ToString()), "no provenance attestation is attached");
        Assert.That(finding.Message, Does.Contain($"{_registry.Address}/handoff/myapp@{_unsigned}"));
    }

    [Test]
    public async Task A_digest_signed_by_another_key_fails()
    {
        var run = await PinInDevAsync("other-key", _otherKey);

        AssertErrorEverywhere(run, CheckKinds.Provenance, "wrong-key", "env/dev/values.yaml", messageContains: "signed by another key");
    }

    [Test]
    public async Task A_change_cannot_bring_its_own_key()
    {
        var run = await PinInDevAsync("own-key", _otherKey, new Dictionary<string, string?> { ["keys/handoff.pub"] = _otherPublicKey });

        AssertErrorEverywhere(run, CheckKinds.Provenance, "wrong-key", "env/dev/values.yaml");
        Assert.That(run.Report.Findings.Single(f => f.RuleId == "public-key-changed").Severity, Is.EqualTo(FindingSeverity.Warning));
    }

    [Test]
    public async Task An_apps_own_key_overrides_provenance_publicKey()
    {
        // Another team's key, reviewed onto main, and myapp switched to it.
        _workspace.Commit("main", new Dictionary<string, string?> { ["keys/other.pub"] = _otherPublicKey }, "Add the other pipeline's key");
        var config = _workspace.Show("main", "handoff.yaml").Replace(
            "    myapp:\n      sourceRepository:", "    myapp:\n      publicKey: keys/other.pub\n      sourceRepository:", StringComparison.Ordinal) + "\n";
        Assert.That(config, Does.Contain("publicKey: keys/other.pub"));

        var own = await PinAsync("own-app-key", _otherKey, config);
        var shared = await PinAsync("own-app-key-shared-signature", _signed, config);

        AssertPassed(own, "myapp/dev");
        Assert.That(own.Report.Findings.Single(f => f.RuleId == "verified").Message, Does.Contain($"handoff/myapp@{_otherKey}"));
        AssertErrorEverywhere(shared, CheckKinds.Provenance, "wrong-key", "env/dev/values.yaml", messageContains: "signed by another key");
    }

    [Test]
    public async Task An_app_without_a_source_repository_is_verified_with_a_note_saying_what_is_not()
    {
        var config = _workspace.Show("main", "handoff.yaml").Replace(
            "    myapp:\n      sourceRepository: https://github.com/example-org/myapp", $"    myapp:\n      builderId: {Builder}", StringComparison.Ordinal) + "\n";
        Assert.That(config, Does.Not.Contain("sourceRepository:"));

        var run = await PinAsync("no-source-repository", _signed, config);

        AssertPassed(run, "myapp/dev");
        Assert.That(run.Report.Findings.Any(f => f.RuleId == "verified"), Is.True, run.Console);
        var note = run.Report.Findings.Single(f => f.RuleId == "no-source-repository");
        Assert.That(note.Severity, Is.EqualTo(FindingSeverity.Note));
        Assert.That(note.Message, Does.Contain("provenance.apps.myapp.sourceRepository is not set"));
        Assert.That((note.File, note.Line), Is.EqualTo(("handoff.yaml", LineOf(config, "    myapp:"))), "provenance.apps.myapp");
    }

    /// <summary>Pins <paramref name="digest"/> in dev with <paramref name="config"/> as handoff.yaml, validating dev only.</summary>
    private async Task<ValidationRun> PinAsync(string branch, Digest digest, string config)
    {
        var values = _workspace.Show("main", "env/dev/values.yaml").Replace("digest: \"\"", $"digest: \"{digest}\"", StringComparison.Ordinal);
        _workspace.Commit(branch, new Dictionary<string, string?> { ["env/dev/values.yaml"] = values, ["handoff.yaml"] = config });
        return await _workspace.ValidateAsync(_workspace.Checkout(branch), "main", o => o with { ProvenanceRegistry = _registry.Address, Environment = "dev" }, GitHubActions);
    }

    [Test]
    public async Task Without_a_registry_for_a_bare_repository_the_digest_cannot_be_verified()
    {
        var run = await PinInDevAsync("no-registry", _signed, registry: null);

        AssertErrorEverywhere(run, CheckKinds.Provenance, "no-registry", "env/dev/values.yaml", messageContains: "provenance.registry");
    }
}
