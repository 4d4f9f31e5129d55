using Handoff.Delivery;
using Handoff.Delivery.Git;
using Handoff.Delivery.Scm;

namespace Handoff.Tasks.Delivery;

/// <summary>Turns build parameters into the delivery library's options, in one place for every delivery task.</summary>
public static class DeliveryParameters
{
    public static bool HasDeliveryRepo(HandoffContext context) =>
        context.Parameters.Get("delivery-repo") is { Length: > 0 } || context.Delivery.DemoRepository is not null;

    public static DeliveryOptions Options(HandoffContext context, string? deliveryRepo = null)
    {
        var p = context.Parameters;
        var repo = deliveryRepo ?? p.Get("delivery-repo") ?? context.Delivery.DemoRepository ?? p.Require("delivery-repo", "The delivery repository: a URL, a local path, or OWNER/NAME on GitHub.");
        var name = p.Get("git-user-name");
        var email = p.Get("git-user-email");
        return new DeliveryOptions
        {
            DeliveryRepo = repo,
            Scm = ScmKinds.Parse(p.Get("scm")),
            BaseBranch = p.Get("base-branch"),
            WorkingDirectory = context.RootDirectory,
            ArtifactsDirectory = context.ArtifactsDirectory,
            Identity = name is null && email is null ? GitIdentity.Default : new GitIdentity(name ?? GitIdentity.Default.Name, email ?? GitIdentity.Default.Email),
            GitHub = new GitHubOptions
            {
                ApiUrl = p.Get("github-api-url") ?? new GitHubOptions().ApiUrl,
                // --github-repo was the spelling older error messages suggested; it still works.
                Repository = p.Get("github-repository") ?? p.Get("github-repo"),
            },
        };
    }
}
