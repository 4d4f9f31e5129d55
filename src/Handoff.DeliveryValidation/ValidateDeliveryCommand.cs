using System.Diagnostics;
using System.Text.RegularExpressions;
using Handoff.Delivery.Config;
using Handoff.DeliveryValidation.Checks;
using Handoff.DeliveryValidation.Rendering;
using Handoff.DeliveryValidation.Reporting;
using Handoff.DeliveryValidation.Repository;
using Handoff.DeliveryValidation.Scope;
using Handoff.Rendering;
using Handoff.Reports;
using Handoff.Validation.Loading;

namespace Handoff.DeliveryValidation;

/// <summary>
/// <c>./build.sh --target=ValidateDelivery</c>: proves in the delivery repository's own CI that a change
/// (a promotion pull request) is deployable and compliant before it is merged. It renders every affected
/// app and environment exactly as Argo CD / Flux would, validates the objects against their JSON schemas
/// and the repository's Kyverno policies, and checks deployment freezes, the chain of custody between
/// environments and the provenance of newly pinned digests. Every problem becomes a finding in the
/// console table, summary.md, junit.xml, results.sarif, GitHub annotations and GitLab code quality.
/// </summary>
public static partial class ValidateDeliveryCommand
{
    /// <summary>Runs the gate. Never throws for bad input: every problem is a finding and the exit code is 1 on any error.</summary>
    public static async Task<DeliveryValidationResult> RunAsync(ValidateDeliveryOptions options, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var watch = Stopwatch.StartNew();
        var root = Path.GetFullPath(options.RepositoryRoot);
        var findings = new FindingCollector();
        var run = new Run(options, root, findings, output);
        try
        {
            await run.ExecuteAsync(cancellationToken);
        }
        catch (InputFileException ex)
        {
            findings.Add(CheckKinds.Config, "handoff-yaml", ex);
        }
        catch (HandoffException ex)
        {
            findings.Add(new Finding { Check = CheckKinds.Config, RuleId = "setup", Severity = FindingSeverity.Error, Message = ex.Message });
        }

        var report = findings.ToReport(watch.Elapsed);
        var ci = options.Ci ?? ReportPublisher.Detect(options.EnvironmentVariables);
        var artifacts = options.ArtifactsDirectory ?? Path.Combine(root, "artifacts", "validation");
        var files = ReportPublisher.Publish(report, artifacts, ci, output);
        return new DeliveryValidationResult(report, report.Failed ? 1 : 0, files, run.Validated, run.ScopeSummary);
    }

    /// <summary>One run's state: the steps in order, each feeding the next.</summary>
    private sealed class Run(ValidateDeliveryOptions options, string root, FindingCollector findings, TextWriter output)
    {
        private readonly int _parallelism = options.MaxParallelism > 0 ? options.MaxParallelism : Environment.ProcessorCount;

        public List<ValidatedTarget> Validated { get; } = [];

        public string ScopeSummary { get; private set; } = "nothing validated";

