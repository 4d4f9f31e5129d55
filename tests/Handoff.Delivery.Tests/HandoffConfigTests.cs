using Handoff.Delivery.Config;
using Handoff.Testing;

namespace Handoff.Delivery.Tests;

public sealed class HandoffConfigTests
{
    private static HandoffConfig Parse(string yaml) => HandoffConfigReader.Parse(yaml, "handoff.yaml");

    private static string Error(string yaml) => Assert.Throws<InputFileException>(() => Parse(yaml))!.Message;

    [Test]
    public void The_template_describes_myapp_in_three_ordered_environments()
    {
        var config = HandoffConfigReader.Load(RepoPaths.InRepo("samples", "delivery-repo", "handoff.yaml"), "handoff.yaml");

        Assert.That(config.Environments.Select(e => e.Name), Is.EqualTo(new[] { "dev", "staging", "prod" }));
        Assert.That(config.BaseBranch, Is.EqualTo("main"));
        var prod = config.Environment("prod");
        Assert.That(prod.Reviewers, Is.EqualTo(new[] { "release-manager" }));
        Assert.That(prod.TeamReviewers, Is.EqualTo(new[] { "sre" }));
        Assert.That(prod.FreezeFile, Is.EqualTo("env/prod/freeze.yaml"));
        Assert.That(config.Environment("dev").FreezeFile, Is.EqualTo("env/dev/freeze.yaml"), "default freeze file");
        var app = config.App("myapp");
        Assert.That(app.Image, Is.EqualTo("handoff/myapp"));
        foreach (var env in config.Environments)
        {
            var pin = config.Pin(app, env);
            Assert.That(pin.Kind, Is.EqualTo(PinKind.Helm));
            Assert.That(pin.Key, Is.EqualTo("image"));
            Assert.That(File.Exists(RepoPaths.InRepo("samples", "delivery-repo", pin.File)), Is.True, pin.File);
        }

        Assert.That(config.Next(config.Environment("dev"))!.Name, Is.EqualTo("staging"));
        Assert.That(config.Next(prod), Is.Null);
        Assert.That(config.Provenance!.Apps["myapp"].SourceRepository, Is.EqualTo("https://github.com/example-org/myapp"));
        Assert.That(config.ResolveApp(null, "127.0.0.1:5000/handoff/myapp").Name, Is.EqualTo("myapp"));
    }

    [Test]
    public void A_default_pin_with_env_placeholder_applies_to_every_environment_and_kinds_are_read()
    {
        var config = Parse("""
            version: 1
            environments: [dev, {name: prod, labels: [prod]}]
            apps:
              api:
                image: ghcr.io/org/api
                pin: { file: "overlays/{env}/kustomization.yaml", kustomize: ghcr.io/org/api }
              worker:
                environments:
                  dev: { file: dev/worker.yaml, yaml: "spec.template.spec.containers[name=worker].image" }
                  prod: { file: clusters/prod/worker.yaml, yaml: spec.values.image.digest, value: digest }
            """);

        var api = config.App("api");
        Assert.That(config.Pin(api, config.Environment("prod")), Is.EqualTo(new PinLocation(PinKind.Kustomize, "overlays/prod/kustomization.yaml", "ghcr.io/org/api", YamlPinValue.Reference, new ConfigLocation("handoff.yaml", 6, 5))));
        var worker = config.App("worker");
        Assert.That(config.Pin(worker, config.Environment("dev")).Value, Is.EqualTo(YamlPinValue.Reference));
        Assert.That(config.Pin(worker, config.Environment("prod")).Value, Is.EqualTo(YamlPinValue.Digest));
        Assert.That(config.Environment("prod").Labels, Is.EqualTo(new[] { "prod" }));
        Assert.That(() => config.ResolveApp(null, "docker.io/library/nginx"), Throws.TypeOf<HandoffException>().With.Message.Contains("Pass --app=NAME"));
    }

