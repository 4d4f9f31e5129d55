using Cake.Core;
using Handoff.Frosting;

namespace Handoff.Tasks;

/// <summary>
/// The typed context every Handoff task receives: resolved parameters, well-known folders, and the
/// state one task hands to the next within a run (archive path, pushed digest, …).
/// </summary>
public class HandoffContext : FrostingContext
{
    public HandoffContext(ICakeContext context) : base(context)
    {
        RootDirectory = context.Environment.WorkingDirectory.FullPath;
        Parameters = Parameters.FromContext(context, IniFile.ReadSection(Path.Combine(RootDirectory, "cake.config"), Parameters.ConfigSection));
        ArtifactsDirectory = Path.GetFullPath(Path.Combine(RootDirectory, Parameters.Get("artifacts", "artifacts")));
        HandoffHome = context.Environment.GetEnvironmentVariable(HandoffHomeVariable) is { Length: > 0 } home ? Path.GetFullPath(home) : RootDirectory;
        ToolsDirectory = Path.Combine(HandoffHome, "tools", "bin");
        StartedAt = DateTimeOffset.UtcNow;
        Targets = context.Arguments.GetArguments("target").SelectMany(t => t.Split(',')).Select(t => t.Trim()).ToList();
    }

    public Parameters Parameters { get; }

    /// <summary>The folder the build runs in (the app or delivery repository root).</summary>
    public string RootDirectory { get; }

    public string ArtifactsDirectory { get; }

    /// <summary>Set by build.sh/build.ps1: where Handoff itself lives (its tools/, samples/), which differs from <see cref="RootDirectory"/> when building another repository.</summary>
    public const string HandoffHomeVariable = "HANDOFF_HOME";

    public string HandoffHome { get; }

    /// <summary>Handoff's downloaded tool binaries (tools/bin, git-ignored); searched before PATH.</summary>
    public string ToolsDirectory { get; }

    /// <summary>tools/bin of the repository being built, then Handoff's own.</summary>
    public string[] ToolDirectories => RootDirectory == HandoffHome ? [ToolsDirectory] : [Path.Combine(RootDirectory, "tools", "bin"), ToolsDirectory];

    public DateTimeOffset StartedAt { get; }

    public IReadOnlyList<string> Targets { get; }

    public PublishState Publish { get; } = new();

    public DeliveryState Delivery { get; } = new();

    /// <summary>Things to stop or delete when the run ends, successful or not (see <see cref="HandoffLifetime"/>).</summary>
    public List<IDisposable> Cleanup { get; } = [];

    private Task<Publishing.SourceInfo>? _source;

    /// <summary>
    /// The app repository's commit, branch and origin, read from git once per run: the tag, the
    /// provenance, the release and the Demo all name the same source.
    /// </summary>
    public Task<Publishing.SourceInfo> SourceAsync() => _source ??= Publishing.SourceInfo.ReadAsync(RootDirectory);

    /// <summary>The source repository a build names in provenance and releases: CI's, else git's origin, else this folder.</summary>
    public string SourceRepository(CiInfo ci, Publishing.SourceInfo source) => (source with { Directory = source.Directory ?? RootDirectory }).RepositoryFor(ci)!;

    /// <summary>How CLI tools (helm, kubectl, kustomize) are found: Cake's resolution, plus tools/bin of this repo and of Handoff.</summary>
    public Rendering.CakeTooling Tooling() => new(FileSystem, Environment, ProcessRunner, Tools) { ExtraToolDirectories = ToolDirectories };

    public string InRoot(string path) => Path.GetFullPath(Path.Combine(RootDirectory, path));

    public string Artifact(params string[] parts) => Path.Combine([ArtifactsDirectory, .. parts]);

