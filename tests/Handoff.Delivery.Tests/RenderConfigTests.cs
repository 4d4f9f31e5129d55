using Handoff.Delivery.Config;
using Handoff.Testing;

namespace Handoff.Delivery.Tests;

/// <summary>handoff.yaml's render: (per app, per environment) and validation: settings, read for ValidateDelivery.</summary>
public sealed class RenderConfigTests
{
    private static HandoffConfig Parse(string yaml) => HandoffConfigReader.Parse(yaml, "handoff.yaml");

    private static string Error(string yaml) => Assert.Throws<InputFileException>(() => Parse(yaml))!.Message;

    [Test]
    public void The_template_renders_myapp_with_its_chart_and_each_environments_values()
    {
        var config = HandoffConfigReader.Load(RepoPaths.InRepo("samples", "delivery-repo", "handoff.yaml"), "handoff.yaml");

        var app = config.App("myapp");
        Assert.That(app.Render.Keys, Is.EqualTo(new[] { "dev", "staging", "prod" }));
        foreach (var env in config.Environments)
        {
            var render = app.Render[env.Name];
            Assert.That(render.Tool, Is.EqualTo(RenderTool.Helm));
            Assert.That(render.Path, Is.EqualTo("apps/myapp/chart"));
            Assert.That(render.ReleaseName, Is.EqualTo("myapp"));
            Assert.That(render.Namespace, Is.EqualTo($"myapp-{env.Name}"));
            Assert.That(render.ValuesFiles, Is.EqualTo(new[] { $"env/{env.Name}/values.yaml" }));
            Assert.That(File.Exists(RepoPaths.InRepo("samples", "delivery-repo", render.ValuesFiles[0])), Is.True);
        }

        Assert.That(config.Validation.KubeVersion, Is.EqualTo("1.34.0"));
        Assert.That(config.Validation.SchemaLocations, Is.EqualTo(new[] { "default" }));
        Assert.That(config.Validation.Strict, Is.True);
        Assert.That(config.Validation.Policies, Is.EqualTo("policies"));
        Assert.That(config.Validation.PoliciesConfigured, Is.True);
        Assert.That(config.Provenance!.PublicKey, Is.Null, "the template cannot know the app's signing key");
    }

    [Test]
    public void The_handoff_yaml_reference_in_the_template_README_parses()
    {
        var readme = File.ReadAllText(RepoPaths.InRepo("samples", "delivery-repo", "README.md"));
        var section = readme[readme.IndexOf("## handoff.yaml", StringComparison.Ordinal)..];
        var start = section.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var yaml = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];

        var config = Parse(yaml);

