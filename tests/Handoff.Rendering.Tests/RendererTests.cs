using Handoff.Rendering;
using Handoff.Testing;

namespace Handoff.Rendering.Tests;

public class RendererTests
{
    private TempDirectory _dir = null!;
    private CakeTooling _tooling = null!;

    [SetUp]
    public void SetUp()
    {
        Tools.Require("helm", "tools/install-test-deps.sh fetches it");
        Tools.Require("kubectl", "kubectl has kustomize built in");
        _dir = new TempDirectory("render");
        // The tooling looks in <working dir>/tools/bin first; point it at the repository so tools/bin/helm is found.
        _tooling = CakeTooling.Standalone(RepoPaths.Root);
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private string Chart(string name = "web", string template = "")
    {
        _dir.Write($"{name}/Chart.yaml", $"apiVersion: v2\nname: {name}\nversion: 0.1.0\n");
        _dir.Write($"{name}/values.yaml", "replicas: 1\nimage:\n  repository: app\n  digest: \"\"\n");
        _dir.Write($"{name}/templates/deploy.yaml", template.Length > 0 ? template : """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{ .Release.Name }}
              namespace: {{ .Release.Namespace }}
            spec:
              replicas: {{ .Values.replicas }}
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: "{{ .Values.image.repository }}@{{ .Values.image.digest }}"
            """);
        return _dir.Combine(name);
    }

    [Test]
    public async Task Helm_renders_with_values_files_in_order_release_name_and_namespace()
    {
        var chart = Chart();
        var dev = _dir.Write("env/dev/values.yaml", "replicas: 2\nimage:\n  digest: sha256:aaa\n");
        var over = _dir.Write("env/dev/override.yaml", "replicas: 3\n");
        var renderer = new ManifestRenderer(_tooling, _dir.Combine("cache"));
        var outcome = (await renderer.RenderAllAsync([new RenderSource("web/dev", RenderKind.Helm, chart)
        {
            ReleaseName = "web-dev", Namespace = "web-dev", ValuesFiles = [dev, over], KubeVersion = "1.34.0",
        }])).Single();

        Assert.That(outcome.Succeeded, Is.True, outcome.Error?.Message);
        var text = outcome.Files.Single().Text;
        Assert.That(text, Does.Contain("name: web-dev").And.Contain("namespace: web-dev").And.Contain("replicas: 3").And.Contain("image: \"app@sha256:aaa\""));
        Assert.That(outcome.FromCache, Is.False);
    }

    [Test]
    public async Task Unchanged_inputs_come_from_the_cache_and_any_change_renders_again()
    {
        var chart = Chart();
        var values = _dir.Write("env/dev/values.yaml", "replicas: 2\n");
        var renderer = new ManifestRenderer(_tooling, _dir.Combine("cache"));
        var source = new RenderSource("web/dev", RenderKind.Helm, chart) { ValuesFiles = [values] };

        var first = renderer.Render(source);
        var second = renderer.Render(source);
        File.WriteAllText(values, "replicas: 5\n");
        var third = renderer.Render(source);

        Assert.That((first.FromCache, second.FromCache, third.FromCache), Is.EqualTo((false, true, false)));
        Assert.That(second.Files.Single().Text, Is.EqualTo(first.Files.Single().Text));
        Assert.That(third.Files.Single().Text, Does.Contain("replicas: 5"));
    }

    [Test]
    public async Task A_failing_template_reports_helm_stderr_with_the_chart_and_values_and_other_renders_still_run()
    {
        var broken = Chart("broken", "{{ fail \"image.digest must be set\" }}\n");
        var good = Chart("good");
        var values = _dir.Write("env/prod/values.yaml", "replicas: 1\n");
        var renderer = new ManifestRenderer(_tooling, null);
        var outcomes = await renderer.RenderAllAsync([
            new RenderSource("broken/prod", RenderKind.Helm, broken) { ValuesFiles = [values] },
            new RenderSource("good/prod", RenderKind.Helm, good),
        ]);

        var error = outcomes[0].Error;
        Assert.That(error, Is.Not.Null);
        Assert.That(error!.Message, Does.Contain("image.digest must be set").And.Contain(broken).And.Contain(values));
        Assert.That(outcomes[1].Succeeded, Is.True);
    }

    [Test]
    public void A_chart_with_dependencies_gets_them_built_first()
    {
        Chart("lib", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-dependency\n");
        var parent = Chart("parent");
        File.AppendAllText(Path.Combine(parent, "Chart.yaml"), "dependencies:\n  - name: lib\n    version: 0.1.0\n    repository: file://../lib\n");
        Assert.That(ManifestRenderer.NeedsDependencyBuild(parent), Is.True);

        var renderer = new ManifestRenderer(_tooling, _dir.Combine("cache"));
        var source = new RenderSource("parent/dev", RenderKind.Helm, parent);
        var outcome = renderer.Render(source);

        Assert.That(outcome.Succeeded, Is.True, outcome.Error?.Message);
        Assert.That(outcome.Files.Single().Text, Does.Contain("name: from-dependency"));
        Assert.That(RenderInputs.Of(source), Does.Contain(_dir.Combine("lib")), "a local dependency is an input of the parent");

        // Editing the local dependency must show in the next render: the cache key covers it and the packaged copy is rebuilt.
        File.WriteAllText(_dir.Combine("lib", "templates", "deploy.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: changed-dependency\n");
        var again = renderer.Render(source);
        Assert.That(again.FromCache, Is.False);
        Assert.That(again.Files.Single().Text, Does.Contain("name: changed-dependency"));
    }

    [Test]
    public void Kustomize_overlays_render_and_a_base_change_invalidates_the_overlay_cache()
    {
        _dir.Write("base/kustomization.yaml", "resources:\n  - cm.yaml\n");
        var cm = _dir.Write("base/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: info\n");
        _dir.Write("overlays/dev/kustomization.yaml", "resources:\n  - ../../base\nnamePrefix: dev-\n");
        var renderer = new ManifestRenderer(_tooling, _dir.Combine("cache"));
        var source = new RenderSource("app/dev", RenderKind.Kustomize, _dir.Combine("overlays/dev"));

        var first = renderer.Render(source);
        Assert.That(first.Succeeded, Is.True, first.Error?.Message);
        Assert.That(first.Files.Single().Text, Does.Contain("name: dev-settings"));

        File.WriteAllText(cm, File.ReadAllText(cm).Replace("info", "debug"));
        var second = renderer.Render(source);
        Assert.That(second.FromCache, Is.False);
        Assert.That(second.Files.Single().Text, Does.Contain("level: debug"));
    }

    [Test]
    public void A_broken_overlay_reports_kustomize_stderr()
    {
        _dir.Write("bad/kustomization.yaml", "resources:\n  - missing.yaml\n");
        var outcome = new ManifestRenderer(_tooling, null).Render(new RenderSource("bad/dev", RenderKind.Kustomize, _dir.Combine("bad")));
        Assert.That(outcome.Error!.Message, Does.Contain("kustomize build").And.Contain("missing.yaml"));
    }

    [Test]
    public void Plain_folders_keep_one_entry_per_file()
    {
        _dir.Write("plain/a.yaml", "kind: A\n");
        _dir.Write("plain/sub/b.yml", "kind: B\n");
        _dir.Write("plain/readme.md", "not a manifest\n");
        var outcome = new ManifestRenderer(_tooling, null).Render(new RenderSource("plain", RenderKind.Plain, _dir.Combine("plain")));
        Assert.That(outcome.Files.Select(f => Path.GetFileName(f.Path)), Is.EqualTo(new[] { "a.yaml", "b.yml" }));
        Assert.That(outcome.Files.All(f => !f.IsGenerated), Is.True);

        // An Argo CD directory source without directory.recurse reads only the folder itself.
        var topLevel = new ManifestRenderer(_tooling, null).Render(new RenderSource("plain", RenderKind.Plain, _dir.Combine("plain")) { Recurse = false });
        Assert.That(topLevel.Files.Select(f => Path.GetFileName(f.Path)), Is.EqualTo(new[] { "a.yaml" }));
    }

    [Test]
    public void Helm_installs_the_charts_crds_folder_as_Argo_CD_and_Flux_do_unless_told_to_skip_it()
    {
        var chart = Chart();
        _dir.Write("web/crds/widgets.yaml", """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: widgets.example.com
            spec:
              group: example.com
              names: {kind: Widget, plural: widgets}
              scope: Namespaced
              versions:
                - name: v1
                  served: true
                  storage: true
                  schema:
                    openAPIV3Schema: {type: object}
            """);
        var renderer = new ManifestRenderer(_tooling, _dir.Combine("cache"));
        var source = new RenderSource("web/dev", RenderKind.Helm, chart);

        var included = renderer.Render(source);
        var skipped = renderer.Render(source with { IncludeCrds = false });

        Assert.That(included.Succeeded, Is.True, included.Error?.Message);
        Assert.That(included.Files.Single().Text, Does.Contain("name: widgets.example.com").And.Contain("kind: Deployment"));
        Assert.That(skipped.FromCache, Is.False, "skipping CRDs is part of the cache key");
        Assert.That(skipped.Files.Single().Text, Does.Not.Contain("widgets.example.com").And.Contain("kind: Deployment"));
    }

    [Test]
    public void Another_kustomize_binary_renders_again_instead_of_reusing_the_cache()
    {
        _dir.Write("overlay/kustomization.yaml", "resources:\n  - cm.yaml\n");
        _dir.Write("overlay/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n");
        var source = new RenderSource("app/dev", RenderKind.Kustomize, _dir.Combine("overlay"));
        var cache = _dir.Combine("cache");

        // The same kubectl reached through another path stands for another installation (a CI image upgrade).
        var other = _dir.Combine("other/tools/bin");
        Directory.CreateDirectory(other);
        File.CreateSymbolicLink(Path.Combine(other, "kubectl"), Tools.Find("kubectl")!);
        var first = new ManifestRenderer(_tooling, cache).Render(source);
        var again = new ManifestRenderer(_tooling, cache).Render(source);
        RenderOutcome elsewhere;
        try
        {
            // Cake's working directory is the process's: tools/bin is looked up under it, so it moves for this render only.
            elsewhere = new ManifestRenderer(CakeTooling.Standalone(_dir.Combine("other")), cache).Render(source);
        }
        finally
        {
            Directory.SetCurrentDirectory(RepoPaths.Root);
        }

        Assert.That(first.Succeeded, Is.True, first.Error?.Message);
        Assert.That((first.FromCache, again.FromCache, elsewhere.FromCache), Is.EqualTo((false, true, false)));
        Assert.That(elsewhere.InputHash, Is.Not.EqualTo(first.InputHash));
    }

    [Test]
    public void A_missing_chart_folder_is_an_error_not_a_crash()
    {
        var outcome = new ManifestRenderer(_tooling, null).Render(new RenderSource("ghost/dev", RenderKind.Helm, _dir.Combine("nope")));
        Assert.That(outcome.Error!.Message, Does.Contain("ghost/dev").And.Contain("does not exist"));
    }
}
