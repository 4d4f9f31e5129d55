using Handoff.Delivery.Config;
using Handoff.DeliveryValidation.Repository;
using Handoff.DeliveryValidation.Scope;
using Handoff.DeliveryValidation.Tests.Support;
using Handoff.Reports;
using static Handoff.DeliveryValidation.Tests.Support.ReportAssertions;

namespace Handoff.DeliveryValidation.Tests;

/// <summary>--base validates what a change touches, and only that: a repository with two apps (myapp by Helm, api as plain manifests).</summary>
public sealed class ScopeTests
{
    [Test]
    public async Task A_one_app_change_validates_only_that_app_in_that_environment()
    {
        using var workspace = await DeliveryWorkspace.CreateAsync(Variants.TwoApps);
        var branch = await workspace.OpenAsync(DeliveryWorkspace.Release(), "dev", "myapp");

        var run = await workspace.ValidateAsync(workspace.Checkout(branch), "main");

        AssertPassed(run, "myapp/dev");
        Assert.That(run.Result.Targets.Select(t => t.Scope), Is.EqualTo(new[] { "myapp/dev" }));
        Assert.That(run.Console, Does.StartWith("ValidateDelivery: 1 of 6 app/environment pairs affected"));
        var scopes = run.Report.Runs.Select(r => r.Scope).Concat(run.Report.Findings.Select(f => f.Scope)).Distinct();
        Assert.That(scopes, Is.SubsetOf(new[] { "myapp/dev", "dev", "repository" }), "nothing of api, staging or prod was rendered or checked");
        Assert.That(run.Report.Runs.Where(r => r.Check == CheckKinds.Render).Select(r => r.Scope), Is.EqualTo(new[] { "myapp/dev" }));
    }

    [Test]
    public async Task A_plain_manifest_change_validates_that_app_and_audit_covers_both_apps()
    {
        using var workspace = await DeliveryWorkspace.CreateAsync(Variants.TwoApps);
        var manifest = Variants.ApiDeployment.Replace("replicas: 1", "replicas: 2", StringComparison.Ordinal);
        workspace.Commit("api-replicas", new Dictionary<string, string?> { ["env/staging/api/deployment.yaml"] = manifest });

        var run = await workspace.ValidateAsync(workspace.Checkout("api-replicas"), "main");

        Assert.That(run.Result.Targets.Select(t => t.Scope), Is.EqualTo(new[] { "api/staging" }));
        AssertPassed(run, "api/staging");
        Assert.That(run.Report.Runs.Single(r => r.Check == CheckKinds.Schema).ItemsChecked, Is.EqualTo(1));

        var audit = await workspace.ValidateAsync(workspace.Checkout(), configure: o => o with { App = "api" });
        AssertPassed(audit, "api/dev", "api/staging", "api/prod");
    }

    [TestCase("env/dev/values.yaml", new[] { "myapp/dev" }, TestName = "a values file selects its app and environment")]
    [TestCase("env/dev/api/deployment.yaml", new[] { "api/dev" }, TestName = "a plain manifest selects its app and environment")]
    [TestCase("env/prod/freeze.yaml", new[] { "myapp/prod", "api/prod" }, TestName = "another file under env/prod selects prod's apps")]
    [TestCase("apps/myapp/chart/templates/service.yaml", new[] { "myapp/dev", "myapp/staging", "myapp/prod" }, TestName = "a chart file selects the app everywhere")]
    [TestCase("apps/myapp/app.yaml", new[] { "myapp/dev", "myapp/staging", "myapp/prod" }, TestName = "another file under apps/myapp selects the app everywhere")]
    [TestCase("policies/require-labels.yaml", new[] { "myapp/dev", "api/dev", "myapp/staging", "api/staging", "myapp/prod", "api/prod" }, TestName = "a policy selects everything")]
    [TestCase("handoff.yaml", new[] { "myapp/dev", "api/dev", "myapp/staging", "api/staging", "myapp/prod", "api/prod" }, TestName = "handoff.yaml selects everything")]
    [TestCase("README.md", new string[0], TestName = "documentation selects nothing")]
    [TestCase("clusters/dev/myapp/helmrelease.yaml", new string[0], TestName = "files no target renders from select nothing")]
    public void Changed_files_select_targets(string file, string[] expected)
    {
        var root = Variants.TwoApps;
        var config = HandoffConfigReader.Load(Path.Combine(root, "handoff.yaml"), "handoff.yaml");
        var repository = new DeliveryRepository(root, "git");
        var targets = TargetCatalog.Build(config, root);
        var inputs = targets.ToDictionary(t => t, t => TargetInputs.For(t, repository));
        var changes = new ChangeSet("main", new string('a', 40), new string('b', 40), new SortedSet<string>([file]), new HashSet<string>());

        var scope = ScopeResolver.Resolve(config, targets, inputs, changes, null, null);

        Assert.That(scope.Targets.Select(t => t.Target.Scope), Is.EqualTo(expected));
        Assert.That(scope.Targets.All(t => t.ChangedFiles.SequenceEqual([file])), Is.True);
    }

    [Test]
    public void Kustomize_overlays_depend_on_the_bases_they_pull_in_and_charts_on_local_dependencies()
    {
        using var repo = new Testing.TempDirectory("handoff-inputs");
        repo.Write("handoff.yaml", """
            environments: [dev]
            apps:
              web:
                render: { kustomize: "overlays/{env}" }
                pin: { file: "overlays/{env}/kustomization.yaml", kustomize: web }
              chart:
                render: { helm: { chart: charts/app, valuesFiles: ["values/{env}.yaml"] } }
                pin: { file: "values/{env}.yaml", helm: image }
            """);
        repo.Write("overlays/dev/kustomization.yaml", "resources:\n  - ../../base\n  - extra.yaml\ncomponents:\n  - ../../components/probes\nimages:\n  - name: web\n");
        repo.Write("base/kustomization.yaml", "resources:\n  - deployment.yaml\n  - https://example.com/remote.yaml\n");
        repo.Write("base/deployment.yaml", "kind: Deployment\n");
        repo.Write("components/probes/kustomization.yaml", "kind: Component\n");
        repo.Write("charts/app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: common\n    version: 1.0.0\n    repository: file://../common\n");
        repo.Write("charts/common/Chart.yaml", "apiVersion: v2\nname: common\nversion: 1.0.0\n");
        var config = HandoffConfigReader.Load(repo.Combine("handoff.yaml"), "handoff.yaml");
        var repository = new DeliveryRepository(repo.Path, "git");
        var targets = TargetCatalog.Build(config, repo.Path);

        var web = TargetInputs.For(targets.Single(t => t.App.Name == "web"), repository);
        var chart = TargetInputs.For(targets.Single(t => t.App.Name == "chart"), repository);

        Assert.That(web.Paths, Is.EquivalentTo(new[] { "overlays/dev", "base", "components/probes" }));
        Assert.That(web.Contains("base/deployment.yaml"), Is.True);
        Assert.That(web.Contains("baseline/x.yaml"), Is.False, "a folder input covers what is under it, not names that start alike");
        Assert.That(chart.Paths, Is.EquivalentTo(new[] { "charts/app", "charts/common", "values/dev.yaml" }));
    }
}
