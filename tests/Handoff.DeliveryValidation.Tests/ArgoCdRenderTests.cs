using Handoff.Delivery.Config;
using Handoff.DeliveryValidation.Rendering;
using Handoff.DeliveryValidation.Tests.Support;
using Handoff.Reports;
using Handoff.Testing;
using static Handoff.DeliveryValidation.Tests.Support.ReportAssertions;

namespace Handoff.DeliveryValidation.Tests;

/// <summary>render: {argocd: …} reads the Helm settings from the Argo CD Application instead of repeating them.</summary>
public sealed class ArgoCdRenderTests
{
    private static readonly string Sample = RepoPaths.InRepo("samples", "delivery-repo");

    private static RenderSettings Argo(string application, string file = "apps/myapp/app.yaml") =>
        new(RenderTool.ArgoCd, file, new ConfigLocation("handoff.yaml", 12, 7)) { Application = application };

    [TestCase("dev")]
    [TestCase("prod")]
    public void The_sample_Applications_resolve_to_the_chart_release_namespace_and_values_Argo_CD_uses(string env)
    {
        var resolved = ArgoApplicationReader.Resolve(Argo($"myapp-{env}"), Sample, "myapp");

        Assert.That(resolved.Tool, Is.EqualTo(RenderTool.Helm));
        Assert.That(resolved.Path, Is.EqualTo("apps/myapp/chart"));
        Assert.That(resolved.ReleaseName, Is.EqualTo("myapp"));
        Assert.That(resolved.Namespace, Is.EqualTo($"myapp-{env}"));
        Assert.That(resolved.ValuesFiles, Is.EqualTo(new[] { $"env/{env}/values.yaml" }), "../../../env/<env>/values.yaml relative to the chart");
        Assert.That(resolved.DefinedAt.File, Is.EqualTo("apps/myapp/app.yaml"));
    }

    [Test]
    public void A_missing_Application_names_the_ones_that_exist()
    {
        var error = Assert.Throws<InputFileException>(() => ArgoApplicationReader.Resolve(Argo("myapp-qa"), Sample, "myapp"))!;

        Assert.That(error.File, Is.EqualTo("handoff.yaml"));
        Assert.That(error.Line, Is.EqualTo(12));
        Assert.That(error.Problem, Does.Contain("has no Argo CD Application named 'myapp-qa' (it has: myapp-dev, myapp-staging, myapp-prod)"));
    }

    [Test]
    public void What_Argo_CD_would_fetch_from_elsewhere_is_refused_at_its_line()
    {
        using var repo = new TempDirectory("handoff-argo");
        repo.Write("app.yaml", """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: remote
            spec:
              source:
                repoURL: https://charts.example.com
                chart: nginx
                targetRevision: 1.0.0
            ---
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: inline
            spec:
              source:
                path: chart
                helm:
                  values: |
                    replicas: 2
            ---
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: outside
            spec:
              source:
                path: chart
                helm:
                  valueFiles: [../../elsewhere.yaml]
            """);

        var remote = Assert.Throws<InputFileException>(() => ArgoApplicationReader.Resolve(Argo("remote", "app.yaml"), repo.Path, "x"))!;
        Assert.That((remote.File, remote.Line), Is.EqualTo(("app.yaml", 8)));
        Assert.That(remote.Problem, Does.Contain("installs chart 'nginx' from a Helm repository"));

        var inline = Assert.Throws<InputFileException>(() => ArgoApplicationReader.Resolve(Argo("inline", "app.yaml"), repo.Path, "x"))!;
        Assert.That((inline.File, inline.Line), Is.EqualTo(("app.yaml", 19)));
        Assert.That(inline.Fix, Does.Contain("Move those values into a values file"));

        var outside = Assert.Throws<InputFileException>(() => ArgoApplicationReader.Resolve(Argo("outside", "app.yaml"), repo.Path, "x"))!;
        Assert.That(outside.Problem, Does.Contain("'../../elsewhere.yaml' of Application outside is not a file in this repository"));
    }

    [Test]
    public void Kustomize_overrides_directory_filters_and_plugins_in_the_Application_are_refused_at_their_line()
    {
        using var repo = new TempDirectory("handoff-argo");
        repo.Write("overlay/kustomization.yaml", "resources: []\n");
        repo.Write("app.yaml", """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: prefixed
            spec:
              source:
                path: overlay
                kustomize:
                  namePrefix: prod-
                  images: [web=web:2]
            ---
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: filtered
            spec:
              source:
                path: manifests
                directory:
                  recurse: true
                  exclude: "secret.yaml"
            ---
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata:
              name: plugin
            spec:
              source:
                path: manifests
                plugin:
                  name: envsubst
            """);

        var prefixed = Assert.Throws<InputFileException>(() => ArgoApplicationReader.Resolve(Argo("prefixed", "app.yaml"), repo.Path, "x"))!;
        Assert.That((prefixed.File, prefixed.Line), Is.EqualTo(("app.yaml", 9)));
        Assert.That(prefixed.Problem, Does.Contain("sets kustomize options (kustomize.namePrefix, kustomize.images), which ValidateDelivery does not apply"));
        Assert.That(prefixed.Fix, Does.Contain("overlay/kustomization.yaml"));

        var filtered = Assert.Throws<InputFileException>(() => ArgoApplicationReader.Resolve(Argo("filtered", "app.yaml"), repo.Path, "x"))!;
        Assert.That((filtered.File, filtered.Line), Is.EqualTo(("app.yaml", 21)));
        Assert.That(filtered.Problem, Does.Contain("sets directory.exclude"));

        var plugin = Assert.Throws<InputFileException>(() => ArgoApplicationReader.Resolve(Argo("plugin", "app.yaml"), repo.Path, "x"))!;
        Assert.That((plugin.File, plugin.Line), Is.EqualTo(("app.yaml", 30)));
        Assert.That(plugin.Problem, Does.Contain("config management plugin"));
    }

