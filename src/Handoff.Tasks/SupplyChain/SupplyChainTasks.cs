using Handoff.Frosting;
using Handoff.Publishing;
using Handoff.SupplyChain;
using Handoff.SupplyChain.Attestations;
using Handoff.SupplyChain.Provenance;
using Handoff.SupplyChain.Sbom;
using Handoff.SupplyChain.Scanning;
using Handoff.SupplyChain.Signing;
using Handoff.SupplyChain.Verification;
using Handoff.Tasks.Publish;

namespace Handoff.Tasks.SupplyChain;

/// <summary>Text written by a library command goes to Cake's log line by line (so verbosity and redaction apply).</summary>
internal sealed class LogWriter(Action<string> write) : TextWriter
{
    private readonly System.Text.StringBuilder _line = new();

    public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            write(_line.ToString().TrimEnd('\r'));
            _line.Clear();
        }
        else
        {
            _line.Append(value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_line.Length > 0)
        {
            write(_line.ToString());
            _line.Clear();
        }

        base.Dispose(disposing);
    }
}

[TaskName("Scan")]
[TaskDescription("Scan gate before the push: --scan-report=PATH (Trivy JSON / SARIF, repeatable), trivy on the image archive when installed (--trivy=off|PATH), dotnet list package --vulnerable; .handoff/scan.yaml and scan-allowlist.yaml. Blocking findings stop the graph: nothing is pushed.")]
[IsDependentOn(typeof(BuildImageTask))]
public sealed class ScanTask : AsyncFrostingTask<HandoffContext>
{
    public override bool ShouldRun(HandoffContext context) => !CaptureDigestTask.IsStandalone(context);

    public override async Task RunAsync(HandoffContext context)
    {
        var reports = context.Parameters.FindAll("scan-report").SelectMany(v => v.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Select(context.InRoot).ToList();
        if (context.Parameters.Get("image-archive") is null && context.Parameters.Get("project") is { } project)
        {
            reports.Add(await NuGetAudit.RunAsync(context.InRoot(project), context.Artifact("nuget-vulnerable.json")));
        }

        // --trivy=off when trivy runs elsewhere in the pipeline and its report comes in with --scan-report; --trivy=PATH picks the binary.
        var trivy = context.Parameters.Get("trivy");
        var trivyOff = trivy is "off" or "false" or "0";
        if (trivyOff)
        {
            context.Info("scan: trivy not run here (--trivy=off)");
        }

        var result = await ScanCommand.RunAsync(new ScanOptions
        {
            RepositoryRoot = context.RootDirectory,
            ProjectDirectory = context.Parameters.Get("project") is { } projectPath ? Path.GetDirectoryName(context.InRoot(projectPath)) : null,
            Reports = reports,
            ImageArchive = trivyOff ? null : context.Publish.ImageArchive,
            TrivyPath = trivyOff || trivy is null ? null : context.InRoot(trivy),
            ToolDirectories = context.ToolDirectories,
            TrivyCacheDirectory = context.Parameters.Get("trivy-cache"),
            ArtifactsDirectory = context.ArtifactsDirectory,
            PolicyPath = context.Parameters.Get("scan-policy") is { } policy ? context.InRoot(policy) : context.Publish.ScanPolicy,
            AllowlistPath = context.Parameters.Get("scan-allowlist") is { } allowlist ? context.InRoot(allowlist) : null,
        }, new LogWriter(context.Info));
        context.Publish.Scan = result.ReleaseJson;
        if (result.ExitCode != 0)
        {
            throw new HandoffException($"The scan gate blocks this image, so nothing was pushed: {string.Join(" ", result.Verdict.BlockReasons)} " +
                $"Details: {Path.GetRelativePath(context.RootDirectory, result.MarkdownPath)} and {Path.GetRelativePath(context.RootDirectory, result.SarifPath)}. " +
                "Fix the findings, add a reviewed exception to .handoff/scan-allowlist.yaml, or change the gate in .handoff/scan.yaml.");
        }
    }
}

[TaskName("Sbom")]
[TaskDescription("Writes the CycloneDX SBOM of --project to artifacts/sbom.cdx.json (the CycloneDX tool pinned in tools/dotnet-tools.json); attached to the image by Attest.")]
[IsDependentOn(typeof(ScanTask))]
public sealed class SbomTask : AsyncFrostingTask<HandoffContext>
{
    public override bool ShouldRun(HandoffContext context) =>
        !CaptureDigestTask.IsStandalone(context) && context.Parameters.Get("project") is not null && context.Parameters.Get("image-archive") is null;

