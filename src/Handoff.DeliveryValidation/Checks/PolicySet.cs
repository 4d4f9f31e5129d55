using System.Text.Json;
using System.Text.RegularExpressions;
using Handoff.Delivery.Config;
using Handoff.DeliveryValidation.Reporting;
using Handoff.DeliveryValidation.Repository;
using Handoff.Policy;
using Handoff.Reports;
using Handoff.Validation.Loading;

namespace Handoff.DeliveryValidation.Checks;

/// <summary>
/// The repository's Kyverno policies, loaded once for every target. Constructs the offline engine cannot
/// evaluate are reported once per rule, as errors, instead of once per resource. <c>verifyImages</c> rules
/// are the exception: their job (only run images with signed provenance from the expected builder) is
/// what the provenance check does before merge, so they are a note when provenance is configured and a
/// warning when it is not.
/// </summary>
internal sealed partial class PolicySet
{
    private PolicySet(IReadOnlyList<ClusterPolicy> policies, IReadOnlyDictionary<string, HashSet<string>> unsupported)
    {
        Policies = policies;
        UnsupportedRules = unsupported;
    }

    public IReadOnlyList<ClusterPolicy> Policies { get; }

    /// <summary>Per policy, the rules (source names, without autogen prefixes) whose per-resource errors are already reported.</summary>
    public IReadOnlyDictionary<string, HashSet<string>> UnsupportedRules { get; }

    public static PolicySet Empty { get; } = new([], new Dictionary<string, HashSet<string>>());

    public bool IsUnsupported(RuleResult result) =>
        result.Status == RuleStatus.Error && UnsupportedRules.TryGetValue(result.Policy, out var rules) && rules.Contains(result.SourceRule);

