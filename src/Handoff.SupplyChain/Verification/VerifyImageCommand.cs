using Handoff.SupplyChain.Attestations;
using Handoff.SupplyChain.Signing;

namespace Handoff.SupplyChain.Verification;

/// <summary>Options of the VerifyImage target.</summary>
public sealed record VerifyImageOptions
{
    /// <summary>The image by digest, e.g. registry/app@sha256:… (release.json's image.reference).</summary>
    public required string Image { get; init; }
    /// <summary>The trusted public key, PEM file (SubjectPublicKeyInfo).</summary>
    public required string PublicKeyPath { get; init; }
    public string? ExpectedBuilderId { get; init; }
    public string? ExpectedSourceRepository { get; init; }
}

/// <summary>The VerifyImage target: prints every check; exit code 0 verified, 1 not verified.</summary>
public static class VerifyImageCommand
{
    public static async Task<(int ExitCode, VerificationResult Result)> RunAsync(VerifyImageOptions options, IReferrerStore store, TextWriter output, CancellationToken ct = default)
    {
        if (!ImageReference.TryParse(options.Image, out var image, out var error))
        {
            throw new HandoffException($"--image: {error}");
        }

        if (image!.Digest is null)
        {
            throw new HandoffException($"--image={options.Image} has no digest: provenance is verified for an exact image. Pass {image.Name}@sha256:… (release.json's image.reference).");
        }

        if (!File.Exists(options.PublicKeyPath))
        {
            throw new HandoffException($"{options.PublicKeyPath}: public key not found. Pass --public-key=FILE (the .pub written by ./build.sh --target=GenerateSigningKey).");
        }

        using var verifier = EcdsaP256Verifier.FromPem(File.ReadAllText(options.PublicKeyPath), options.PublicKeyPath);
        var result = await new ProvenanceVerifier(store, verifier).VerifyAsync(image, new VerificationPolicy
        {
            ExpectedBuilderId = options.ExpectedBuilderId,
            ExpectedSourceRepository = options.ExpectedSourceRepository,
        }, output, ct);
        return (result.Verified ? 0 : 1, result);
    }
}