    [TestCase("environments: [dev]\n", "handoff.yaml:1:1: missing 'apps:'.")]
    [TestCase("apps: {}\n", "handoff.yaml:1:1: missing 'environments:'.")]
    [TestCase("environments: [dev, dev]\napps: {a: {pin: {file: a.yaml, helm: image}}}\n", "handoff.yaml:1:21: environment 'dev' is listed twice.")]
    [TestCase("environments: [Dev]\napps: {}\n", "handoff.yaml:1:16: environment name 'Dev' is not allowed. Use lowercase letters, digits and '-' (it becomes part of branch names and labels), e.g. dev.")]
    [TestCase("version: 2\nenvironments: [dev]\napps: {}\n", "handoff.yaml:1:10: version 2 is not supported.")]
    [TestCase("environments: [dev]\napps:\n  a:\n    environments:\n      qa: {file: a.yaml, helm: image}\n", "handoff.yaml:5:11: apps.a.environments names 'qa', which is not under environments:.")]
    [TestCase("environments: [dev]\napps:\n  a:\n    pin: {file: a.yaml}\n", "handoff.yaml:4:10: apps.a.pin does not say where the image is in a.yaml.")]
    [TestCase("environments: [dev]\napps:\n  a:\n    pin: {file: a.yaml, helm: image, kustomize: x}\n", "handoff.yaml:4:10: apps.a.pin gives helm: and kustomize:; only one is allowed.")]
    [TestCase("environments: [dev]\napps:\n  a:\n    pin: {file: ../outside.yaml, helm: image}\n", "handoff.yaml:4:17: '../outside.yaml' is not a path inside the repository.")]
    [TestCase("environments: [dev]\napps:\n  a:\n    pin: {file: /etc/values.yaml, helm: image}\n", "handoff.yaml:4:17: '/etc/values.yaml' is not a path inside the repository.")]
    [TestCase("environments: [dev]\napps:\n  a:\n    imgae: x\n", "handoff.yaml:4:5: unknown key 'imgae' in apps.a. Allowed keys: image, writeRepository, pin, environments, render (did you mean 'image'?).")]
    [TestCase("environments: [dev]\napps:\n  a:\n    image: x\n", "handoff.yaml:4:5: app 'a' is not pinned in any environment.")]
    [TestCase("environments: [dev\napps: {}\n", "handoff.yaml: not valid YAML: the parser stopped before the end of the file. Look for an unclosed")]
    [TestCase("environments: [dev]\napps: {a: {pin: {file: a.yaml, helm: image}}}\nprovenance:\n  apps:\n    b: {sourceRepository: x}\n", "handoff.yaml:5:8: provenance.apps names 'b', which is not under apps:.")]
    public void Mistakes_are_located_and_explained(string yaml, string expectedStart) =>
        Assert.That(Error(yaml), Does.StartWith(expectedStart));

    [Test]
    public void A_pin_names_its_document_in_a_multi_document_file()
    {
        var config = Parse("""
            environments: [dev, prod]
            apps:
              api:
                environments:
                  dev: { file: dev/api.yaml, yaml: spec.values.image.digest, value: digest, document: 1 }
                  prod: { file: prod/values.yaml, helm: image, document: 0 }
            """);

        var api = config.App("api");
        Assert.That(config.Pin(api, config.Environment("dev")).Document, Is.EqualTo(1));
        Assert.That(config.Pin(api, config.Environment("dev")).Describe(), Is.EqualTo("dev/api.yaml (path 'spec.values.image.digest' in document index 1)"));
        Assert.That(config.Pin(api, config.Environment("prod")).Document, Is.EqualTo(0));
    }

    [TestCase("{file: a.yaml, helm: image, document: first}", "handoff.yaml:4:48: apps.a.pin.document 'first' is not a document index. Write the 0-based index")]
    [TestCase("{file: a.yaml, helm: image, document: -1}", "handoff.yaml:4:48: apps.a.pin.document '-1' is not a document index.")]
    [TestCase("{file: a.yaml, kustomize: x, document: 0}", "handoff.yaml:4:49: document: applies only to helm: and yaml: pins; a kustomization.yaml is a single document.")]
    public void A_bad_document_is_located_and_explained(string pin, string expectedStart) =>
        Assert.That(Error($"environments: [dev]\napps:\n  a:\n    pin: {pin}\n"), Does.StartWith(expectedStart));