        public async Task ExecuteAsync(CancellationToken cancellationToken)
        {
            if (!Directory.Exists(root))
            {
                throw new HandoffException($"{root} does not exist. Run ValidateDelivery in the delivery repository checkout, or pass its path.");
            }

            var kubeVersion = NormalizeKubeVersion(options.KubeVersion);
            var config = HandoffConfigReader.Load(Path.Combine(root, HandoffConfig.FileName), HandoffConfig.FileName);
            var repository = new DeliveryRepository(root, options.GitPath);
            var targets = TargetCatalog.Build(config, root);
            var inputs = targets.ToDictionary(t => t, t => TargetInputs.For(t, repository));
            var artifacts = Path.GetFullPath(options.ArtifactsDirectory ?? Path.Combine(root, "artifacts", "validation"));
            var ownFiles = new[] { artifacts, options.SchemaCacheDirectory is { } cache ? Path.GetFullPath(cache) : null }.Select(f => f is null ? null : Inside(root, f)).OfType<string>().ToList();
            var changes = options.Base is { Length: > 0 } baseRef ? await ChangeSet.ReadAsync(repository, baseRef, ownFiles, cancellationToken) : null;
            var scope = ScopeResolver.Resolve(config, targets, inputs, changes, options.App, options.Environment);
            ScopeSummary = scope.Summary;
            output.WriteLine($"ValidateDelivery: {scope.Summary}");
            ReportUnrendered(config, scope);

            using var baseTip = changes is null ? null : new RevisionFiles(repository, changes.BaseCommit);
            using var mergeBase = changes is null ? null : new RevisionFiles(repository, changes.MergeBase);
            var history = new DeliveryHistory(repository);
            var change = changes is null ? null : new ChangeContext(changes, baseTip!, mergeBase!, history);

            var loader = new ManifestLoader(new ManifestLoaderOptions { DuplicateKeysAreErrors = true, MaxDegreeOfParallelism = _parallelism });
            var renderer = new ManifestRenderer(options.Tooling ?? CakeTooling.Standalone(root), options.RenderCacheDirectory ?? DefaultCache(), _parallelism);
            var stage = new RenderStage(renderer, loader, config.Validation, kubeVersion, config.File, _parallelism);
            var renderWatch = Stopwatch.StartNew();
            var rendered = await stage.RenderAsync(scope.Targets, root, findings, cancellationToken);
            var documents = rendered.Sum(r => r.Documents.Count);
            output.WriteLine($"ValidateDelivery: rendered {rendered.Count(r => r.Load is not null)} of {rendered.Count} target(s), {documents} object(s), in {renderWatch.Elapsed.TotalSeconds:0.00} s");
            Validated.AddRange(rendered.Select(r => new ValidatedTarget(r.Target.App.Name, r.Target.Environment.Name, r.Scoped.ChangedFiles, r.Load is not null)));

            // Every CRD the clusters get is known before the first object is validated (see CrdCollector).
            var crds = await CrdCollector.CollectAsync(targets, rendered, stage, root, findings, cancellationToken);
            using var schemas = CreateSchemas(repository, config, scope, kubeVersion, crds, loader);
            var provenanceConfigured = config.Provenance?.VerifiesAny == true;
            var policies = PolicySet.Load(repository, config, provenanceConfigured, findings);
            using var provenance = await Attempt(CheckKinds.Provenance, () => ProvenanceCheck.CreateAsync(config, repository, change, options.ProvenanceRegistry, options.Registry, findings, cancellationToken));

            var manifests = Task.Run(() =>
            {
                var watch = Stopwatch.StartNew();
                CheckManifests(rendered, schemas, policies, config, kubeVersion);
                var seconds = watch.Elapsed.TotalSeconds;
                output.WriteLine($"ValidateDelivery: checked {documents} object(s) against schemas and {policies.Policies.Count} polic{(policies.Policies.Count == 1 ? "y" : "ies")} in {seconds:0.00} s ({(seconds > 0 ? documents / seconds : 0):0} objects/s)");
            }, cancellationToken);
            // The merge base is resolved and rendered with its own handoff.yaml and Applications, not the change's.
            var mergeBaseTargets = mergeBase is null ? null : new MergeBaseTargets(mergeBase, config, kubeVersion,
                old => new RenderStage(renderer, loader, old.Validation, kubeVersion, old.File, _parallelism));
            var freeze = Attempt(CheckKinds.Freeze, () =>
                new FreezeCheck(config, repository, options.Clock, (heads, ct) => mergeBaseTargets!.ResolveAsync(heads, ct))
                    .CheckAsync(rendered, change, findings, cancellationToken));
            var custody = Attempt(CheckKinds.Custody, () =>
            {
                var check = new CustodyCheck(config, repository, history);
                return Parallel.ForEachAsync(scope.Targets, new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken },
                    async (target, ct) => await check.CheckAsync(target, change, findings, ct));
            });
            var verification = provenance is null ? Task.CompletedTask : Attempt(CheckKinds.Provenance, () => provenance.CheckAsync(scope.Targets, change, findings, cancellationToken));
            await Task.WhenAll(manifests, freeze, custody, verification);
        }

        /// <summary>The repository-relative folder of <paramref name="path"/> when it is inside the repository (reports of earlier runs are not changes).</summary>
        private static string? Inside(string root, string path) =>
            path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/') : null;

        private void CheckManifests(IReadOnlyList<RenderedTarget> rendered, SchemaRegistries? schemas, PolicySet policies, HandoffConfig config, string? kubeVersion)
        {
            var schemaCheck = schemas is null ? null : new SchemaCheck(r => schemas.For(ClusterVersion.For(r.Target, config.Validation, kubeVersion), r.Target.Environment.Name));
            var clock = options.Clock;
            var policyCheck = new PolicyCheck(policies, () => clock.GetUtcNow());
            Parallel.ForEach(rendered.Where(r => r.Load is not null), new ParallelOptions { MaxDegreeOfParallelism = _parallelism }, target =>
            {
                schemaCheck?.Check(target, findings);
                policyCheck.Check(target, findings);
            });
        }

