using System.Security.Cryptography;

namespace Handoff.SupplyChain.Signing;

/// <summary>
/// Loads the provenance signing key: the PEM text in <c>HANDOFF_SIGNING_KEY</c>, or a PEM file.
/// PKCS#8 ("BEGIN PRIVATE KEY"), SEC1 ("BEGIN EC PRIVATE KEY") and encrypted PKCS#8 (password in
/// <c>HANDOFF_SIGNING_KEY_PASSWORD</c>) are accepted. The key text is registered as a secret before
/// anything can print it, and no error message ever quotes it.
/// </summary>
public static class SigningKeyLoader
{
    public const string EnvironmentVariable = "HANDOFF_SIGNING_KEY";
    public const string PasswordEnvironmentVariable = "HANDOFF_SIGNING_KEY_PASSWORD";

    private const string GenerateHint = "Generate a key pair with ./build.sh --target=GenerateSigningKey (or `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out signing-key.pem`).";

    /// <summary>The signer from <paramref name="keyFile"/> when given, else from the environment.</summary>
    public static EcdsaP256Signer Load(string? keyFile, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string pem;
        string origin;
        if (!string.IsNullOrWhiteSpace(keyFile))
        {
            if (!File.Exists(keyFile))
            {
                throw new HandoffException($"{keyFile}: signing key file not found. {GenerateHint}");
            }

            pem = File.ReadAllText(keyFile);
            origin = keyFile;
        }
        else if (environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            // CI secret stores sometimes keep a PEM on one line with literal \n sequences.
            pem = fromEnvironment.Contains('\n') ? fromEnvironment : fromEnvironment.Replace("\\n", "\n");
            origin = $"${EnvironmentVariable}";
        }
        else
        {
            throw new HandoffException($"No signing key: set {EnvironmentVariable} to the PEM text of an ECDSA P-256 private key, or pass the key file (--signing-key=FILE). {GenerateHint}");
        }

        RegisterSecret(pem);
        var password = environment(PasswordEnvironmentVariable);
        if (!string.IsNullOrEmpty(password))
        {
            Secrets.Register(password);
        }

        return new EcdsaP256Signer(Import(pem, origin, password));
    }

