using Handoff.Delivery.Config;
using Handoff.DeliveryValidation.Rendering;

namespace Handoff.DeliveryValidation.Scope;

/// <summary>Every app × environment handoff.yaml deploys, in environment order then app order, with its render settings resolved.</summary>
internal static class TargetCatalog
{
    public static IReadOnlyList<Target> Build(HandoffConfig config, string root)
    {
        var targets = new List<Target>();
        foreach (var environment in config.Environments)
        {
            foreach (var app in config.Apps)
            {
                if (!app.Pins.TryGetValue(environment.Name, out var pin))
                {
                    continue;
                }

                targets.Add(Resolve(app, environment, pin, root));
            }
        }

        return targets;
    }

    /// <summary>The environment before <paramref name="target"/>'s in promotion order where the same app is deployed; null for the first.</summary>
    public static EnvironmentConfig? Predecessor(HandoffConfig config, Target target) =>
        config.Environments.Take(target.Environment.Order).LastOrDefault(e => target.App.Pins.ContainsKey(e.Name));

    private static Target Resolve(AppConfig app, EnvironmentConfig environment, PinLocation pin, string root)
    {
        if (!app.Render.TryGetValue(environment.Name, out var render))
        {
            return new Target(app, environment, pin, null);
        }

        if (render.Tool != RenderTool.ArgoCd)
        {
            return new Target(app, environment, pin, render);
        }

        try
        {
            var application = ArgoApplicationReader.Read(render, root, app.Name);
            return new Target(app, environment, pin, application.Settings) { ArgoSource = application.Source };
        }
        catch (InputFileException ex)
        {
            return new Target(app, environment, pin, null) { RenderProblem = ex };
        }
    }
}
