using System.Text;
using System.Text.Json.Nodes;
using Handoff.SupplyChain.Signing;

namespace Handoff.SupplyChain.Provenance;

/// <summary>Everything a provenance statement says about one build.</summary>
public sealed record ProvenanceInput
{
    /// <summary>The pushed image; must carry its digest (the statement's subject).</summary>
    public required ImageReference Image { get; init; }
    public required string SourceRepository { get; init; }
    /// <summary>The git ref that was built, e.g. refs/heads/main.</summary>
    public string? SourceRef { get; init; }
    public required string SourceCommit { get; init; }
    /// <summary>The build graph target that produced the image (externalParameters.target).</summary>
    public string Target { get; init; } = "Publish";
    /// <summary>Base images, each with its digest (resolvedDependencies).</summary>
    public IReadOnlyList<ImageReference> BaseImages { get; init; } = [];
    public CiInfo Ci { get; init; } = CiInfo.Local;
    public required DateTimeOffset StartedOn { get; init; }
    public required DateTimeOffset FinishedOn { get; init; }
    /// <summary>Build settings that the builder chose (not the caller): e.g. Dockerfile path, Handoff version.</summary>
    public IReadOnlyDictionary<string, string> InternalParameters { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Builds the in-toto Statement v1 with a SLSA Provenance v1 predicate. The JSON is written in a
/// fixed property order so the same input gives the same bytes.
/// </summary>
public static class ProvenanceStatement
{
    public static JsonObject Create(ProvenanceInput input)
    {
        var digest = input.Image.Digest ?? throw new HandoffException($"Provenance needs the image digest: {input.Image} has none. Run CaptureDigest (PushImage) first.");
        if (digest.Algorithm != "sha256")
        {
            throw new HandoffException($"Provenance subjects use sha256 digests; {input.Image} has {digest.Algorithm}.");
        }

        if (!IsGitCommit(input.SourceCommit))
        {
            throw new HandoffException($"'{input.SourceCommit}' is not a git commit id (40 or 64 hex characters); provenance must name the exact commit that was built.");
        }

        var repository = SourceRepositories.Normalize(input.SourceRepository);
        var source = new JsonObject { ["repository"] = repository };
        if (input.SourceRef is not null)
        {
            source["ref"] = input.SourceRef;
        }

        source["commit"] = input.SourceCommit.ToLowerInvariant();

        var dependencies = new JsonArray
        {
            new JsonObject
            {
                ["uri"] = $"git+{repository}" + (input.SourceRef is null ? "" : $"@{input.SourceRef}"),
                ["digest"] = new JsonObject { ["gitCommit"] = input.SourceCommit.ToLowerInvariant() },
            },
        };
        foreach (var baseImage in input.BaseImages)
        {
            var baseDigest = baseImage.Digest ?? throw new HandoffException($"Base image {baseImage} has no digest; provenance records base images by digest. Pin it in the Dockerfile (FROM image@sha256:...) or resolve it before Publish.");
            dependencies.Add(new JsonObject
            {
                ["uri"] = $"oci://{baseImage.Name}" + (baseImage.Tag is null ? "" : $":{baseImage.Tag}"),
                ["name"] = "base-image",
                ["digest"] = new JsonObject { [baseDigest.Algorithm] = baseDigest.Hex },
            });
        }

        var buildDefinition = new JsonObject
        {
            ["buildType"] = Slsa.HandoffBuildType,
            ["externalParameters"] = new JsonObject
            {
                ["source"] = source,
                ["target"] = input.Target,
                ["image"] = input.Image.Name,
            },
        };
        if (input.InternalParameters.Count > 0)
        {
            var internalParameters = new JsonObject();
            foreach (var (key, value) in input.InternalParameters.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                internalParameters[key] = value;
            }

            buildDefinition["internalParameters"] = internalParameters;
        }

        buildDefinition["resolvedDependencies"] = dependencies;

        var metadata = new JsonObject();
        if (input.Ci.RunUrl is { Length: > 0 } runUrl)
        {
            metadata["invocationId"] = runUrl;
        }

        metadata["startedOn"] = Timestamp(input.StartedOn);
        metadata["finishedOn"] = Timestamp(input.FinishedOn);

        return new JsonObject
        {
            ["_type"] = Slsa.StatementType,
            ["subject"] = new JsonArray(new JsonObject
            {
                ["name"] = input.Image.Name,
                ["digest"] = new JsonObject { ["sha256"] = digest.Hex },
            }),
            ["predicateType"] = Slsa.ProvenancePredicateType,
            ["predicate"] = new JsonObject
            {
                ["buildDefinition"] = buildDefinition,
                ["runDetails"] = new JsonObject
                {
                    ["builder"] = new JsonObject { ["id"] = CiIdentity.BuilderIdOf(input.Ci) },
                    ["metadata"] = metadata,
                },
            },
        };
    }

    public static byte[] ToBytes(JsonObject statement) => Encoding.UTF8.GetBytes(statement.ToJsonString(Dsse.JsonOptions));

    /// <summary>The statement, signed: the DSSE envelope that gets attached.</summary>
    public static DsseEnvelope Sign(ProvenanceInput input, ISigner signer) =>
        Dsse.Sign(Dsse.InTotoPayloadType, ToBytes(Create(input)), signer);

    private static string Timestamp(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsGitCommit(string commit) =>
        commit.Length is 40 or 64 && commit.All(Uri.IsHexDigit);
}