    public override async Task RunAsync(HandoffContext context)
    {
        var result = await SbomGenerator.GenerateAsync(new SbomOptions
        {
            ProjectPath = context.InRoot(context.Parameters.Get("project")!),
            OutputPath = context.Artifact("sbom.cdx.json"),
            ToolManifest = Path.Combine(context.HandoffHome, "tools", "dotnet-tools.json"),
            ComponentName = context.Publish.Target?.Repository ?? context.Parameters.Get("repository"),
            ComponentVersion = context.Publish.Target?.Tag,
        }, new LogWriter(context.Info));
        context.Publish.SbomPath = result.Path;
    }
}

[TaskName("Attest")]
[TaskDescription("Signs SLSA provenance (DSSE, ECDSA P-256; key from HANDOFF_SIGNING_KEY or --signing-key=FILE) and attaches it and the SBOM to the pushed digest as OCI referrers.")]
[IsDependentOn(typeof(CaptureDigestTask))]
public sealed class AttestTask : AsyncFrostingTask<HandoffContext>
{
    public override bool ShouldRun(HandoffContext context) => !CaptureDigestTask.IsStandalone(context);

    public override async Task RunAsync(HandoffContext context)
    {
        var pinned = context.Publish.Pinned ?? throw new HandoffException("No captured digest: Attest runs after CaptureDigest.");
        var keyFile = context.Parameters.Get("signing-key") is { } file ? context.InRoot(file) : context.Publish.SigningKeyFile;
        var hasKey = context.Publish.Signer is not null || keyFile is not null || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SigningKeyLoader.EnvironmentVariable));
        if (!hasKey)
        {
            if (context.Parameters.Flag("require-provenance"))
            {
                throw new HandoffException($"--require-provenance: no signing key. Set {SigningKeyLoader.EnvironmentVariable} (PEM) or pass --signing-key=FILE; create one with ./build.sh --target=GenerateSigningKey.");
            }

            context.Warn($"No signing key ({SigningKeyLoader.EnvironmentVariable} or --signing-key): the image gets no signed provenance, and delivery repos that require provenance will refuse it. Create a key with ./build.sh --target=GenerateSigningKey.");
            return;
        }

        var source = await context.SourceAsync();
        var ci = CiDetector.Detect(context);
        var baseImages = new List<ImageReference>();
        if (await BaseImageAsync(context) is { } baseImage)
        {
            baseImages.Add(baseImage);
        }

