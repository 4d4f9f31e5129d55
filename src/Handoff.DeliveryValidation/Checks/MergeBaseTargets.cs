using Handoff.Delivery.Config;
using Handoff.DeliveryValidation.Rendering;
using Handoff.DeliveryValidation.Repository;
using Handoff.DeliveryValidation.Scope;

namespace Handoff.DeliveryValidation.Checks;

/// <summary>
/// A target as the merge base had it: defined by the merge base's own handoff.yaml and Argo CD
/// Applications (null when it did not exist there), rendered from the merge base's files, and the settings
/// the change edits (empty when none).
/// </summary>
internal sealed record MergeBaseTarget(Target? Before, RenderedTarget? Rendered, IReadOnlyList<string> SettingsChanged, ConfigLocation? ChangedAt);

/// <summary>
/// Resolves and renders targets at the merge base entirely from the merge base's tree. Rendering the old
/// files with the change's handoff.yaml or Application would make a change of values files, chart, path,
/// release or namespace render the same on both sides, and so pass a freeze it breaks.
/// </summary>
internal sealed class MergeBaseTargets(RevisionFiles mergeBase, HandoffConfig headConfig, string? kubeVersionOverride, Func<HandoffConfig, RenderStage> stageFor)
{
    private (string Root, HandoffConfig? Config, IReadOnlyList<Target> Targets, string? Problem)? _tree;

    public async Task<IReadOnlyDictionary<Target, MergeBaseTarget>> ResolveAsync(IReadOnlyList<Target> heads, CancellationToken cancellationToken)
    {
        var (root, config, targets, problem) = _tree ??= await LoadAsync(cancellationToken);
        var result = new Dictionary<Target, MergeBaseTarget>();
        var pairs = new List<(Target Head, Target Before)>();
        foreach (var head in heads)
        {
            var before = targets.FirstOrDefault(t => t.App.Name == head.App.Name && t.Environment.Name == head.Environment.Name);
            if (config is null || before is null)
            {
                var why = problem ?? $"{head.App.Name} was not deployed to {head.Environment.Name} at the merge base";
                result[head] = new MergeBaseTarget(null, null, [why], head.App.Render.GetValueOrDefault(head.Environment.Name)?.DefinedAt ?? head.Pin.DefinedAt);
                continue;
            }

            pairs.Add((head, before));
        }

        var toRender = pairs.Where(p => p.Before.Render is not null).Select(p => new ScopedTarget(p.Before, [])).ToList();
        IReadOnlyList<RenderedTarget> rendered = toRender.Count == 0 ? [] : await stageFor(config!).RenderAsync(toRender, root, null, cancellationToken);
        foreach (var (head, before) in pairs)
        {
            var now = TargetSettings.Of(head, ClusterVersion.For(head, headConfig.Validation, kubeVersionOverride));
            var then = TargetSettings.Of(before, ClusterVersion.For(before, config!.Validation, kubeVersionOverride));
            var changed = TargetSettings.Changed(then, now);
            result[head] = new MergeBaseTarget(
                before,
                rendered.FirstOrDefault(r => r.Target == before),
                changed.Take(3).Select(c => TargetSettings.Describe(then, c)).Concat(changed.Count > 3 ? [$"{changed.Count - 3} more settings"] : []).ToList(),
                changed.FirstOrDefault()?.At);
        }

        return result;
    }

    private async Task<(string, HandoffConfig?, IReadOnlyList<Target>, string?)> LoadAsync(CancellationToken cancellationToken)
    {
        var root = await mergeBase.MaterializeAsync(cancellationToken);
        try
        {
            var config = HandoffConfigReader.Load(Path.Combine(root, HandoffConfig.FileName), HandoffConfig.FileName);
            return (root, config, TargetCatalog.Build(config, root), null);
        }
        catch (HandoffException ex)
        {
            // Without the old settings nothing can be shown to be unchanged.
            return (root, null, [], $"{HandoffConfig.FileName} at the merge base cannot be read ({ex.Message.Split('\n')[0]}), so nothing can be shown to deploy the same");
        }
    }
}
