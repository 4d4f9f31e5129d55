using System.Collections.Concurrent;
using Handoff.Delivery.Config;
using Handoff.DeliveryValidation.Reporting;
using Handoff.DeliveryValidation.Repository;
using Handoff.DeliveryValidation.Scope;
using Handoff.Oci;
using Handoff.Reports;
using Handoff.SupplyChain.Attestations;
using Handoff.SupplyChain.Signing;
using Handoff.SupplyChain.Verification;

namespace Handoff.DeliveryValidation.Checks;

/// <summary>
/// Provenance of what a change pins (every current digest when auditing): the signed SLSA provenance
/// attached to the digest in its registry must verify with the app's key (provenance.apps.&lt;app&gt;.publicKey,
/// else provenance.publicKey) and name the expected builder and source repository. Keys are read from the
/// base branch when there is one, so a change cannot bring its own key. An app without a key, or without
/// a sourceRepository to compare with, gets a note saying what is not verified.
/// </summary>
internal sealed class ProvenanceCheck : IDisposable
{
    private readonly HandoffConfig _config;
    private readonly ProvenanceConfig _provenance;
    private readonly DeliveryRepository _repository;
    private readonly IReadOnlyDictionary<string, EcdsaP256Verifier> _verifiers;
    private readonly string? _defaultRegistry;
    private readonly RegistryClientOptions? _registryOptions;
    private readonly ConcurrentDictionary<string, RegistryClient> _clients = new(StringComparer.Ordinal);

    private ProvenanceCheck(HandoffConfig config, ProvenanceConfig provenance, DeliveryRepository repository, IReadOnlyDictionary<string, EcdsaP256Verifier> verifiers, string? defaultRegistry, RegistryClientOptions? registryOptions)
    {
        _config = config;
        _provenance = provenance;
        _repository = repository;
        _verifiers = verifiers;
        _defaultRegistry = defaultRegistry;
        _registryOptions = registryOptions;
    }

    /// <summary>The check, or null when provenance is not configured (a note says so) or no key is usable (errors say why).</summary>
    public static async Task<ProvenanceCheck?> CreateAsync(HandoffConfig config, DeliveryRepository repository, ChangeContext? change, string? registryOverride, RegistryClientOptions? registryOptions, FindingCollector findings, CancellationToken cancellationToken)
    {
        if (config.Provenance is not { } provenance)
        {
            return null;
        }

        var at = provenance.DefinedAt ?? new ConfigLocation(config.File, 1, 1);
        if (!provenance.VerifiesAny)
        {
            findings.Add(new Finding
            {
                Check = CheckKinds.Provenance,
                RuleId = "no-public-key",
                Severity = FindingSeverity.Note,
                Message = "provenance: has no publicKey, so the provenance of pinned digests is not verified.",
                Fix = "Set provenance.publicKey (or provenance.apps.<app>.publicKey) to the public key the Publish pipeline signs with (.handoff/signing-key.pub of the app repository, committed here).",
                File = at.File,
                Line = at.Line,
                Column = at.Column,
            });
            return null;
        }

        // Each key once, wherever it is named (top level or per app), so its problems are reported once.
        var keys = new List<(string File, ConfigLocation At, string Setting)>();
        if (provenance.PublicKey is { } shared)
        {
            keys.Add((shared, at, "provenance.publicKey"));
        }

        foreach (var (app, settings) in provenance.Apps)
        {
            if (settings.PublicKey is { } own && keys.All(k => k.File != own))
            {
                keys.Add((own, settings.DefinedAt ?? at, $"provenance.apps.{app}.publicKey"));
            }
        }

        var verifiers = new Dictionary<string, EcdsaP256Verifier>(StringComparer.Ordinal);
        foreach (var (keyFile, keyAt, setting) in keys)
        {
            if (await LoadKeyAsync(keyFile, keyAt, setting, repository, change, findings, cancellationToken) is { } verifier)
            {
                verifiers[keyFile] = verifier;
            }
        }

        return verifiers.Count == 0 ? null : new ProvenanceCheck(config, provenance, repository, verifiers, registryOverride ?? provenance.Registry, registryOptions);
    }

