using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Handoff.SupplyChain.Signing;
using Handoff.Testing;

namespace Handoff.SupplyChain.Tests.Signing;

public class DsseTests
{
    [Test]
    public void Pae_matches_the_dsse_specification_example_byte_for_byte()
    {
        // secure-systems-lab/dsse protocol.md, "Test Vectors".
        var pae = Dsse.PreAuthenticationEncoding("http://example.com/HelloWorld", "hello world"u8);

        Assert.That(pae, Is.EqualTo(Encoding.ASCII.GetBytes("DSSEv1 29 http://example.com/HelloWorld 11 hello world")));
    }

    [Test]
    public void Pae_lengths_are_byte_lengths_not_character_counts()
    {
        var body = Encoding.UTF8.GetBytes("é");
        var pae = Dsse.PreAuthenticationEncoding("t", body);

        Assert.That(pae, Is.EqualTo("DSSEv1 1 t 2 "u8.ToArray().Concat(body).ToArray()));
        Assert.That(Dsse.PreAuthenticationEncoding("", []), Is.EqualTo("DSSEv1 0  0 "u8.ToArray()));
    }

    [Test]
    public void The_specification_test_vector_signature_verifies()
    {
        // The spec's P-256 key (X, Y in decimal) and its envelope (signature as raw r||s).
        static byte[] Coordinate(string decimalValue) => BigInteger.Parse(decimalValue).ToByteArray(isUnsigned: true, isBigEndian: true).PadLeft(32);
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint
            {
                X = Coordinate("46950820868899156662930047687818585632848591499744589407958293238635476079160"),
                Y = Coordinate("5640078356564379163099075877009565129882514886557779369047442380624545832820"),
            },
        });
        using var verifier = new EcdsaP256Verifier(ECDsa.Create(key.ExportParameters(false)));
        var envelope = Dsse.Parse("""
            {"payload": "aGVsbG8gd29ybGQ=",
             "payloadType": "http://example.com/HelloWorld",
             "signatures": [{"sig": "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA=="}]}
            """u8);

        var pae = Dsse.PreAuthenticationEncoding(envelope.PayloadType, envelope.Payload);

        Assert.That(verifier.Verify(pae, envelope.Signatures[0].Sig), Is.True);
        Assert.That(verifier.Verify(Dsse.PreAuthenticationEncoding(envelope.PayloadType, "hello world!"u8), envelope.Signatures[0].Sig), Is.False);
    }

    [Test]
    public void Signing_round_trips_and_url_safe_base64_is_accepted()
    {
        using var signer = new EcdsaP256Signer(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        using var verifier = EcdsaP256Verifier.FromPem(signer.PublicKeyPem(), "test");
        var envelope = Dsse.Sign(Dsse.InTotoPayloadType, "{\"a\":1}"u8.ToArray(), signer);

        var json = Encoding.UTF8.GetString(envelope.ToJsonBytes());
        var parsed = Dsse.Parse(Encoding.UTF8.GetBytes(json));
        static string UrlSafe(byte[] bytes) => Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        var urlSafe = Dsse.Parse(Encoding.UTF8.GetBytes(
            $$"""{"payloadType":"{{envelope.PayloadType}}","payload":"{{UrlSafe(envelope.Payload)}}","signatures":[{"sig":"{{UrlSafe(envelope.Signatures[0].Sig)}}"}]}"""));

        Assert.That(json, Does.Contain("\"payloadType\":\"application/vnd.in-toto+json\""));
        Assert.That(parsed.Signatures.Single().KeyId, Is.EqualTo(signer.KeyId));
        foreach (var e in new[] { parsed, urlSafe })
        {
            Assert.That(verifier.Verify(Dsse.PreAuthenticationEncoding(e.PayloadType, e.Payload), e.Signatures[0].Sig), Is.True);
        }

        Assert.That(parsed.Signatures[0].Sig[0], Is.EqualTo(0x30), "ASN.1 DER SEQUENCE, the encoding cosign and Kyverno verify");
    }

    [Test]
    public void Openssl_verifies_our_der_signature_and_computes_the_same_keyid()
    {
        var openssl = Exec.FindOnPath("openssl");
        if (openssl is null)
        {
            RepoPaths.Unavailable("skipped: openssl not installed (apt-get install openssl)");
        }

        using var dir = new TempDirectory("openssl");
        using var signer = new EcdsaP256Signer(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var pae = Dsse.PreAuthenticationEncoding(Dsse.InTotoPayloadType, "{\"_type\":\"x\"}"u8);
        File.WriteAllBytes(dir.Combine("pae.bin"), pae);
        File.WriteAllBytes(dir.Combine("sig.der"), signer.Sign(pae));
        File.WriteAllText(dir.Combine("key.pub"), signer.PublicKeyPem());

        var verify = Exec.Run(openssl!, ["dgst", "-sha256", "-verify", dir.Combine("key.pub"), "-signature", dir.Combine("sig.der"), dir.Combine("pae.bin")]);
        Assert.That(verify.StandardOutput.Trim(), Is.EqualTo("Verified OK"));

        Exec.Run(openssl!, ["pkey", "-pubin", "-in", dir.Combine("key.pub"), "-outform", "DER", "-out", dir.Combine("key.der")]).EnsureSuccess();
        Assert.That(signer.KeyId, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(dir.Combine("key.der"))))));
    }

    [TestCase("not json", "not JSON")]
    [TestCase("[1,2]", "not a JSON object")]
    [TestCase("""{"_type":"https://in-toto.io/Statement/v1","subject":[]}""", "bare, unsigned in-toto statement")]
    [TestCase("""{"payload":"e30=","signatures":[{"sig":"AA=="}]}""", "no 'payloadType'")]
    [TestCase("""{"payloadType":"x","payload":"***","signatures":[{"sig":"AA=="}]}""", "'payload' is not base64")]
    [TestCase("""{"payloadType":"x","payload":"e30=","signatures":[]}""", "no 'signatures'")]
    public void Parse_says_precisely_why_something_is_not_an_envelope(string json, string reason)
    {
        var ex = Assert.Throws<DsseFormatException>(() => Dsse.Parse(Encoding.UTF8.GetBytes(json)))!;
        Assert.That(ex.Message, Does.Contain(reason));
    }
}

internal static class ByteArrayExtensions
{
    public static byte[] PadLeft(this byte[] bytes, int length) =>
        bytes.Length >= length ? bytes : new byte[length - bytes.Length].Concat(bytes).ToArray();
}
