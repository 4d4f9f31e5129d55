using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Handoff;

/// <summary>
/// A content digest as the OCI image spec defines it: <c>algorithm:encoded</c>. Only the registered
/// algorithms sha256 and sha512 are accepted, with lowercase hex of the exact length, because a
/// digest that merely looks right but cannot be verified is worse than an error.
/// </summary>
public readonly partial record struct Digest
{
    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    public string Algorithm { get; }
    public string Hex { get; }

    /// <summary>The first 7 hex characters, as in <c>sha256:3b1f9c2</c>, for titles and tables.</summary>
    public string Short => $"{Algorithm}:{Hex[..7]}";

    public override string ToString() => $"{Algorithm}:{Hex}";

    public static Digest Parse(string value) =>
        TryParse(value, out var digest, out var error) ? digest : throw new FormatException(error);

    public static bool TryParse(string? value, out Digest digest) => TryParse(value, out digest, out _);

    public static bool TryParse(string? value, out Digest digest, out string error)
    {
        digest = default;
        if (string.IsNullOrEmpty(value))
        {
            error = "A digest is required, written sha256:<64 lowercase hex characters>.";
            return false;
        }

        var colon = value.IndexOf(':');
        if (colon <= 0)
        {
            error = $"'{value}' is not a digest: expected sha256:<64 lowercase hex characters>.";
            return false;
        }

        var algorithm = value[..colon];
        var hex = value[(colon + 1)..];
        var expected = algorithm switch
        {
            "sha256" => 64,
            "sha512" => 128,
            _ => 0,
        };
        if (expected == 0)
        {
            error = $"'{value}' uses the unsupported digest algorithm '{algorithm}': use sha256 (or sha512).";
            return false;
        }

        if (hex.Length != expected || !LowerHex().IsMatch(hex))
        {
            error = $"'{value}' is not a valid {algorithm} digest: expected exactly {expected} lowercase hex characters after '{algorithm}:', found {hex.Length}{(LowerHex().IsMatch(hex) ? "" : " with other characters")}.";
            return false;
        }

        digest = new Digest(algorithm, hex);
        error = "";
        return true;
    }

    public static Digest Sha256(ReadOnlySpan<byte> content) => new("sha256", Convert.ToHexStringLower(SHA256.HashData(content)));

    public static Digest Sha256(Stream content) => new("sha256", Convert.ToHexStringLower(SHA256.HashData(content)));

    public static Digest FromSha256Hex(string hex) => Parse("sha256:" + hex);

    /// <summary>True when <paramref name="content"/> hashes to this digest.</summary>
    public bool Matches(ReadOnlySpan<byte> content) => Algorithm switch
    {
        "sha256" => Convert.ToHexStringLower(SHA256.HashData(content)) == Hex,
        "sha512" => Convert.ToHexStringLower(SHA512.HashData(content)) == Hex,
        _ => false,
    };

    [GeneratedRegex("^[a-f0-9]+$")]
    private static partial Regex LowerHex();
}