    public bool IsTarget(string name) => Targets.Any(t => string.Equals(t, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Finds a tool in tools/bin, then on PATH.</summary>
    public string? FindTool(string name) => Exec.FindOnPath(name, ToolDirectories);

    /// <summary>Writes a line through Cake's log (so verbosity applies) after redacting secrets.</summary>
    public void Info(string message) => Log.Write(Cake.Core.Diagnostics.Verbosity.Normal, Cake.Core.Diagnostics.LogLevel.Information, "{0}", Secrets.Redact(message));

    public void Verbose(string message) => Log.Write(Cake.Core.Diagnostics.Verbosity.Verbose, Cake.Core.Diagnostics.LogLevel.Verbose, "{0}", Secrets.Redact(message));

    public void Warn(string message) => Log.Write(Cake.Core.Diagnostics.Verbosity.Minimal, Cake.Core.Diagnostics.LogLevel.Warning, "{0}", Secrets.Redact(message));
}

/// <summary>What the Publish chain learns as it goes.</summary>
public sealed class PublishState
{
    public Publishing.TrxReport? Tests { get; set; }
    public string? ImageArchive { get; set; }
    /// <summary>The archive already opened and verified by BuildImage (built, or given with --image-archive); disposed at teardown.</summary>
    public Handoff.Oci.OciImageArchive? OpenedArchive { get; set; }
    public ImageReference? Target { get; set; }
    public Digest? PushedDigest { get; set; }
    public string? ManifestMediaType { get; set; }
    public ImageReference? Pinned { get; set; }
    /// <summary>
    /// Before BuildImage, the base the run chose (the Demo's); after it, the base the image was
    /// actually built on, as the archive records it (the SDK's default when none was given).
    /// </summary>
    public string? BaseImage { get; set; }
    /// <summary>The digest of <see cref="BaseImage"/> the builder pulled, when it recorded one; Attest resolves it otherwise.</summary>
    public Digest? BaseImageDigest { get; set; }
    public Release? Release { get; set; }
    public string? ReleasePath { get; set; }
    public System.Text.Json.Nodes.JsonObject? Scan { get; set; }
    public string? SbomPath { get; set; }
    public System.Text.Json.Nodes.JsonObject? Attestations { get; set; }
    /// <summary>A signing key the run created for itself (the Demo); --signing-key and HANDOFF_SIGNING_KEY take precedence.</summary>
    public string? SigningKeyFile { get; set; }
    /// <summary>
    /// A provenance signer a host program plugs in (KMS, HSM) in place of a key file, with the
    /// verifier of its signatures when it has one; the host owns and disposes both.
    /// </summary>
    public Handoff.SupplyChain.Signing.ISigner? Signer { get; set; }
    public Handoff.SupplyChain.Signing.IVerifier? SignerVerifier { get; set; }
    /// <summary>A scan policy chosen by the run (the Demo uses the sample app's); --scan-policy takes precedence.</summary>
    public string? ScanPolicy { get; set; }

    /// <summary>Forgets the last image so the Publish tasks can ship another one to <paramref name="target"/>.</summary>
    public void Reset(ImageReference target)
    {
        Target = target;
        ImageArchive = null;
        OpenedArchive = null;
        PushedDigest = null;
        ManifestMediaType = null;
        Pinned = null;
        Release = null;
        Scan = null;
        Attestations = null;
    }
}

/// <summary>What delivery tasks learn as they go (the Demo chains several).</summary>
public sealed class DeliveryState
{
    public Handoff.Delivery.Commands.PromotionResult? LastPromotion { get; set; }
    public string? LastBranch { get; set; }
    /// <summary>The delivery repository the Demo created (a local bare repository).</summary>
    public string? DemoRepository { get; set; }
    /// <summary>The public half of the Demo's throwaway signing key.</summary>
    public string? DemoPublicKey { get; set; }
}

/// <summary>Disposes what tasks registered in <see cref="HandoffContext.Cleanup"/>, in reverse order, even after a failure.</summary>
public sealed class HandoffLifetime : FrostingLifetime<HandoffContext>
{
    public override void Teardown(HandoffContext context, ITeardownContext info)
    {
        for (var i = context.Cleanup.Count - 1; i >= 0; i--)
        {
            try
            {
                context.Cleanup[i].Dispose();
            }
            catch (Exception ex)
            {
                context.Warn($"Cleanup failed: {ex.Message}");
            }
        }

        context.Cleanup.Clear();
    }
}
