using System.Security.Cryptography;
using Handoff.SupplyChain.Attestations;
using Handoff.SupplyChain.Scanning;
using Handoff.SupplyChain.Signing;
using Handoff.SupplyChain.Tests.Provenance;
using Handoff.SupplyChain.Tests.Support;
using Handoff.Testing;

namespace Handoff.SupplyChain.Tests;

public class PromotionEvidenceTests
{
    [Test]
    public async Task The_pr_snippet_links_sbom_and_provenance_by_digest_and_carries_the_scan_table()
    {
        using var dir = new TempDirectory();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = key.ExportPkcs8PrivateKeyPem();
        var store = new InMemoryReferrerStore();
        var sbom = dir.Write("sbom.cdx.json", """{"bomFormat":"CycloneDX","specVersion":"1.6"}""");
        var attested = await AttestCommand.RunAsync(new AttestOptions
        {
            Provenance = ProvenanceStatementTests.Input(),
            SbomPath = sbom,
            ArtifactsDirectory = dir.Combine("artifacts"),
        }, store, TextWriter.Null, n => n == SigningKeyLoader.EnvironmentVariable ? pem : null);
        var scan = ScanGate.Evaluate([TrivyReportParser.Parse(Path.Combine(RepoPaths.Shared("scan-reports", "trivy"), "debian-buster.json"))],
            ScanPolicy.Default, ScanAllowlist.Empty, new DateOnly(2026, 1, 1));
        var release = new Release
        {
            Image = new ReleaseImage { Registry = "registry.example.com", Repository = "acme/shop", Tag = "1.2.3", Digest = ProvenanceStatementTests.ImageDigest.ToString() },
            Scan = ScanJson.ToJson(scan),
            Attestations = attested.ToReleaseJson(),
        };
        // release.json is written and read back by the pipeline: render from the reloaded file.
        var path = dir.Combine("release.json");
        release.Save(path);

        var markdown = PromotionEvidence.ToMarkdown(Release.Load(path), "https://registry.example.com/ui/{repository}/manifests/{digest}");

        Assert.That(markdown, Does.Contain($"`registry.example.com/acme/shop@{attested.Sbom!.ReferrerDigest}`"));
        Assert.That(markdown, Does.Contain($"(https://registry.example.com/ui/acme/shop/manifests/{attested.Provenance.ReferrerDigest})"));
        Assert.That(markdown, Does.Contain(attested.KeyId));
        Assert.That(markdown, Does.Contain("--target=VerifyImage --image=registry.example.com/acme/shop@" + ProvenanceStatementTests.ImageDigest));
        // The scan gate's own table survives the save and reload of release.json and is what the PR shows.
        var table = ScanMarkdown.Render(scan, headingLevel: 4);
        Assert.That((string?)Release.Load(path).Scan![ScanJson.MarkdownField], Is.EqualTo(table));
        Assert.That(markdown, Does.Contain(table.TrimEnd()));
        Assert.That(markdown, Does.Contain("#### Vulnerability scan: blocked"));
        Assert.That(markdown, Does.Contain("**Blocking findings** (1)"));
        Assert.That(markdown, Does.Contain("**Warnings** ("));
        Assert.That(PromotionEvidence.ToMarkdown(release.Image.ImageReference, attested, scan), Is.EqualTo(PromotionEvidence.ToMarkdown(release)));
    }

    [Test]
    public void A_release_json_without_the_stored_table_gets_one_rebuilt_from_the_counts()
    {
        var scan = ScanGate.Evaluate([TrivyReportParser.Parse(Path.Combine(RepoPaths.Shared("scan-reports", "trivy"), "debian-buster.json"))],
            ScanPolicy.Default, ScanAllowlist.Empty, new DateOnly(2026, 1, 1));
        var json = ScanJson.ToJson(scan);
        json.Remove(ScanJson.MarkdownField);
        var image = ImageReference.Parse("registry.example.com/acme/shop@" + ProvenanceStatementTests.ImageDigest);

        var markdown = PromotionEvidence.ToMarkdown(image, null, json);

        Assert.That(markdown, Does.Contain("#### Vulnerability scan: blocked"));
        Assert.That(markdown, Does.Contain("| CRITICAL | 1 | 0 | 0 | block-fixable |"));
        Assert.That(markdown, Does.Not.Contain("**Blocking findings**"), "the finding rows exist only in the stored table");
    }

    [Test]
    public void Without_evidence_the_snippet_says_so()
    {
        var image = ImageReference.Parse("registry.example.com/acme/shop@" + ProvenanceStatementTests.ImageDigest);

        var markdown = PromotionEvidence.ToMarkdown(image, (AttestResult?)null, (ScanVerdict?)null);

        Assert.That(markdown, Does.Contain("not attached").And.Contain("Vulnerability scan: not run"));
    }
}
