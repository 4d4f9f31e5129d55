using System.Text;
using System.Text.Json.Nodes;
using Handoff.SupplyChain.Attestations;
using Handoff.SupplyChain.Scanning;

namespace Handoff.SupplyChain;

/// <summary>
/// The supply-chain section of a promotion PR body: the SBOM and provenance by digest, how to
/// verify them, and the scan table. Rendered from release.json's <c>scan</c> and
/// <c>attestations</c> objects, so the PR step needs nothing but the release; the scan table is the
/// one the gate stored in <c>scan.markdown</c>, rebuilt from the counts for older releases.
/// </summary>
public static class PromotionEvidence
{
    /// <summary>
    /// <paramref name="artifactLinkTemplate"/> turns attached artifacts into links, with
    /// <c>{registry}</c>, <c>{repository}</c> and <c>{digest}</c> placeholders (e.g. a registry UI's
    /// manifest page); without it the pullable references are shown as code.
    /// </summary>
    public static string ToMarkdown(Release release, string? artifactLinkTemplate = null) =>
        ToMarkdown(release.Image.ImageReference, release.Attestations, release.Scan, artifactLinkTemplate);

    public static string ToMarkdown(ImageReference image, AttestResult? attestations, ScanVerdict? scan, string? artifactLinkTemplate = null) =>
        ToMarkdown(image, attestations?.ToReleaseJson(), scan is null ? null : ScanJson.ToJson(scan), artifactLinkTemplate);

    public static string ToMarkdown(ImageReference image, JsonObject? attestations, JsonObject? scan, string? artifactLinkTemplate = null)
    {
        var md = new StringBuilder();
        md.Append("### Supply chain\n\n");
        md.Append("Image: `").Append(image.Digest is null ? image.ToString() : image.Pinned).Append("`\n\n");

        var sbom = attestations?["sbom"] as JsonObject;
        var provenance = attestations?["provenance"] as JsonObject;
        md.Append("| Evidence | Artifact | Details |\n|---|---|---|\n");
        md.Append("| SBOM (CycloneDX) | ").Append(Artifact(sbom, artifactLinkTemplate)).Append(" | ")
          .Append(sbom is null ? "not attached" : $"content {Code(Str(sbom["contentDigest"]))}").Append(" |\n");
        md.Append("| SLSA provenance (signed DSSE) | ").Append(Artifact(provenance, artifactLinkTemplate)).Append(" | ")
          .Append(provenance is null ? "not attached" : $"builder {Code(Str(provenance["builderId"]))}, key {Code(Str(provenance["keyId"]))}").Append(" |\n\n");

        if (provenance is not null && image.Digest is not null)
        {
            md.Append("Verify: `./build.sh --target=VerifyImage --image=").Append(image.Pinned).Append(" --public-key=.handoff/signing-key.pub");
            if (Str(provenance["builderId"]) is { } builder)
            {
                md.Append(" --builder-id=").Append(builder);
            }

            md.Append("`\n\n");
        }

        md.Append(scan is null ? "#### Vulnerability scan: not run\n\nNo scan result is recorded for this release.\n" : StoredTable(scan) ?? ScanTable(scan));
        return md.ToString();
    }

    /// <summary>The gate's own Markdown from release.json (<c>scan.markdown</c>); null for a release written before it was stored.</summary>
    private static string? StoredTable(JsonObject scan) =>
        Str(scan[ScanJson.MarkdownField]) is { Length: > 0 } markdown ? Secrets.Redact(markdown).TrimEnd() + "\n" : null;

    private static string ScanTable(JsonObject scan)
    {
        var md = new StringBuilder();
        md.Append("#### Vulnerability scan: ").Append(Cell(Str(scan["outcome"]) ?? "unknown")).Append("\n\n");
        foreach (var reason in scan["blockReasons"] as JsonArray ?? [])
        {
            md.Append("- **Blocks:** ").Append(Cell(Str(reason) ?? "")).Append('\n');
        }

        md.Append("| Severity | With fix | No fix | Fix unknown | Policy |\n|---|---:|---:|---:|---|\n");
        var policy = scan["policy"]?["severities"] as JsonObject;
        foreach (var (severity, counts) in scan["counts"] as JsonObject ?? [])
        {
            md.Append("| ").Append(severity.ToUpperInvariant()).Append(" | ").Append(Int(counts?["fixable"])).Append(" | ")
              .Append(Int(counts?["noFix"])).Append(" | ").Append(Int(counts?["fixUnknown"])).Append(" | ")
              .Append(Cell(Str(policy?[severity]) ?? "")).Append(" |\n");
        }

        md.Append('\n');
        var suppressed = scan["suppressed"] as JsonArray ?? [];
        if (suppressed.Count > 0)
        {
            md.Append("Suppressed by approved exceptions: ");
            md.Append(string.Join(", ", suppressed.Select(s => $"{Cell(Str(s?["id"]) ?? "")} ({Cell(Str(s?["package"]) ?? "any package")}; approved by {Cell(Str(s?["approvedBy"]) ?? "")} until {Str(s?["expires"])})")));
            md.Append("\n\n");
        }

        var didNotRun = (scan["sources"] as JsonArray ?? []).Where(s => s?["ran"] is JsonValue v && v.TryGetValue<bool>(out var ran) && !ran).ToList();
        foreach (var source in didNotRun)
        {
            md.Append("- ").Append(Cell(Str(source?["name"]) ?? "")).Append(" did not scan: ").Append(Cell(Str(source?["reason"]) ?? "")).Append('\n');
        }

        return md.ToString();
    }

    private static string Artifact(JsonObject? artifact, string? template)
    {
        if (artifact is null || Str(artifact["reference"]) is not { } reference || Str(artifact["digest"]) is not { } digest)
        {
            return "—";
        }

        if (template is null || !ImageReference.TryParse(reference, out var parsed, out _))
        {
            return Code(reference);
        }

        var url = template.Replace("{registry}", parsed!.Registry).Replace("{repository}", parsed.Repository).Replace("{digest}", digest);
        return $"[{Code(reference)}]({url})";
    }

    private static string Code(string? text) => text is null ? "—" : "`" + text.Replace("`", "'") + "`";

    private static string Cell(string text) => ScanMarkdown.Cell(text);

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static int Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var i) ? i : 0;
}