    public static PolicySet Load(DeliveryRepository repository, HandoffConfig config, bool provenanceVerified, FindingCollector findings)
    {
        var validation = config.Validation;
        var folder = repository.FullPath(validation.Policies);
        if (!Directory.Exists(folder) && !File.Exists(folder))
        {
            if (validation.PoliciesConfigured)
            {
                var at = validation.DefinedAt ?? new ConfigLocation(config.File, 1, 1);
                findings.Add(CheckKinds.Policy, "policies-folder", new InputFileException(at.File, at.Line, at.Column,
                    $"validation.policies names {validation.Policies}, which does not exist.", "Create the folder with the Kyverno policies, or fix validation.policies."));
            }
            else
            {
                findings.Add(new Finding
                {
                    Check = CheckKinds.Policy,
                    RuleId = "no-policies",
                    Severity = FindingSeverity.Note,
                    Message = $"there is no {validation.Policies}/ folder, so no Kyverno policy is checked.",
                    Fix = "Add the organisation's ClusterPolicies under policies/ (samples/delivery-repo/policies has guardrails to start from).",
                    File = config.File,
                });
            }

            return Empty;
        }

        IReadOnlyList<ClusterPolicy> all;
        IReadOnlyList<UnevaluatedPolicy> others;
        try
        {
            (all, others) = ClusterPolicy.LoadAll(folder);
        }
        catch (InputFileException ex)
        {
            findings.Add(CheckKinds.Policy, "policy-invalid", new InputFileException(Relative(repository, ex.File), ex.Line, ex.Column, ex.Problem, ex.Fix));
            return Empty;
        }
        catch (HandoffException ex)
        {
            findings.Add(new Finding
            {
                Check = CheckKinds.Policy,
                RuleId = "policy-invalid",
                Severity = FindingSeverity.Error,
                Message = repository.Scrub(ex.Message),
                File = validation.Policies,
            });
            return Empty;
        }

        var skipped = validation.SkipPolicies.ToHashSet(StringComparer.Ordinal);
        foreach (var other in others.Where(o => o.Name is null || !skipped.Contains(o.Name)))
        {
            // The cluster enforces it and nothing here checks it: a silent skip would pass what the cluster rejects.
            var name = other.Name ?? "(no metadata.name)";
            findings.Add(new Finding
            {
                Check = CheckKinds.Policy,
                RuleId = "unsupported-policy-kind",
                Severity = FindingSeverity.Error,
                Message = $"{other.Kind} '{name}' ({other.ApiVersion}) is not evaluated: ValidateDelivery runs Kyverno ClusterPolicy and Policy (kyverno.io/v1) only, so the cluster would enforce it but nothing checks it before merge.",
                Fix = $"List '{name}' under validation.skipPolicies in {config.File} to leave it to the cluster, or write it as a kyverno.io/v1 ClusterPolicy.",
                File = Relative(repository, other.File),
                Line = other.Line,
                Column = other.Column,
            });
        }

        foreach (var unknown in skipped.Where(name => all.All(p => p.Name != name) && others.All(o => o.Name != name)))
        {
            var at = validation.DefinedAt ?? new ConfigLocation(config.File, 1, 1);
            findings.Add(CheckKinds.Policy, "skip-unknown-policy", new InputFileException(at.File, at.Line, at.Column,
                $"validation.skipPolicies names '{unknown}', which is not a policy in {validation.Policies}/ (policies: {string.Join(", ", all.Select(p => p.Name).Concat(others.Select(o => o.Name).OfType<string>()))}).",
                "Remove it or fix the name."), severity: FindingSeverity.Warning);
        }

        var policies = all.Where(p => !skipped.Contains(p.Name)).ToList();
        var unsupported = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var policy in policies.Where(p => p.Unsupported.Count > 0))
        {
            var source = policy.SourceFile is { } file ? RuleSources.Read(file, policy) : RuleSources.None;
            var relative = policy.SourceFile is { } path ? Relative(repository, path) : validation.Policies;
            var rules = unsupported[policy.Name] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var message in policy.Unsupported)
            {
                var rule = UnsupportedRule().Match(message) is { Success: true } m && m.Groups["policy"].Value == policy.Name ? m.Groups["rule"].Value : null;
                if (rule is not null)
                {
                    rules.Add(rule);
                }

                var at = rule is not null ? source.PositionOf(rule) : default;
                var verifyImages = rule is not null && source.VerifiesImages(rule);
                findings.Add(new Finding
                {
                    Check = CheckKinds.Policy,
                    RuleId = rule is null ? policy.Name : $"{policy.Name}/{rule}",
                    Severity = verifyImages ? provenanceVerified ? FindingSeverity.Note : FindingSeverity.Warning : FindingSeverity.Error,
                    Message = verifyImages
                        ? provenanceVerified
                            ? $"policy '{policy.Name}' rule '{rule}' verifies image signatures at admission; before merge, ValidateDelivery's provenance check verifies every newly pinned digest instead."
                            : $"policy '{policy.Name}' rule '{rule}' verifies image signatures at admission, which cannot be checked offline, and provenance: in {config.File} has no publicKey, so nothing verifies them before merge."
                        : message,
                    Fix = verifyImages
                        ? provenanceVerified ? null : $"Set provenance.publicKey in {config.File} (the key the Publish pipeline signs with) so ValidateDelivery verifies the provenance of newly pinned digests."
                        : $"Or list '{policy.Name}' under validation.skipPolicies in {config.File} to leave it to the cluster.",
                    File = relative,
                    Line = at.Line,
                    Column = at.Column,
                });
            }
        }

        return new PolicySet(policies, unsupported);
    }

    private static string Relative(DeliveryRepository repository, string file)
    {
        var full = Path.GetFullPath(file, repository.Root);
        return full.StartsWith(repository.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? repository.Relative(full) : file;
    }

    [GeneratedRegex("^policy '(?<policy>[^']*)' rule '(?<rule>[^']*)':")]
    private static partial Regex UnsupportedRule();

    /// <summary>Where each rule of one policy is in its file, and which rules are verifyImages rules.</summary>
    private sealed class RuleSources
    {
        private readonly Dictionary<string, (SourcePosition Position, bool VerifyImages)> _rules;

        private RuleSources(Dictionary<string, (SourcePosition, bool)> rules)
        {
            _rules = rules;
        }

        public static RuleSources None { get; } = new([]);

        public SourcePosition PositionOf(string rule) => _rules.TryGetValue(rule, out var found) ? found.Position : default;

        public bool VerifiesImages(string rule) => _rules.TryGetValue(rule, out var found) && found.VerifyImages;

        public static RuleSources Read(string file, ClusterPolicy policy)
        {
            if (!File.Exists(file))
            {
                return None;
            }

            var document = new ManifestLoader().LoadBytes(File.ReadAllBytes(file), file).Documents
                .FirstOrDefault(d => d.Identity.Kind == policy.Kind && d.Identity.Name == policy.Name);
            if (document is null || !document.Element.TryGetProperty("spec", out var spec) || spec.ValueKind != JsonValueKind.Object
                || !spec.TryGetProperty("rules", out var rules) || rules.ValueKind != JsonValueKind.Array)
            {
                return None;
            }

            var pointers = new List<string>();
            var found = new List<(string Name, string Pointer, bool VerifyImages)>();
            var index = 0;
            foreach (var rule in rules.EnumerateArray())
            {
                if (rule.ValueKind == JsonValueKind.Object && rule.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                {
                    var pointer = $"/spec/rules/{index}/name";
                    pointers.Add(pointer);
                    found.Add((name.GetString()!, pointer, rule.TryGetProperty("verifyImages", out _)));
                }

                index++;
            }

            var positions = document.Locate(pointers);
            return new RuleSources(found.ToDictionary(f => f.Name, f => (positions[f.Pointer].Value, f.VerifyImages), StringComparer.Ordinal));
        }
    }
}
