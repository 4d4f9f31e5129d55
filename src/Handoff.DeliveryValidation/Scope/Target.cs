using Handoff.Delivery.Config;

namespace Handoff.DeliveryValidation.Scope;

/// <summary>
/// One app deployed to one environment: the unit ValidateDelivery renders and checks. <see cref="Render"/>
/// is what the controller renders (an Argo CD Application already resolved); null when handoff.yaml has
/// no render: for the app, or when it could not be resolved (<see cref="RenderProblem"/>).
/// </summary>
internal sealed record Target(AppConfig App, EnvironmentConfig Environment, PinLocation Pin, RenderSettings? Render)
{
    public string Scope => $"{App.Name}/{Environment.Name}";

    /// <summary>Why <see cref="Render"/> is missing although handoff.yaml asks for rendering.</summary>
    public InputFileException? RenderProblem { get; init; }

    /// <summary>
    /// For a target read from an Argo CD Application: its <c>spec.source</c> and <c>spec.destination</c> as
    /// JSON, so a change to anything there (targetRevision, repoURL, cluster) counts as a change of settings
    /// even when <see cref="Render"/> does not show it.
    /// </summary>
    public string? ArgoSource { get; init; }

    /// <summary>The file reports point at when nothing more precise is known: the environment's values or overlay, else the pin file.</summary>
    public string AnchorFile => Render switch
    {
        { Tool: RenderTool.Helm, ValuesFiles.Count: > 0 } helm => helm.ValuesFiles[^1],
        { Tool: RenderTool.Helm } helm => helm.Path + "/Chart.yaml",
        { Tool: RenderTool.Kustomize } kustomize => kustomize.Path + "/kustomization.yaml",
        { Tool: RenderTool.Plain } plain => plain.Path,
        _ => Pin.File,
    };

    public override string ToString() => Scope;
}