    private static async Task<EcdsaP256Verifier?> LoadKeyAsync(string keyFile, ConfigLocation at, string setting, DeliveryRepository repository, ChangeContext? change, FindingCollector findings, CancellationToken cancellationToken)
    {
        var headKey = repository.ReadText(keyFile);
        var baseKey = change is null ? null : await change.BaseTip.ReadTextAsync(keyFile, cancellationToken);
        var pem = baseKey ?? headKey;
        if (pem is null)
        {
            findings.Add(CheckKinds.Provenance, "public-key", new InputFileException(at.File, at.Line, at.Column,
                $"{setting} names {keyFile}, which does not exist.", $"Commit the public key (the .pub from ./build.sh --target=GenerateSigningKey) at that path, or fix {setting}."));
            return null;
        }

        if (change is not null && baseKey is null)
        {
            findings.Add(new Finding
            {
                Check = CheckKinds.Provenance,
                RuleId = "public-key-added",
                Severity = FindingSeverity.Warning,
                Message = $"{keyFile} is not on {change.Changes.BaseRef} yet: digests are verified with the key this change brings.",
                Fix = "Add the key in a request of its own, reviewed by the release managers, before promoting images with it.",
                File = keyFile,
            });
        }

        if (change is not null && baseKey is not null && headKey is not null && headKey != baseKey)
        {
            findings.Add(new Finding
            {
                Check = CheckKinds.Provenance,
                RuleId = "public-key-changed",
                Severity = FindingSeverity.Warning,
                Message = $"this change replaces {keyFile}; digests are verified with the key on {change.Changes.BaseRef}, because a change must not bring the key it is judged by.",
                Fix = "Change the key in a request of its own, merged before images signed with the new key are promoted.",
                File = keyFile,
            });
        }

        try
        {
            return EcdsaP256Verifier.FromPem(pem, keyFile);
        }
        catch (HandoffException ex)
        {
            findings.Add(new Finding { Check = CheckKinds.Provenance, RuleId = "public-key", Severity = FindingSeverity.Error, Message = ex.Message, File = keyFile });
            return null;
        }
    }

    public async Task CheckAsync(IReadOnlyList<ScopedTarget> targets, ChangeContext? change, FindingCollector findings, CancellationToken cancellationToken)
    {
        var work = new List<(Target Target, ImageReference Image, int Line)>();
        ReportUnverifiedSettings(targets.Select(t => t.Target.App.Name).Distinct(StringComparer.Ordinal), findings);
        foreach (var scoped in targets)
        {
            var target = scoped.Target;
            if (!_verifiers.ContainsKey(_provenance.KeyFor(target.App.Name) ?? ""))
            {
                // No key for this app (noted above), or its key is unusable (an error says why).
                continue;
            }

            var text = _repository.ReadText(target.Pin.File);
            var pin = PinState.Read(target.Pin, text);
            if (pin.Digest is not { } digest)
            {
                continue;
            }

            if (change is not null && PinState.Read(target.Pin, await change.MergeBase.ReadTextAsync(target.Pin.File, cancellationToken)).Digest == digest)
            {
                continue;
            }

            var line = PinState.LineOf(text, digest.ToString());
            if (ImageOf(target, pin, digest, out var problem) is { } image)
            {
                work.Add((target, image, line));
            }
            else
            {
                findings.Add(Failure(target, "no-registry", problem!, line, $"Set provenance.registry in {_config.File} (or pass --provenance-registry) to the registry the image is pulled from, or write the full repository (registry/path) in {target.Pin.File}."));
            }
        }

        var verifications = new ConcurrentDictionary<(string Image, string App), Lazy<Task<VerificationResult>>>();
        await Task.WhenAll(work.Select(async item =>
        {
            var (target, image, line) = item;
            VerificationResult result;
            try
            {
                result = await verifications.GetOrAdd((image.Pinned, target.App.Name), _ => new Lazy<Task<VerificationResult>>(() => VerifyAsync(target.App.Name, image, cancellationToken))).Value;
            }
            catch (Exception ex) when (ex is HandoffException or HttpRequestException or IOException or TimeoutException)
            {
                findings.Add(Failure(target, "registry-error", $"cannot read the attestations of {image.Pinned}: {ex.Message}", line,
                    "Check that the registry is reachable from CI and that its credentials (HANDOFF_REGISTRY_USERNAME / HANDOFF_REGISTRY_PASSWORD or docker login) may read the repository."));
                return;
            }

            if (result.Verified)
            {
                findings.Run(CheckKinds.Provenance, target.Scope, 1);
                var facts = result.Facts!;
                findings.Add(new Finding
                {
                    Check = CheckKinds.Provenance,
                    RuleId = "verified",
                    Severity = FindingSeverity.Note,
                    Message = $"{image.Pinned} has signed provenance (key {facts.KeyId[..12]}): built by {facts.BuilderId} from {facts.SourceRepository ?? "(no repository)"}{(facts.SourceCommit is { } commit ? "@" + commit : "")}.",
                    App = target.App.Name,
                    Environment = target.Environment.Name,
                    File = target.Pin.File,
                    Line = line,
                });
                return;
            }

            findings.Add(Failure(target, FindingText.Kebab(result.Failure.ToString()), $"{image.Pinned} is not verified: {result.Reason}.", line,
                $"Pin only digests published by the release pipeline (./build.sh --target=Publish signs and attaches their provenance); if it was, check the key (provenance.apps.{target.App.Name}.publicKey, else provenance.publicKey), builderId and sourceRepository in {_config.File}."));
        }));
    }

