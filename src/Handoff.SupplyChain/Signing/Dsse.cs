using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Handoff.SupplyChain.Signing;

/// <summary>One signature of a DSSE envelope; keyid is an unauthenticated hint.</summary>
public sealed record DsseSignature(string? KeyId, byte[] Sig);

/// <summary>
/// A Dead Simple Signing Envelope (secure-systems-lab/dsse v1): the payload, its type, and
/// signatures over <see cref="Dsse.PreAuthenticationEncoding"/> of the two.
/// </summary>
public sealed record DsseEnvelope(string PayloadType, byte[] Payload, IReadOnlyList<DsseSignature> Signatures)
{
    /// <summary>The envelope's JSON (standard base64, no indentation): what is attached and written to disk.</summary>
    public byte[] ToJsonBytes()
    {
        var signatures = new JsonArray();
        foreach (var s in Signatures)
        {
            var obj = new JsonObject();
            if (s.KeyId is not null)
            {
                obj["keyid"] = s.KeyId;
            }

            obj["sig"] = Convert.ToBase64String(s.Sig);
            signatures.Add(obj);
        }

        var json = new JsonObject
        {
            ["payloadType"] = PayloadType,
            ["payload"] = Convert.ToBase64String(Payload),
            ["signatures"] = signatures,
        };
        return Encoding.UTF8.GetBytes(json.ToJsonString(Dsse.JsonOptions));
    }
}

/// <summary>Why bytes are not a DSSE envelope.</summary>
public sealed class DsseFormatException(string message) : Exception(message);

public static class Dsse
{
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// <c>PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body</c>, LEN being the
    /// ASCII decimal byte length: the exact bytes that are signed, so a payload cannot be
    /// reinterpreted under another type.
    /// </summary>
    public static byte[] PreAuthenticationEncoding(string payloadType, ReadOnlySpan<byte> body)
    {
        var type = Encoding.UTF8.GetBytes(payloadType);
        var header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"DSSEv1 {type.Length} "));
        var middle = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $" {body.Length} "));
        var pae = new byte[header.Length + type.Length + middle.Length + body.Length];
        header.CopyTo(pae, 0);
        type.CopyTo(pae, header.Length);
        middle.CopyTo(pae, header.Length + type.Length);
        body.CopyTo(pae.AsSpan(header.Length + type.Length + middle.Length));
        return pae;
    }

    public static DsseEnvelope Sign(string payloadType, byte[] payload, ISigner signer)
    {
        var sig = signer.Sign(PreAuthenticationEncoding(payloadType, payload));
        return new DsseEnvelope(payloadType, payload, [new DsseSignature(signer.KeyId, sig)]);
    }

    /// <summary>Parses an envelope; anything else (plain JSON, a bare statement, garbage) is a <see cref="DsseFormatException"/> saying what is missing.</summary>
    public static DsseEnvelope Parse(ReadOnlySpan<byte> json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new DsseFormatException($"it is not JSON ({ex.Message.Split(" Path:")[0]})");
        }

        if (root is not JsonObject obj)
        {
            throw new DsseFormatException("it is not a JSON object");
        }

        if (obj.ContainsKey("_type") && !obj.ContainsKey("payload"))
        {
            throw new DsseFormatException("it is a bare, unsigned in-toto statement, not a DSSE envelope (no payloadType, payload, signatures)");
        }

        var payloadType = String(obj, "payloadType") ?? throw new DsseFormatException("it has no 'payloadType' string");
        var payloadText = String(obj, "payload") ?? throw new DsseFormatException("it has no 'payload' string");
        var payload = DecodeBase64(payloadText) ?? throw new DsseFormatException("its 'payload' is not base64");
        if (obj["signatures"] is not JsonArray array || array.Count == 0)
        {
            throw new DsseFormatException("it has no 'signatures'");
        }

        var signatures = new List<DsseSignature>(array.Count);
        foreach (var item in array)
        {
            var sigText = String(item as JsonObject, "sig") ?? throw new DsseFormatException("a signature has no 'sig' string");
            var sig = DecodeBase64(sigText) ?? throw new DsseFormatException("a signature's 'sig' is not base64");
            signatures.Add(new DsseSignature(String(item as JsonObject, "keyid"), sig));
        }

        return new DsseEnvelope(payloadType, payload, signatures);
    }

    /// <summary>DSSE verifiers must accept both standard and URL-safe base64.</summary>
    internal static byte[]? DecodeBase64(string text)
    {
        var normalized = text.Trim().Replace('-', '+').Replace('_', '/');
        switch (normalized.Length % 4)
        {
            case 2:
                normalized += "==";
                break;
            case 3:
                normalized += "=";
                break;
        }

        try
        {
            return Convert.FromBase64String(normalized);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? String(JsonObject? obj, string key) =>
        obj is not null && obj.TryGetPropertyValue(key, out var v) && v is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
}
