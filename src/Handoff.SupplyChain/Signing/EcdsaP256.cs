using System.Security.Cryptography;

namespace Handoff.SupplyChain.Signing;

/// <summary>
/// keyid = lowercase hex SHA-256 of the DER SubjectPublicKeyInfo, the same value as
/// <c>openssl pkey -pubin -in key.pub -outform DER | sha256sum</c>.
/// </summary>
public static class KeyIds
{
    public static string Of(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
}

/// <summary>
/// ECDSA P-256 with SHA-256, signatures as ASN.1 DER (RFC 3279) — the encoding cosign and Kyverno's
/// key-based verifyImages expect.
/// </summary>
public sealed class EcdsaP256Signer : ISigner, IDisposable
{
    private readonly ECDsa _key;

    public EcdsaP256Signer(ECDsa key)
    {
        EcdsaP256Verifier.EnsureP256(key, "signing key");
        _key = key;
        KeyId = KeyIds.Of(key);
    }

    public string KeyId { get; }

    public byte[] Sign(byte[] data) => _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    public string PublicKeyPem() => _key.ExportSubjectPublicKeyInfoPem();

    public void Dispose() => _key.Dispose();
}

/// <summary>Verifies ECDSA P-256/SHA-256 signatures. Accepts DER (what we and cosign write) and raw r‖s (DSSE's own test vectors).</summary>
public sealed class EcdsaP256Verifier : IVerifier, IDisposable
{
    private readonly ECDsa _key;

    public EcdsaP256Verifier(ECDsa key)
    {
        EnsureP256(key, "public key");
        _key = key;
        KeyId = KeyIds.Of(key);
    }

    public string KeyId { get; }

    /// <summary>From PEM text (SubjectPublicKeyInfo, "BEGIN PUBLIC KEY"); <paramref name="origin"/> names it in errors.</summary>
    public static EcdsaP256Verifier FromPem(string pem, string origin)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new HandoffException($"{origin}: not a PEM ECDSA public key ({ex.Message}). Give the 'BEGIN PUBLIC KEY' file written by ./build.sh --target=GenerateSigningKey.");
        }

        return new EcdsaP256Verifier(key);
    }

    public bool Verify(byte[] data, byte[] signature)
    {
        if (_key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
        {
            return true;
        }

        return signature.Length == 64 && _key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public void Dispose() => _key.Dispose();

    internal static void EnsureP256(ECDsa key, string what)
    {
        var oid = key.ExportParameters(false).Curve.Oid;
        if (oid.Value != "1.2.840.10045.3.1.7" && oid.FriendlyName is not ("nistP256" or "ECDSA_P256" or "secp256r1"))
        {
            throw new HandoffException($"The {what} is an ECDSA key on {oid.FriendlyName ?? oid.Value ?? "an unnamed curve"}; Handoff signs with P-256 (the curve cosign and Kyverno verify). Generate one with ./build.sh --target=GenerateSigningKey.");
        }
    }
}
