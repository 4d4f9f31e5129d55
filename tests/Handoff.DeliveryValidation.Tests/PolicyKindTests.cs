using Handoff.DeliveryValidation.Tests.Support;
using Handoff.Reports;
using static Handoff.DeliveryValidation.Tests.Support.ReportAssertions;

namespace Handoff.DeliveryValidation.Tests;

/// <summary>Admission policies of other APIs than Kyverno's ClusterPolicy/Policy in policies/ are errors until they are left to the cluster.</summary>
public sealed class PolicyKindTests
{
    private const string OtherPolicies = """
        # Enforced by the API server, not by the Kyverno engine ValidateDelivery runs.
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata:
          name: replicas-limit
        spec:
          failurePolicy: Fail
          matchConstraints:
            resourceRules:
              - apiGroups: [apps]
                apiVersions: [v1]
                operations: [CREATE, UPDATE]
                resources: [deployments]
          validations:
            - expression: "object.spec.replicas <= 5"
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata:
          name: replicas-limit-binding
        spec:
          policyName: replicas-limit
          validationActions: [Deny]
        ---
        apiVersion: policies.kyverno.io/v1alpha1
        kind: ValidatingPolicy
        metadata:
          name: no-host-network
        spec:
          validations:
            - expression: "!has(object.spec.hostNetwork) || object.spec.hostNetwork == false"
        ---
        # Data for policies, not a policy: ignored.
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: policy-settings
        data:
          maxReplicas: "5"

        """;

    [Test]
    public async Task Unevaluated_policy_kinds_are_errors_naming_kind_and_file_until_skipped()
    {
        using var workspace = await DeliveryWorkspace.CreateAsync();
        await workspace.ShipAsync(DeliveryWorkspace.Release(), until: "dev");
        workspace.Commit("other-policies", new Dictionary<string, string?> { ["policies/admission.yaml"] = OtherPolicies });
        var config = workspace.Show("main", "handoff.yaml") + "\n";
        Assert.That(config, Does.Contain("  policies: policies\n"));
        workspace.Commit("other-policies-skipped", new Dictionary<string, string?>
        {
            ["policies/admission.yaml"] = OtherPolicies,
            ["handoff.yaml"] = config.Replace("  policies: policies\n", "  policies: policies\n  skipPolicies: [replicas-limit, no-host-network]\n", StringComparison.Ordinal),
        });

        var run = await workspace.ValidateAsync(workspace.Checkout("other-policies"), "main", o => o with { Environment = "dev" }, GitHubActions);

        var vap = AssertErrorEverywhere(run, CheckKinds.Policy, "unsupported-policy-kind", "policies/admission.yaml", 2, "ValidatingAdmissionPolicy 'replicas-limit' (admissionregistration.k8s.io/v1)");
        Assert.That(vap.Fix, Does.Contain("List 'replicas-limit' under validation.skipPolicies in handoff.yaml"));
        Assert.That(run.Errors.Select(f => (f.RuleId, f.File, f.Line)), Is.EquivalentTo(new[]
        {
            ("unsupported-policy-kind", "policies/admission.yaml", 2),
            ("unsupported-policy-kind", "policies/admission.yaml", LineOf(OtherPolicies, "kind: ValidatingPolicy") - 1),
        }), "the binding and the ConfigMap are not policies of their own");
        Assert.That(run.Errors.Last().Message, Does.Contain("ValidatingPolicy 'no-host-network' (policies.kyverno.io/v1alpha1) is not evaluated"));

        var skipped = await workspace.ValidateAsync(workspace.Checkout("other-policies-skipped"), "main", o => o with { Environment = "dev" });
        AssertPassed(skipped, "myapp/dev");
        Assert.That(skipped.Report.Findings.Where(f => f.RuleId is "skip-unknown-policy" or "unsupported-policy-kind"), Is.Empty, "skipping them is not an unknown-policy warning");
    }
}
