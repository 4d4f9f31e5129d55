namespace Handoff.SupplyChain.Signing;

/// <summary>Signs bytes (DSSE's PAE). Pluggable: a KMS or HSM signer implements the same.</summary>
public interface ISigner
{
    /// <summary>The keyid written next to the signature; see <see cref="KeyIds"/>.</summary>
    string KeyId { get; }

    byte[] Sign(byte[] data);
}

/// <summary>Checks signatures made by one key.</summary>
public interface IVerifier
{
    string KeyId { get; }

    bool Verify(byte[] data, byte[] signature);
}