    /// <summary>The PEM as a whole and each base64 line of its body, so a partial leak is masked too.</summary>
    private static void RegisterSecret(string pem)
    {
        Secrets.Register(pem);
        Secrets.Register(pem.Trim());
        foreach (var line in pem.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith("-----", StringComparison.Ordinal) && line.Length >= 16)
            {
                Secrets.Register(line);
            }
        }
    }

    private static ECDsa Import(string pem, string origin, string? password)
    {
        if (!pem.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            throw new HandoffException($"{origin}: not a PEM key (no '-----BEGIN' line). {GenerateHint}");
        }

        if (pem.Contains("BEGIN PUBLIC KEY", StringComparison.Ordinal) && !pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new HandoffException($"{origin}: this is a public key; signing needs the private key (the public key goes to the verifier and the Kyverno policy).");
        }

        if (pem.Contains("SIGSTORE PRIVATE KEY", StringComparison.Ordinal) || pem.Contains("COSIGN PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new HandoffException($"{origin}: a cosign-encrypted key cannot be read; export it as PKCS#8 PEM or generate a Handoff key. {GenerateHint}");
        }

        if (pem.Contains("BEGIN RSA PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new HandoffException($"{origin}: an RSA key; Handoff signs provenance with ECDSA P-256. {GenerateHint}");
        }

        var key = ECDsa.Create();
        try
        {
            if (pem.Contains("BEGIN ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
            {
                if (string.IsNullOrEmpty(password))
                {
                    throw new HandoffException($"{origin}: the private key is encrypted; set {PasswordEnvironmentVariable} to its password.");
                }

                key.ImportFromEncryptedPem(pem, password);
            }
            else
            {
                key.ImportFromPem(pem);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            // The exception text is .NET's, never the key; it is still redacted in case.
            throw new HandoffException($"{origin}: cannot read an ECDSA private key ({Secrets.Redact(ex.Message)}). Expected PKCS#8 PEM ('BEGIN PRIVATE KEY'). {GenerateHint}");
        }
        catch
        {
            key.Dispose();
            throw;
        }

        try
        {
            key.ExportParameters(true);
        }
        catch (CryptographicException)
        {
            key.Dispose();
            throw new HandoffException($"{origin}: holds no private key part. {GenerateHint}");
        }

        return key;
    }
}

/// <summary>Result of <see cref="SigningKeyGenerator.Generate"/>.</summary>
public sealed record GeneratedKeyPair(string PrivateKeyPath, string PublicKeyPath, string KeyId, bool Created, string PublicKeyPem);

/// <summary>
/// Writes a new ECDSA P-256 key pair: PKCS#8 private key (mode 0600) and SubjectPublicKeyInfo public
/// key, both PEM. Idempotent: an existing pair is kept (never overwritten unless asked), and a
/// missing public half is derived from the private key.
/// </summary>
public static class SigningKeyGenerator
{
    public static GeneratedKeyPair Generate(string privateKeyPath, string publicKeyPath, bool overwrite = false)
    {
        if (!overwrite && File.Exists(privateKeyPath))
        {
            using var existing = SigningKeyLoader.Load(privateKeyPath, _ => null);
            var publicPem = existing.PublicKeyPem();
            if (File.Exists(publicKeyPath))
            {
                using var verifier = EcdsaP256Verifier.FromPem(File.ReadAllText(publicKeyPath), publicKeyPath);
                if (verifier.KeyId != existing.KeyId)
                {
                    throw new HandoffException($"{publicKeyPath} is not the public half of {privateKeyPath} (keyids {verifier.KeyId} and {existing.KeyId}). Delete the wrong file, or pass --force to replace both.");
                }
            }
            else
            {
                AtomicFile.WriteAllText(publicKeyPath, publicPem);
            }

            return new GeneratedKeyPair(privateKeyPath, publicKeyPath, existing.KeyId, Created: false, publicPem);
        }

        if (!overwrite && File.Exists(publicKeyPath))
        {
            throw new HandoffException($"{publicKeyPath} exists but {privateKeyPath} does not: refusing to pair a new private key with an old public key. Move the old public key away, or pass --force.");
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var privatePem = key.ExportPkcs8PrivateKeyPem();
        WritePrivate(privateKeyPath, privatePem);
        var pem = key.ExportSubjectPublicKeyInfoPem() + "\n";
        AtomicFile.WriteAllText(publicKeyPath, pem);
        return new GeneratedKeyPair(privateKeyPath, publicKeyPath, KeyIds.Of(key), Created: true, pem);
    }

    /// <summary>Created 0600 from the first byte (never world-readable, not even briefly), then renamed into place.</summary>
    private static void WritePrivate(string path, string pem)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temp, options))
            using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false)))
            {
                writer.Write(pem);
                writer.Write('\n');
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}

/// <summary>Options of the GenerateSigningKey target.</summary>
public sealed record GenerateSigningKeyOptions
{
    /// <summary>Default under artifacts/ (git-ignored) so a fresh private key is never committed by accident.</summary>
    public string PrivateKeyPath { get; init; } = "artifacts/keys/signing-key.pem";
    public string PublicKeyPath { get; init; } = ".handoff/signing-key.pub";
    public bool Force { get; init; }
}

/// <summary>The GenerateSigningKey target: writes the pair and tells where each half goes. Never prints the private key.</summary>
public static class GenerateSigningKeyCommand
{
    public static int Run(GenerateSigningKeyOptions options, TextWriter output)
    {
        var pair = SigningKeyGenerator.Generate(options.PrivateKeyPath, options.PublicKeyPath, options.Force);
        output.WriteLine(pair.Created
            ? $"Wrote a new ECDSA P-256 key pair: {pair.PrivateKeyPath} (private, mode 0600) and {pair.PublicKeyPath} (public)."
            : $"Kept the existing key pair {pair.PrivateKeyPath} / {pair.PublicKeyPath} (pass --force to replace it).");
        output.WriteLine($"keyid: {pair.KeyId}");
        output.WriteLine($"Next: store the private key as the CI secret {SigningKeyLoader.EnvironmentVariable} (the whole PEM text) and delete the file from this machine;");
        output.WriteLine("      never commit it. Commit the public key, and paste it into the delivery repo's policies/verify-images.yaml (publicKeys).");
        output.WriteLine(pair.PublicKeyPem.TrimEnd());
        return 0;
    }
}