        Assert.That(config.App("web").Render["prod"].Tool, Is.EqualTo(RenderTool.ArgoCd));
        Assert.That(config.App("web").Render["prod"].Application, Is.EqualTo("web-prod"));
        Assert.That(config.App("myapp").Render["prod"].Namespace, Is.EqualTo("production"));
        Assert.That(config.App("myapp").Render["dev"].Namespace, Is.EqualTo("myapp-dev"));
        Assert.That(config.App("worker").Render["prod"].Path, Is.EqualTo("clusters/prod/worker"));
        Assert.That(config.Environment("edge").KubeVersion, Is.EqualTo("1.33.0"));
        Assert.That(config.Validation.SkipKinds, Is.EqualTo(new[] { "Secret" }));
        Assert.That(config.Provenance!.Registry, Is.EqualTo("ghcr.io"));
    }

    [Test]
    public void A_configuration_without_render_or_validation_keeps_working()
    {
        var config = Parse("environments: [dev]\napps:\n  a:\n    pin: {file: a.yaml, helm: image}\n");

        Assert.That(config.App("a").Render, Is.Empty);
        Assert.That(config.Validation, Is.SameAs(ValidationConfig.Default));
        Assert.That(config.Validation.Policies, Is.EqualTo("policies"));
        Assert.That(config.Validation.PoliciesConfigured, Is.False);
    }

    [Test]
    public void An_environment_override_with_the_same_tool_replaces_only_what_it_gives()
    {
        var config = Parse("""
            environments: [dev, staging, prod]
            apps:
              web:
                render:
                  helm:
                    chart: charts/{app}
                    namespace: "{app}-{env}"
                    valuesFiles: ["charts/{app}/common.yaml", "env/{env}/{app}.yaml"]
                pin: { file: "env/{env}/web.yaml", helm: image }
                environments:
                  dev:
                  staging:
                    render: { helm: { namespace: web-qa, skipCrds: true } }
                  prod:
                    file: env/prod/web.yaml
                    helm: image
                    render: { kustomize: overlays/prod }
            """);

        var web = config.App("web");
        Assert.That(web.Render["dev"], Is.EqualTo(new RenderSettings(RenderTool.Helm, "charts/web", new ConfigLocation("handoff.yaml", 5, 7))
        {
            Namespace = "web-dev",
            ValuesFiles = web.Render["dev"].ValuesFiles,
        }));
        Assert.That(web.Render["dev"].ValuesFiles, Is.EqualTo(new[] { "charts/web/common.yaml", "env/dev/web.yaml" }));
        Assert.That(web.Render["staging"].Path, Is.EqualTo("charts/web"), "inherited");
        Assert.That(web.Render["staging"].Namespace, Is.EqualTo("web-qa"), "overridden");
        Assert.That(web.Render["staging"].ValuesFiles, Is.EqualTo(new[] { "charts/web/common.yaml", "env/staging/web.yaml" }));
        Assert.That(web.Render["staging"].DefinedAt, Is.EqualTo(new ConfigLocation("handoff.yaml", 13, 19)), "points at the override");
        Assert.That((web.Render["dev"].SkipCrds, web.Render["staging"].SkipCrds), Is.EqualTo((false, true)), "the chart's crds/ are rendered unless skipCrds says otherwise");
        Assert.That(config.Pin(web, config.Environment("staging")).File, Is.EqualTo("env/staging/web.yaml"), "an entry with only render: keeps the default pin");
        Assert.That(web.Render["prod"].Tool, Is.EqualTo(RenderTool.Kustomize));
        Assert.That(web.Render["prod"].Path, Is.EqualTo("overlays/prod"));
        Assert.That(web.Render["prod"].ValuesFiles, Is.Empty, "another tool inherits nothing");
    }

    [Test]
    public void Shorthands_and_defaults()
    {
        var config = Parse("""
            environments: [dev]
            apps:
              a: { render: { helm: charts/a }, pin: { file: a.yaml, helm: image } }
              b: { render: { kustomize: "overlays/{env}" }, pin: { file: b.yaml, kustomize: b } }
              c: { render: { plain: "manifests/{env}/" }, pin: { file: c.yaml, yaml: spec.image } }
              d: { render: { argocd: apps/d/app.yaml }, pin: { file: d.yaml, helm: image } }
              e: { render: { argocd: { file: apps/e/app.yaml, application: "e-in-{env}" } }, pin: { file: e.yaml, helm: image } }
            """);

        Assert.That(config.App("a").Render["dev"].Path, Is.EqualTo("charts/a"));
        Assert.That(config.App("a").Render["dev"].ReleaseName, Is.Null, "default: the app name, decided when rendering");
        Assert.That(config.App("b").Render["dev"].Path, Is.EqualTo("overlays/dev"));
        Assert.That(config.App("c").Render["dev"].Path, Is.EqualTo("manifests/dev"), "a trailing slash is the same folder");
        Assert.That(config.App("d").Render["dev"].Tool, Is.EqualTo(RenderTool.ArgoCd));
        Assert.That(config.App("d").Render["dev"].Application, Is.EqualTo("d-dev"));
        Assert.That(config.App("e").Render["dev"].Application, Is.EqualTo("e-in-dev"));
    }

    [Test]
    public void Validation_settings_and_cluster_versions_per_environment()
    {
        var config = Parse("""
            environments:
              - dev
              - name: prod
                kubeVersion: v1.33
                apiVersions: [monitoring.coreos.com/v1]
            apps: { a: { pin: { file: a.yaml, helm: image } } }
            validation:
              kubeVersion: "1.34.2"
              apiVersions: [cert-manager.io/v1/Certificate]
              schemaLocations: [default, schemas/, "https://example.com/{{ .ResourceKind }}.json"]
              strict: false
              skipKinds: [Secret, apps/v1/DaemonSet]
              ignoreMissingSchemas: true
              crds: [crds/]
              policies: guardrails
              skipPolicies: [mutate-labels]
            provenance:
              publicKey: keys/handoff.pub
              registry: 127.0.0.1:5000
            """);

        var validation = config.Validation;
        Assert.That(validation.KubeVersion, Is.EqualTo("1.34.2"));
        Assert.That(validation.ApiVersions, Is.EqualTo(new[] { "cert-manager.io/v1/Certificate" }));
        Assert.That(validation.SchemaLocations, Is.EqualTo(new[] { "default", "schemas", "https://example.com/{{ .ResourceKind }}.json" }));
        Assert.That(validation.Strict, Is.False);
        Assert.That(validation.SkipKinds, Is.EqualTo(new[] { "Secret", "apps/v1/DaemonSet" }));
        Assert.That(validation.IgnoreMissingSchemas, Is.True);
        Assert.That(validation.Crds, Is.EqualTo(new[] { "crds" }));
        Assert.That(validation.Policies, Is.EqualTo("guardrails"));
        Assert.That(validation.SkipPolicies, Is.EqualTo(new[] { "mutate-labels" }));
        Assert.That(validation.DefinedAt, Is.EqualTo(new ConfigLocation("handoff.yaml", 7, 1)));
        Assert.That(config.Environment("dev").KubeVersion, Is.Null);
        Assert.That(config.Environment("prod").KubeVersion, Is.EqualTo("1.33.0"));
        Assert.That(config.Environment("prod").ApiVersions, Is.EqualTo(new[] { "monitoring.coreos.com/v1" }));
        Assert.That(config.Provenance!.Registry, Is.EqualTo("127.0.0.1:5000"));
        Assert.That(config.Provenance.DefinedAt, Is.EqualTo(new ConfigLocation("handoff.yaml", 17, 1)));
    }

    private const string App = "environments: [dev, prod]\napps:\n  a:\n    pin: {file: a.yaml, helm: image}\n";

    [TestCase(App + "    render: {helm: charts/a, kustomize: k}\n", "handoff.yaml:5:13: apps.a.render gives helm: and kustomize:; only one is allowed.")]
    [TestCase(App + "    render: {}\n", "handoff.yaml:5:13: apps.a.render is empty.")]
    [TestCase(App + "    render: {docker: x}\n", "handoff.yaml:5:14: unknown key 'docker' in apps.a.render. Allowed keys: helm, kustomize, plain, argocd.")]
    [TestCase(App + "    render: {helm: {chart: c, valueFiles: [v.yaml]}}\n", "handoff.yaml:5:31: unknown key 'valueFiles' in apps.a.render.helm. Allowed keys: chart, releaseName, namespace, valuesFiles, skipCrds (did you mean 'valuesFiles'?).")]
    [TestCase(App + "    render: {kustomize: {path: k, valuesFiles: [v.yaml]}}\n", "handoff.yaml:5:35: unknown key 'valuesFiles' in apps.a.render.kustomize. Allowed keys: path, namespace.")]
    [TestCase(App + "    render: {helm: {releaseName: a}}\n", "handoff.yaml:5:20: apps.a.render.helm has no chart: for a in dev. Add chart: PATH (relative to the repository root).")]
    [TestCase(App + "    render: {helm: \"charts/{environment}\"}\n", "handoff.yaml:5:20: unknown placeholder '{environment}' in 'charts/{environment}'. Only {env} (the environment name) and {app} (the app name) are replaced.")]
    [TestCase(App + "    render: {helm: {chart: c, namespace: \"{app}_{env}\"}}\n", "handoff.yaml:5:42: 'a_dev' is not a namespace. Use lowercase letters, digits and '-', at most 63 characters.")]
    [TestCase(App + "    render: {helm: {chart: c, releaseName: My-App}}\n", "handoff.yaml:5:44: 'My-App' is not a Helm release name.")]
    [TestCase(App + "    render: {plain: ../shared}\n", "handoff.yaml:5:21: '../shared' is not a path inside the repository.")]
    [TestCase(App + "    render: {helm: {chart: c, valuesFiles: [/etc/v.yaml]}}\n", "handoff.yaml:5:45: '/etc/v.yaml' is not a path inside the repository.")]
    [TestCase("environments: [dev]\napps:\n  a:\n    pin: {file: a.yaml, helm: image, render: {helm: c}}\n", "handoff.yaml:4:38: unknown key 'render' in apps.a.pin. Allowed keys: file, helm, kustomize, yaml, value, document.")]
    [TestCase("environments: [dev]\napps:\n  a:\n    render: {helm: c}\n    environments:\n      dev: {file: a.yaml, helm: image, render: {kustomize: {namespace: x}}}\n", "handoff.yaml:6:60: apps.a.environments.dev.render.kustomize has no path: for a in dev. Add path: PATH (relative to the repository root); an override with another tool than apps.a.render does not inherit its settings.")]
    [TestCase("environments: [dev]\napps:\n  a:\n    environments:\n      dev: {render: {helm: c}}\n", "handoff.yaml:5:12: apps.a.environments.dev gives only render: and apps.a has no pin: default.")]
    [TestCase(App + "validation: {kubeVersion: latest}\n", "handoff.yaml:5:27: kubeVersion 'latest' is not a Kubernetes version.")]
    [TestCase("environments: [{name: dev, kubeVersion: \"1\"}]\napps: {a: {pin: {file: a.yaml, helm: image}}}\n", "handoff.yaml:1:41: kubeVersion '1' is not a Kubernetes version.")]
    [TestCase(App + "validation: {strict: maybe}\n", "handoff.yaml:5:22: validation.strict must be true or false.")]
    [TestCase(App + "validation: {skipKinds: [\"Secret,ConfigMap\"]}\n", "handoff.yaml:5:26: 'Secret,ConfigMap' is not a kind or apiVersion/Kind")]
    [TestCase(App + "validation: {schemaLocations: [/schemas]}\n", "handoff.yaml:5:32: '/schemas' is not a path inside the repository.")]
    [TestCase(App + "validation: {polices: p}\n", "handoff.yaml:5:14: unknown key 'polices' in validation.")]
    [TestCase(App + "provenance: {registry: \"https://ghcr.io\"}\n", "handoff.yaml:5:24: 'https://ghcr.io' is not a registry host")]
    public void Mistakes_in_render_and_validation_settings_are_located(string yaml, string expectedStart) =>
        Assert.That(Error(yaml), Does.StartWith(expectedStart));
}