    [Test]
    public void A_directory_source_reads_subfolders_only_with_recurse_and_helm_skipCrds_is_honoured()
    {
        using var repo = new TempDirectory("handoff-argo");
        repo.Write("manifests/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: top}\n");
        repo.Write("manifests/nested/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: nested}\n");
        repo.Write("chart/Chart.yaml", "apiVersion: v2\nname: chart\nversion: 0.1.0\n");
        repo.Write("app.yaml", """
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: flat}
            spec:
              source: {path: manifests}
            ---
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: deep}
            spec:
              source: {path: manifests, directory: {recurse: true}}
            ---
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: nocrds}
            spec:
              source: {path: chart, helm: {skipCrds: true}}
            ---
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: crds}
            spec:
              source: {path: chart}
            """);

        var flat = ArgoApplicationReader.Resolve(Argo("flat", "app.yaml"), repo.Path, "x");
        var deep = ArgoApplicationReader.Resolve(Argo("deep", "app.yaml"), repo.Path, "x");
        Assert.That((flat.Tool, flat.Recurse, deep.Tool, deep.Recurse), Is.EqualTo((RenderTool.Plain, false, RenderTool.Plain, true)));
        Assert.That(ArgoApplicationReader.Resolve(Argo("nocrds", "app.yaml"), repo.Path, "x").SkipCrds, Is.True);
        Assert.That(ArgoApplicationReader.Resolve(Argo("crds", "app.yaml"), repo.Path, "x").SkipCrds, Is.False);

        // What the renderer reads for each, as Argo CD would apply it.
        var target = new Scope.Target(new AppConfig("x", null, false, new Dictionary<string, PinLocation>(), new ConfigLocation("handoff.yaml", 1, 1)),
            new EnvironmentConfig("dev", 0, [], [], [], "env/dev/freeze.yaml", new ConfigLocation("handoff.yaml", 1, 1)), null!, null);
        IEnumerable<string> Files(RenderSettings settings)
        {
            var source = RenderPlanner.Plan(target, settings, repo.Path, new ClusterVersion(null, []));
            return Handoff.Rendering.ManifestRenderer.PlainFiles(source.Path, source.Recurse).Select(f => Path.GetRelativePath(repo.Path, f).Replace('\\', '/'));
        }

        Assert.That(Files(flat), Is.EqualTo(new[] { "manifests/cm.yaml" }));
        Assert.That(Files(deep), Is.EqualTo(new[] { "manifests/cm.yaml", "manifests/nested/cm.yaml" }));
    }

    [Test]
    public async Task A_repository_that_renders_through_its_Argo_CD_Applications_validates_the_same_as_with_explicit_settings()
    {
        var config = Variants.SampleConfig.Replace("""
                  helm:
                    chart: apps/myapp/chart
                    releaseName: myapp
                    namespace: "myapp-{env}"
                    valuesFiles: ["env/{env}/values.yaml"]
            """, "      argocd: apps/myapp/app.yaml\n", StringComparison.Ordinal);
        Assert.That(config, Does.Contain("argocd: apps/myapp/app.yaml"));
        using var workspace = await DeliveryWorkspace.CreateAsync(DeliveryWorkspace.Variant("argocd", new Dictionary<string, string?> { ["handoff.yaml"] = config }));
        var branch = await workspace.OpenAsync(DeliveryWorkspace.Release());

        var run = await workspace.ValidateAsync(workspace.Checkout(branch), "main");

        AssertPassed(run, "myapp/dev");
        Assert.That(run.Report.Runs.Single(r => r.Check == CheckKinds.Policy).ItemsChecked, Is.EqualTo(2));

        // The Application file is an input: changing it puts the app in scope everywhere it is used.
        workspace.Commit("argo-edit", new Dictionary<string, string?> { ["apps/myapp/app.yaml"] = workspace.Show("main", "apps/myapp/app.yaml").Replace("namespace: myapp-prod", "namespace: myapp-production", StringComparison.Ordinal) + "\n" });
        var edit = await workspace.ValidateAsync(workspace.Checkout("argo-edit"), "main");
        Assert.That(edit.Result.Targets.Select(t => t.Scope), Is.EquivalentTo(new[] { "myapp/dev", "myapp/staging", "myapp/prod" }));
        Assert.That(edit.Report.Findings.Where(f => f.Check == CheckKinds.Policy && f.Resource is not null).Select(f => f.Resource!.Namespace).Distinct(),
            Does.Contain("myapp-production"), "the tag-only template images fail, in the Application's new namespace");
    }
}
