namespace Handoff.Delivery.Git;

/// <summary>Author and committer of the commits Handoff makes; set explicitly so no global git config is needed.</summary>
public sealed record GitIdentity(string Name, string Email)
{
    public static GitIdentity Default { get; } = new("Handoff", "handoff@localhost");
}
