using System.Globalization;
using Handoff.Frosting;
using Handoff.Policy;
using Handoff.Validation;

namespace Handoff.Tasks.Validation;

[TaskName("ValidateManifests")]
[TaskDescription("kubeconform-grade schema validation: --path=FILE_OR_DIR (repeatable) [--strict] [--skip=KIND|GROUP/VERSION/KIND] [--reject=...] [--ignore-missing-schemas] [--schema-location=DIR|URL-TEMPLATE|default] [--kube-version=1.34.0] [--crds=PATH] [--output=text|json]; ends with kubeconform's summary line.")]
public sealed class ValidateManifestsTask : FrostingTask<HandoffContext>
{
    public override void Run(HandoffContext context)
    {
        var p = context.Parameters;
        IReadOnlyList<string> All(string name) => p.FindAll(name).SelectMany(v => v.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var paths = All("path").Select(context.InRoot).ToList();
        if (paths.Count == 0)
        {
            throw new MissingParameterException("path", "The manifests to validate: a file or folder, repeatable (--path=a.yaml --path=dir/).");
        }

        var options = new ManifestValidationOptions
        {
            Paths = paths,
            Strict = p.Flag("strict"),
            Skip = All("skip"),
            Reject = All("reject"),
            IgnoreMissingSchemas = p.Flag("ignore-missing-schemas"),
            // A schema location may be a URL template: only resolve it against the root when it is a local folder.
            SchemaLocations = All("schema-location").Select(l => l.Contains("://", StringComparison.Ordinal) || l == "default" ? l : context.InRoot(l)).ToList(),
            CrdPaths = All("crds").Select(context.InRoot).ToList(),
            KubernetesVersion = p.Get("kube-version", "master"),
            SchemaCacheDirectory = p.Get("schema-cache") is { } cache ? context.InRoot(cache) : Path.Combine(context.ArtifactsDirectory, ".schema-cache"),
            SchemaDownloadTimeout = TimeSpan.FromSeconds(double.Parse(p.Get("schema-timeout", "30"), CultureInfo.InvariantCulture)),
            Output = ManifestValidationOptions.ParseOutput(p.Get("output")),
            Verbose = p.Flag("verbose"),
        };

        // The summary line is the tool's output, not a log message: it goes to stdout as kubeconform prints it.
        var exit = ManifestValidationCommand.Run(options, Console.Out);
        if (exit != 0)
        {
            throw new HandoffException("Manifest validation failed: see the invalid resources and the summary above.");
        }
    }
}

[TaskName("PolicyTest")]
[TaskDescription("Runs Kyverno CLI tests (kyverno-test.yaml files) under --path=DIR with Handoff's Kyverno-compatible engine; one line per expectation, then 'N passed, N failed'.")]
public sealed class PolicyTestTask : FrostingTask<HandoffContext>
{
    public override void Run(HandoffContext context)
    {
        var path = context.InRoot(context.Parameters.Require("path", "A folder with kyverno-test.yaml files, e.g. --path=policies."));
        var exit = PolicyTestCommand.Run(path, Console.Out);
        if (exit != 0)
        {
            throw new HandoffException("Policy tests failed: see the FAIL lines above.");
        }
    }
}

[TaskName("ValidateDelivery")]
[TaskDescription("Delivery repo gate: renders every app × environment as the GitOps controller would, validates schemas and Kyverno policies, enforces freezes, chain of custody and provenance; --base=REF validates only what the change touches. Reports in artifacts/validation/.")]
public sealed class ValidateDeliveryTask : AsyncFrostingTask<HandoffContext>
{
    public override async Task RunAsync(HandoffContext context)
    {
        var p = context.Parameters;
        var locations = p.FindAll("schema-location").SelectMany(v => v.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        // The delivery repo is the folder the build runs in; --delivery-path points elsewhere (e.g. a checkout inside the app repo's CI job).
        var root = context.InRoot(p.Get("delivery-path", "."));
        var result = await Handoff.DeliveryValidation.ValidateDeliveryCommand.RunAsync(new Handoff.DeliveryValidation.ValidateDeliveryOptions
        {
            RepositoryRoot = root,
            Base = p.Get("base"),
            App = p.Get("app"),
            Environment = p.Get("env"),
            SchemaLocations = locations.Count == 0 ? null : locations,
            Strict = p.Get("strict") is null ? null : p.Flag("strict"),
            KubeVersion = p.Get("kube-version"),
            ProvenanceRegistry = p.Get("provenance-registry"),
            ArtifactsDirectory = context.Artifact("validation"),
            // Downloaded schemas are kept where ValidateManifests keeps them, so repeated runs (and both targets) download each once.
            SchemaCacheDirectory = p.Get("schema-cache") is { } cache ? context.InRoot(cache) : Path.Combine(context.ArtifactsDirectory, ".schema-cache"),
            Tooling = context.Tooling(),
            Registry = new Handoff.Oci.RegistryClientOptions { InsecureRegistries = Publish.PublishParameters.InsecureRegistries(context), Log = context.Verbose },
            Ci = CiDetector.Detect(context),
        }, Console.Out);
        if (result.ExitCode != 0)
        {
            throw new HandoffException($"Delivery validation failed with {result.Report.Errors} error(s); reports in {Path.GetRelativePath(context.RootDirectory, result.Files?.Summary is { } s ? Path.GetDirectoryName(s)! : root)}.");
        }
    }
}
