namespace Handoff.Delivery.Git;

/// <summary>
/// The commit trailers that make the delivery repo's history machine-readable: which app, which
/// environment, which digest, where it came from. Rollback and Promote read them back.
/// </summary>
public static class HandoffTrailers
{
    public const string App = "Handoff-App";
    public const string Env = "Handoff-Env";
    public const string Digest = "Handoff-Digest";
    public const string Tag = "Handoff-Tag";
    public const string SourceCommit = "Handoff-Source-Commit";
    public const string PromotedFrom = "Handoff-Promoted-From";
    public const string Run = "Handoff-Run";
    public const string Rollback = "Handoff-Rollback";
    public const string Reverts = "Handoff-Reverts";
    public const string Freeze = "Handoff-Freeze";

    /// <summary>The value of Handoff-Promoted-From for a promotion that came straight from a release (CI), not from another environment.</summary>
    public const string FromRelease = "release";

    /// <summary>
    /// The value of Handoff-Run for an image built outside CI (a laptop, the Demo): the trailer is
    /// always written, so a commit without it means "not made by Handoff", never "built locally".
    /// </summary>
    public const string LocalRun = "local";

    /// <summary>The value of Handoff-Run when the run that built the digest is not known (a digest pinned by hand, or CI that gave no run id).</summary>
    public const string UnknownRun = "unknown";
}

/// <summary>One commit of the delivery repo that carries Handoff trailers.</summary>
public sealed record PromotionRecord(
    string Commit,
    IReadOnlyList<string> Parents,
    string Subject,
    string App,
    string Env,
    string? Digest,
    string? Tag,
    string? SourceCommit,
    string? PromotedFrom,
    string? Run,
    bool IsRollback);
