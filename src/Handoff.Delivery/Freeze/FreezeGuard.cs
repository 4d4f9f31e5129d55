using Handoff.Delivery.Config;
using Handoff.Delivery.Git;

namespace Handoff.Delivery.Freeze;

/// <summary>Refuses changes to a frozen environment, except the kinds its freeze allows (rollback by default).</summary>
internal static class FreezeGuard
{
    public const string PromotionKind = "promotion";
    public const string RollbackKind = "rollback";

    public static FreezeState Read(DeliveryClone clone, EnvironmentConfig environment) =>
        clone.Exists(environment.FreezeFile)
            ? FreezeFile.Parse(clone.ReadText(environment.FreezeFile), environment.FreezeFile)
            : FreezeState.None;

    public static void Check(DeliveryClone clone, EnvironmentConfig environment, string kind, DateTimeOffset now)
    {
        var state = Read(clone, environment);
        if (!state.IsActive(now) || state.Allows(kind))
        {
            return;
        }

        var allowed = state.Allow.Count > 0 ? $" While frozen it accepts only: {string.Join(", ", state.Allow)}." : "";
        throw new HandoffException(
            $"{environment.Name} is {state.Describe()} ({environment.FreezeFile} on {clone.BaseBranch}), so this {kind} is refused.{allowed} " +
            $"Wait for the freeze to end, or lift it with ./build.sh --target=Unfreeze --env={environment.Name} and merge that request.");
    }
}
