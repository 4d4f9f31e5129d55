namespace Handoff.MSBuild;

/// <summary>
/// The codes in <c>error HANDOFFnnn</c>: one per kind of failure, so CI annotations, WarningsAsErrors
/// and log searches can tell them apart.
/// </summary>
public static class ErrorCodes
{
    /// <summary>A task parameter is missing or malformed.</summary>
    public const string InvalidParameter = "HANDOFF001";

    /// <summary>The build was canceled while the task ran.</summary>
    public const string Canceled = "HANDOFF002";

    /// <summary>Something failed that Handoff did not anticipate: a bug to report.</summary>
    public const string Unexpected = "HANDOFF099";

    /// <summary>HandoffPushImage: the archive could not be read or the registry refused the push.</summary>
    public const string Push = "HANDOFF101";

    /// <summary>HandoffCaptureDigest: the digest could not be read, or differs from the expected one.</summary>
    public const string Capture = "HANDOFF201";

    /// <summary>HandoffWriteRelease: release.json could not be composed or written.</summary>
    public const string Release = "HANDOFF301";

    /// <summary>HandoffSetImage: the YAML file could not be edited safely.</summary>
    public const string SetImage = "HANDOFF401";

    /// <summary>HandoffValidateManifests: the validation could not run (schema location, version, paths).</summary>
    public const string ValidationSetup = "HANDOFF500";

    /// <summary>HandoffValidateManifests: a resource breaks its schema.</summary>
    public const string InvalidResource = "HANDOFF501";

    /// <summary>HandoffValidateManifests: an input could not be read or checked as a resource.</summary>
    public const string UnreadableResource = "HANDOFF502";

    /// <summary>HandoffValidateManifests: a problem that did not affect a verdict.</summary>
    public const string ValidationWarning = "HANDOFF503";
}
