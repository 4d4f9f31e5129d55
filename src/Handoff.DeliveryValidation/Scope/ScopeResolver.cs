using Handoff.Delivery.Config;
using Handoff.DeliveryValidation.Repository;

namespace Handoff.DeliveryValidation.Scope;

/// <summary>A target chosen for validation and the changed files that chose it (empty when auditing everything).</summary>
internal sealed record ScopedTarget(Target Target, IReadOnlyList<string> ChangedFiles);

/// <summary>The targets to validate and one sentence on why.</summary>
internal sealed record ValidationScope(IReadOnlyList<ScopedTarget> Targets, string Summary);

/// <summary>
/// Chooses what a change must be validated on. A changed file selects the targets that render from
/// it (pin file, chart, values files, overlay and its bases, plain manifests, Argo CD Application);
/// a file no target renders from selects the environment's apps when it is under <c>env/&lt;env&gt;/</c>
/// and the app's environments when under <c>apps/&lt;app&gt;/</c>; handoff.yaml, the policies, CRD and local
/// schema folders select everything; anything else (README, CI files) selects nothing.
/// </summary>
internal static class ScopeResolver
{
    public static ValidationScope Resolve(HandoffConfig config, IReadOnlyList<Target> targets, IReadOnlyDictionary<Target, TargetInputs> inputs, ChangeSet? changes, string? app, string? environment)
    {
        if (app is not null)
        {
            config.App(app);
        }

        if (environment is not null)
        {
            config.Environment(environment);
        }

        bool Filtered(Target t) => (app is null || t.App.Name == app) && (environment is null || t.Environment.Name == environment);
        if (changes is null)
        {
            var all = targets.Where(Filtered).Select(t => new ScopedTarget(t, [])).ToList();
            return new ValidationScope(all, $"auditing all {all.Count} app/environment pair{(all.Count == 1 ? "" : "s")} (no --base)");
        }

        var selected = new Dictionary<Target, List<string>>();
        void Select(Target target, string file)
        {
            if (!selected.TryGetValue(target, out var files))
            {
                selected[target] = files = [];
            }

            files.Add(file);
        }

        var global = new[] { config.Validation.Policies }
            .Concat(config.Validation.Crds)
            .Concat(config.Validation.SchemaLocations.Where(l => l != "default" && !l.Contains("://", StringComparison.Ordinal) && !l.Contains("{{", StringComparison.Ordinal)))
            .ToList();
        foreach (var file in changes.Files)
        {
            if (file == HandoffConfig.FileName || global.Any(g => file == g || file.StartsWith(g + "/", StringComparison.Ordinal)))
            {
                foreach (var target in targets)
                {
                    Select(target, file);
                }

                continue;
            }

            var direct = targets.Where(t => inputs[t].Contains(file)).ToList();
            if (direct.Count == 0 && Under(file, "env") is { } env)
            {
                direct = targets.Where(t => t.Environment.Name == env).ToList();
            }
            else if (direct.Count == 0 && Under(file, "apps") is { } appName)
            {
                direct = targets.Where(t => t.App.Name == appName).ToList();
            }

            foreach (var target in direct)
            {
                Select(target, file);
            }
        }

        var scoped = targets.Where(t => selected.ContainsKey(t) && Filtered(t)).Select(t => new ScopedTarget(t, selected[t])).ToList();
        var names = scoped.Count == 0 ? "nothing to render" : string.Join(", ", scoped.Select(s => s.Target.Scope));
        return new ValidationScope(scoped, $"{scoped.Count} of {targets.Count} app/environment pairs affected ({changes.Describe()}): {names}");
    }

    /// <summary>The second path segment when <paramref name="file"/> is <c>top/NAME/…</c>.</summary>
    private static string? Under(string file, string top)
    {
        if (!file.StartsWith(top + "/", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = file[(top.Length + 1)..];
        var slash = rest.IndexOf('/');
        return slash > 0 ? rest[..slash] : null;
    }
}