    /// <summary>What is not verified for the apps in scope, said once per app rather than silently skipped.</summary>
    private void ReportUnverifiedSettings(IEnumerable<string> apps, FindingCollector findings)
    {
        var at = _provenance.DefinedAt ?? new ConfigLocation(_config.File, 1, 1);
        foreach (var app in apps)
        {
            var settings = _provenance.Apps.GetValueOrDefault(app);
            var where = settings?.DefinedAt ?? at;
            if (_provenance.KeyFor(app) is null)
            {
                Note(app, where, "app-not-verified",
                    $"{app} has no public key (neither provenance.apps.{app}.publicKey nor provenance.publicKey), so the provenance of its digests is not verified.",
                    $"Set provenance.apps.{app}.publicKey to the key {app}'s Publish pipeline signs with.");
            }
            else if (settings?.SourceRepository is null)
            {
                Note(app, where, "no-source-repository",
                    $"provenance.apps.{app}.sourceRepository is not set, so the signature and builder of {app}'s digests are verified, but not which repository they were built from.",
                    $"Set provenance.apps.{app}.sourceRepository to {app}'s repository URL (e.g. https://github.com/example-org/{app}).");
            }
        }

        void Note(string app, ConfigLocation where, string ruleId, string message, string fix) => findings.Add(new Finding
        {
            Check = CheckKinds.Provenance,
            RuleId = ruleId,
            Severity = FindingSeverity.Note,
            Message = message,
            Fix = fix,
            App = app,
            File = where.File,
            Line = where.Line,
            Column = where.Column,
        });
    }

    private Task<VerificationResult> VerifyAsync(string app, ImageReference image, CancellationToken cancellationToken)
    {
        var client = _clients.GetOrAdd(image.Registry, registry => new RegistryClient(registry, _registryOptions));
        var perApp = _provenance.Apps.GetValueOrDefault(app);
        return new ProvenanceVerifier(new OciReferrerStore(client), _verifiers[_provenance.KeyFor(app)!]).VerifyAsync(image, new VerificationPolicy
        {
            ExpectedBuilderId = perApp?.BuilderId ?? _provenance.BuilderId,
            ExpectedSourceRepository = perApp?.SourceRepository,
        }, ct: cancellationToken);
    }

    /// <summary>The pinned image by digest. The registry is the repository's own host when it names one, else provenance.registry.</summary>
    private ImageReference? ImageOf(Target target, PinState pin, Digest digest, out string? problem)
    {
        var repository = (pin.Repository ?? target.App.Image)?.Trim();
        problem = null;
        if (string.IsNullOrEmpty(repository))
        {
            problem = $"{target.Pin.Describe()} names no image repository and apps.{target.App.Name}.image is not set, so there is no image to verify {digest} in.";
            return null;
        }

        var slash = repository.IndexOf('/');
        var first = slash > 0 ? repository[..slash] : "";
        var explicitRegistry = first.Contains('.') || first.Contains(':') || first == "localhost";
        var registry = explicitRegistry ? first : _defaultRegistry;
        var path = explicitRegistry ? repository[(slash + 1)..] : repository;
        if (registry is null)
        {
            problem = $"the pinned repository '{repository}' names no registry, so it is unknown where the provenance of {digest} is.";
            return null;
        }

        try
        {
            return new ImageReference(registry, path, null, digest);
        }
        catch (FormatException ex)
        {
            problem = $"'{registry}/{path}' is not an image name: {ex.Message}";
            return null;
        }
    }

    private static Finding Failure(Target target, string rule, string message, int line, string fix) => new()
    {
        Check = CheckKinds.Provenance,
        RuleId = rule,
        Severity = FindingSeverity.Error,
        Message = message,
        Fix = fix,
        App = target.App.Name,
        Environment = target.Environment.Name,
        File = target.Pin.File,
        Line = line,
    };

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        foreach (var verifier in _verifiers.Values)
        {
            verifier.Dispose();
        }
    }
}