    [Test]
    public void Links_hold_the_artifact_template_and_default_to_none()
    {
        const string minimal = "environments: [dev]\napps: {a: {pin: {file: a.yaml, helm: image}}}\n";
        Assert.That(Parse(minimal).Links.Artifact, Is.Null);
        var config = Parse(minimal + "links:\n  artifact: https://registry.example.com/{registry}/{repository}/manifests/{digest}\n");
        Assert.That(config.Links.Artifact, Is.EqualTo("https://registry.example.com/{registry}/{repository}/manifests/{digest}"));
    }

    [TestCase("https://ui.example.com/{repo}/{digest}", "handoff.yaml:4:13: links.artifact uses {repo}, which is not a placeholder. Use {registry}, {repository}, {digest}, e.g. https://registry.example.com/{repository}/manifests/{digest}.")]
    [TestCase("https://ui.example.com/{repository}", "handoff.yaml:4:13: links.artifact has no {digest}, so every artifact would link to the same page.")]
    [TestCase("https://ui.example.com/(x)/{digest}", "handoff.yaml:4:13: links.artifact contains a space, '(', ')', '<' or '>', which break a Markdown link.")]
    [TestCase("ui.example.com/{digest}", "handoff.yaml:4:13: links.artifact 'ui.example.com/{digest}' is not an http(s) URL template.")]
    public void A_bad_link_template_is_located_and_explained(string template, string expectedStart) =>
        Assert.That(Error($"environments: [dev]\napps: {{a: {{pin: {{file: a.yaml, helm: image}}}}}}\nlinks:\n  artifact: {template}\n"), Does.StartWith(expectedStart));

    [Test]
    public void An_app_can_have_its_own_provenance_key()
    {
        var config = Parse("""
            environments: [dev]
            apps:
              a: {pin: {file: a.yaml, helm: image}}
              b: {pin: {file: b.yaml, helm: image}}
              c: {pin: {file: c.yaml, helm: image}}
            provenance:
              publicKey: keys/shared.pub
              apps:
                a:
                  publicKey: ./keys/a.pub
                  sourceRepository: https://github.com/example-org/a
                b:
                  builderId: https://ci.example.com/b
            """);

        var provenance = config.Provenance!;
        Assert.That((provenance.KeyFor("a"), provenance.KeyFor("b"), provenance.KeyFor("c")), Is.EqualTo(("keys/a.pub", "keys/shared.pub", "keys/shared.pub")));
        Assert.That(provenance.Apps["a"].DefinedAt, Is.EqualTo(new ConfigLocation("handoff.yaml", 9, 5)));
        Assert.That(provenance.VerifiesAny, Is.True);
        Assert.That(Parse("environments: [dev]\napps: {a: {pin: {file: a.yaml, helm: image}}}\nprovenance:\n  apps:\n    a: {publicKey: k.pub}\n").Provenance!.VerifiesAny, Is.True, "one app's key turns verification on");
        Assert.That(Error("environments: [dev]\napps: {a: {pin: {file: a.yaml, helm: image}}}\nprovenance:\n  apps:\n    a: {publicKey: /etc/k.pub}\n"),
            Does.StartWith("handoff.yaml:5:20: '/etc/k.pub' is not a path inside the repository."));
    }

    [Test]
    public void Lookups_name_what_exists()
    {
        var config = Parse("environments: [dev, prod]\napps:\n  a:\n    environments:\n      dev: {file: a.yaml, helm: image}\n");
        Assert.That(() => config.Pin(config.App("a"), config.Environment("prod")),
            Throws.TypeOf<HandoffException>().With.Message.EqualTo("handoff.yaml:3: app 'a' is not deployed to 'prod' (it is deployed to: dev). Add 'prod' under apps.a.environments in handoff.yaml."));
    }

    [TestCase("handoff/myapp", "127.0.0.1:5000/handoff/myapp", true)]
    [TestCase("ghcr.io/org/myapp", "ghcr.io/org/myapp", true)]
    [TestCase("ghcr.io/org/myapp", "org/myapp", true)]
    [TestCase("handoff/myapp", "127.0.0.1:5000/handoff/myapp2", false)]
    [TestCase("handoff/myapp", "127.0.0.1:5000/other/myapp", false)]
    public void Image_names_match_with_or_without_registry(string configured, string actual, bool same) =>
        Assert.That(ImageNames.SameRepository(configured, actual), Is.EqualTo(same));
}
