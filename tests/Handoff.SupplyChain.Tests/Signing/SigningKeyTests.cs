using System.Security.Cryptography;
using Handoff.SupplyChain.Signing;
using Handoff.Testing;

namespace Handoff.SupplyChain.Tests.Signing;

public class SigningKeyTests
{
    [Test]
    public void Key_from_the_environment_is_registered_as_a_secret_and_signs()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = ec.ExportPkcs8PrivateKeyPem();

        using var signer = SigningKeyLoader.Load(null, name => name == SigningKeyLoader.EnvironmentVariable ? pem : null);

        Assert.That(signer.KeyId, Is.EqualTo(KeyIds.Of(ec)));
        Assert.That(Secrets.Redact($"key: {pem}"), Does.Not.Contain("PRIVATE KEY").And.Contain(Secrets.Mask));
        var bodyLine = pem.Split('\n')[1];
        Assert.That(Secrets.Redact("leaked " + bodyLine), Is.EqualTo("leaked " + Secrets.Mask), "a single line of the key is masked too");
    }

    [Test]
    public void A_one_line_pem_with_escaped_newlines_from_a_ci_secret_store_is_accepted()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var oneLine = ec.ExportPkcs8PrivateKeyPem().Replace("\n", "\\n");

        using var signer = SigningKeyLoader.Load(null, name => name == SigningKeyLoader.EnvironmentVariable ? oneLine : null);

        Assert.That(signer.KeyId, Is.EqualTo(KeyIds.Of(ec)));
    }

    [Test]
    public void Encrypted_pkcs8_needs_its_password()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var encrypted = ec.ExportEncryptedPkcs8PrivateKeyPem("correct horse", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));
        using var dir = new TempDirectory();
        var file = dir.Write("key.pem", encrypted);

        var ex = Assert.Throws<HandoffException>(() => SigningKeyLoader.Load(file, _ => null))!;
        Assert.That(ex.Message, Does.Contain(SigningKeyLoader.PasswordEnvironmentVariable));

        using var signer = SigningKeyLoader.Load(file, name => name == SigningKeyLoader.PasswordEnvironmentVariable ? "correct horse" : null);
        Assert.That(signer.KeyId, Is.EqualTo(KeyIds.Of(ec)));
    }

    [Test]
    public void Wrong_keys_are_refused_with_the_fix_and_without_the_key_text()
    {
        using var dir = new TempDirectory();
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var cases = new (string Pem, string Expected)[]
        {
            (p384.ExportPkcs8PrivateKeyPem(), "P-256"),
            (rsa.ExportRSAPrivateKeyPem(), "RSA"),
            (rsa.ExportPkcs8PrivateKeyPem(), "cannot read an ECDSA private key"),
            (p256.ExportSubjectPublicKeyInfoPem(), "this is a public key"),
            ("just some text", "not a PEM key"),
        };

        foreach (var (pem, expected) in cases)
        {
            var file = dir.Write($"k{Guid.NewGuid():N}.pem", pem);
            var ex = Assert.Throws<HandoffException>(() => SigningKeyLoader.Load(file, _ => null), expected)!;
            Assert.That(ex.Message, Does.Contain(expected));
            foreach (var line in pem.Split('\n').Where(l => l.Length > 20 && !l.StartsWith("-----")))
            {
                Assert.That(ex.Message, Does.Not.Contain(line), "the key text never appears in an error");
            }
        }

        var none = Assert.Throws<HandoffException>(() => SigningKeyLoader.Load(null, _ => null))!;
        Assert.That(none.Message, Does.Contain(SigningKeyLoader.EnvironmentVariable).And.Contain("GenerateSigningKey"));
    }

    [Test]
    public void Generate_writes_a_private_key_only_the_owner_can_read_and_is_idempotent()
    {
        using var dir = new TempDirectory();
        var privatePath = dir.Combine("keys", "signing-key.pem");
        var publicPath = dir.Combine("signing-key.pub");
        var output = new StringWriter();

        Assert.That(GenerateSigningKeyCommand.Run(new GenerateSigningKeyOptions { PrivateKeyPath = privatePath, PublicKeyPath = publicPath }, output), Is.Zero);
        var first = SigningKeyGenerator.Generate(privatePath, publicPath);

        Assert.That(first.Created, Is.False, "second run keeps the existing pair");
        Assert.That(File.ReadAllText(privatePath), Does.StartWith("-----BEGIN PRIVATE KEY-----"));
        Assert.That(File.ReadAllText(publicPath), Does.StartWith("-----BEGIN PUBLIC KEY-----"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(privatePath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }

        using var signer = SigningKeyLoader.Load(privatePath, _ => null);
        using var verifier = EcdsaP256Verifier.FromPem(File.ReadAllText(publicPath), publicPath);
        Assert.That((signer.KeyId, verifier.KeyId), Is.EqualTo((first.KeyId, first.KeyId)));
        Assert.That(output.ToString(), Does.Contain(first.KeyId).And.Contain("BEGIN PUBLIC KEY").And.Not.Contain("PRIVATE KEY-----"));

        File.Delete(publicPath);
        Assert.That(SigningKeyGenerator.Generate(privatePath, publicPath).KeyId, Is.EqualTo(first.KeyId), "a lost public key is derived again");

        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(publicPath, other.ExportSubjectPublicKeyInfoPem());
        Assert.That(() => SigningKeyGenerator.Generate(privatePath, publicPath), Throws.InstanceOf<HandoffException>().With.Message.Contains("is not the public half"));

        var replaced = SigningKeyGenerator.Generate(privatePath, publicPath, overwrite: true);
        Assert.That((replaced.Created, replaced.KeyId == first.KeyId), Is.EqualTo((true, false)));
    }
}
