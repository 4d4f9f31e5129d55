using Handoff.Frosting;
using Handoff.Oci;

namespace Handoff.Tasks.Publish;

[TaskName("CaptureDigest")]
[TaskDescription("Reads the manifest digest back from the registry (HEAD with the OCI and Docker media types) and checks it against the pushed manifest; alone: --image=REF:TAG prints the digest.")]
[IsDependentOn(typeof(PushImageTask))]
public sealed class CaptureDigestTask : AsyncFrostingTask<HandoffContext>
{
    /// <summary>True for `--target=CaptureDigest --image=REF`: read an existing image, build and push nothing.</summary>
    public static bool IsStandalone(HandoffContext context) => context.IsTarget("CaptureDigest") && context.Parameters.Get("image") is not null;

    public override async Task RunAsync(HandoffContext context)
    {
        if (IsStandalone(context))
        {
            var text = context.Parameters.Get("image")!;
            if (!ImageReference.TryParse(text, out var reference, out var error))
            {
                throw new HandoffException($"--image: {error}");
            }

            using var standalone = RegistryClients.Create(context, reference!.Registry);
            var found = await new DigestCapture(standalone).CaptureAsync(reference);
            // The bare digest on stdout, so scripts can capture it: digest=$(./build.sh --target=CaptureDigest --image=... --verbosity=quiet)
            Console.Out.WriteLine(found.ToString());
            context.Publish.Pinned = reference.WithDigest(found);
            return;
        }

        var target = PublishParameters.Target(context);
        var pushed = context.Publish.PushedDigest ?? throw new HandoffException("Nothing was pushed in this run: CaptureDigest follows PushImage, or pass --image=REF:TAG to read an existing image.");
        using var client = RegistryClients.Create(context, target.Registry);
        var digest = await new DigestCapture(client).CaptureAsync(target, expected: pushed);
        context.Publish.Pinned = target.WithDigest(digest);
        context.Info($"Registry confirms {context.Publish.Pinned.Pinned}");
    }
}