        private SchemaRegistries? CreateSchemas(DeliveryRepository repository, HandoffConfig config, ValidationScope scope, string? kubeVersion,
            IReadOnlyDictionary<string, IReadOnlyList<ManifestDocument>> crds, ManifestLoader loader)
        {
            var warnings = new List<string>();
            try
            {
                var versions = scope.Targets.Select(t => ClusterVersion.For(t.Target, config.Validation, kubeVersion).KubeVersion ?? "master");
                return SchemaRegistries.Create(repository, config.Validation, options, versions, crds, loader, _parallelism, warnings);
            }
            catch (HandoffException ex)
            {
                var at = config.Validation.DefinedAt ?? new ConfigLocation(config.File, 1, 1);
                findings.Add(new Finding
                {
                    Check = CheckKinds.Schema,
                    RuleId = "schema-settings",
                    Severity = FindingSeverity.Error,
                    Message = repository.Scrub(ex.Message),
                    Fix = "Fix validation.schemaLocations / kubeVersion in handoff.yaml, or the --schema-location / --kube-version options.",
                    File = at.File,
                    Line = at.Line,
                    Column = at.Column,
                });
                return null;
            }
            finally
            {
                foreach (var warning in warnings)
                {
                    findings.Add(new Finding { Check = CheckKinds.Schema, RuleId = "crds", Severity = FindingSeverity.Warning, Message = warning, File = config.File });
                }
            }
        }

        /// <summary>An app with no render: settings can still be checked for freezes, custody and provenance, but not deployed in review.</summary>
        private void ReportUnrendered(HandoffConfig config, ValidationScope scope)
        {
            foreach (var app in scope.Targets.Where(t => t.Target.Render is null && t.Target.RenderProblem is null).Select(t => t.Target.App).Distinct())
            {
                findings.Add(new Finding
                {
                    Check = CheckKinds.Render,
                    RuleId = "no-render-settings",
                    Severity = FindingSeverity.Warning,
                    Message = $"app '{app.Name}' has no render: settings, so its manifests are not rendered, schema-validated or policy-checked.",
                    Fix = $"Add apps.{app.Name}.render to {config.File}, e.g. render: {{helm: {{chart: apps/{app.Name}/chart, valuesFiles: [\"env/{{env}}/values.yaml\"]}}}} (see the delivery repository README).",
                    App = app.Name,
                    File = config.File,
                    Line = app.DefinedAt.Line,
                    Column = app.DefinedAt.Column,
                });
            }
        }

        /// <summary>A check that fails on a git or registry problem reports it and lets the other checks finish.</summary>
        private async Task Attempt(string check, Func<Task> action)
        {
            try
            {
                await action();
            }
            catch (HandoffException ex)
            {
                Report(check, ex);
            }
        }

        private async Task<T?> Attempt<T>(string check, Func<Task<T?>> action) where T : class
        {
            try
            {
                return await action();
            }
            catch (HandoffException ex)
            {
                Report(check, ex);
                return null;
            }
        }

        private void Report(string check, HandoffException problem)
        {
            if (problem is InputFileException located)
            {
                findings.Add(check, "input", located);
            }
            else
            {
                findings.Add(new Finding { Check = check, RuleId = "error", Severity = FindingSeverity.Error, Message = problem.Message });
            }
        }
    }

    /// <summary>Per user, so another account on a shared machine cannot plant rendered manifests for us to validate.</summary>
    private static string DefaultCache()
    {
        var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
        return Path.Combine(local.Length > 0 ? local : Path.Combine(Path.GetTempPath(), "handoff-" + Environment.UserName), "handoff", "render-cache");
    }

    private static string? NormalizeKubeVersion(string? version)
    {
        if (string.IsNullOrWhiteSpace(version))
        {
            return null;
        }

        return KubeVersionPattern().Match(version.Trim()) is { Success: true } match
            ? $"{match.Groups["major"].Value}.{match.Groups["minor"].Value}.{(match.Groups["patch"].Success ? match.Groups["patch"].Value : "0")}"
            : throw new HandoffException($"--kube-version={version} is not a Kubernetes version: write MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. --kube-version=1.34.0.");
    }

    [GeneratedRegex(@"^v?(?<major>\d{1,3})\.(?<minor>\d{1,3})(?:\.(?<patch>\d{1,4}))?$")]
    private static partial Regex KubeVersionPattern();
}