        using var client = RegistryClients.Create(context, pinned.Registry);
        var result = await AttestCommand.RunAsync(new AttestOptions
        {
            Provenance = new ProvenanceInput
            {
                Image = pinned,
                SourceRepository = context.SourceRepository(ci, source),
                SourceRef = ci.Branch ?? source.Branch,
                SourceCommit = ci.Commit ?? source.Commit ?? throw new HandoffException("Provenance needs the source commit: run from a git repository."),
                Target = string.Join(",", context.Targets),
                BaseImages = baseImages,
                Ci = ci,
                StartedOn = context.StartedAt,
                FinishedOn = DateTimeOffset.UtcNow,
            },
            SbomPath = context.Publish.SbomPath,
            SigningKeyFile = keyFile,
            Signer = context.Publish.Signer,
            SignerVerifier = context.Publish.SignerVerifier,
            ArtifactsDirectory = context.ArtifactsDirectory,
        }, new OciReferrerStore(client), new LogWriter(context.Info));
        context.Publish.Attestations = result.ToReleaseJson();
    }

    /// <summary>
    /// The base image for resolvedDependencies, by digest: the one the builder recorded, else what
    /// the registry serves for the tag now (what the build pulled). Unresolvable (offline, no
    /// access), provenance leaves it out and says so rather than failing a build that succeeded.
    /// </summary>
    private static async Task<ImageReference?> BaseImageAsync(HandoffContext context)
    {
        if (context.Publish.BaseImage is not { } name)
        {
            return null;
        }

        if (!ImageReference.TryParse(name, out var reference, out var error))
        {
            context.Warn($"Provenance names no base image: '{name}' is not an image reference ({error}).");
            return null;
        }

        if (reference!.Digest is not null)
        {
            return reference;
        }

        if (context.Publish.BaseImageDigest is { } recorded)
        {
            return reference.WithDigest(recorded);
        }

        try
        {
            using var client = RegistryClients.Create(context, reference.Registry);
            return reference.WithDigest(await new Handoff.Oci.DigestCapture(client).CaptureAsync(reference));
        }
        catch (Exception ex) when (ex is HandoffException or HttpRequestException)
        {
            context.Warn($"Provenance names no base image: {reference} could not be resolved to a digest ({ex.Message}). Build on a base pinned by digest (--base-image=NAME@sha256:...) to record it.");
            return null;
        }
    }
}

[TaskName("VerifyImage")]
[TaskDescription("Verifies an image's signed SLSA provenance from the registry: --image=REPO@sha256:..., --public-key=FILE, [--builder-id=...] [--source-repo=...]. Non-zero with the reason on any failure.")]
public sealed class VerifyImageTask : AsyncFrostingTask<HandoffContext>
{
    public override async Task RunAsync(HandoffContext context)
    {
        var text = context.Parameters.Require("image", "The image to verify, pinned by digest: --image=registry/repo@sha256:....");
        if (!ImageReference.TryParse(text, out var image, out var error))
        {
            throw new HandoffException($"--image: {error}");
        }

        using var client = RegistryClients.Create(context, image!.Registry);
        var (exitCode, result) = await VerifyImageCommand.RunAsync(new VerifyImageOptions
        {
            Image = text,
            PublicKeyPath = context.InRoot(context.Parameters.Get("public-key", ".handoff/signing-key.pub")),
            ExpectedBuilderId = context.Parameters.Get("builder-id"),
            ExpectedSourceRepository = context.Parameters.Get("source-repo"),
        }, new OciReferrerStore(client), new LogWriter(context.Info));
        if (exitCode != 0)
        {
            throw new HandoffException($"{image}: provenance verification failed ({result.Failure}): {result.Reason}");
        }
    }
}

[TaskName("GenerateSigningKey")]
[TaskDescription("Creates an ECDSA P-256 key pair for provenance: private key artifacts/keys/signing-key.pem (never commit it), public key .handoff/signing-key.pub; --force overwrites.")]
public sealed class GenerateSigningKeyTask : FrostingTask<HandoffContext>
{
    public override void Run(HandoffContext context)
    {
        var exit = GenerateSigningKeyCommand.Run(new GenerateSigningKeyOptions
        {
            PrivateKeyPath = context.InRoot(context.Parameters.Get("private-key", "artifacts/keys/signing-key.pem")),
            PublicKeyPath = context.InRoot(context.Parameters.Get("public-key", ".handoff/signing-key.pub")),
            Force = context.Parameters.Flag("force"),
        }, new LogWriter(context.Info));
        if (exit != 0)
        {
            throw new HandoffException("Generating the signing key failed (see above).");
        }
    }
}
