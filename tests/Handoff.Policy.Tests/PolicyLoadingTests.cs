using Handoff.Testing;

namespace Handoff.Policy.Tests;

public sealed class PolicyLoadingTests
{
    [Test]
    public void Admission_policies_of_other_APIs_are_listed_with_their_place_and_everything_else_is_not()
    {
        using var dir = new TempDirectory("policies");
        dir.Write("policies/kyverno.yaml", Support.PodRule("""
                  message: "x"
                  pattern:
                    metadata:
                      name: "?*"
            """));
        dir.Write("policies/others.yaml", """
            apiVersion: kyverno.io/v2
            kind: PolicyException
            metadata: {name: allow-debug}
            ---
            apiVersion: templates.gatekeeper.sh/v1
            kind: ConstraintTemplate
            metadata: {name: k8srequiredlabels}
            ---
            apiVersion: constraints.gatekeeper.sh/v1beta1
            kind: K8sRequiredLabels
            metadata: {name: must-have-team}
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata: {name: binding}
            ---
            apiVersion: kyverno.io/v2alpha1
            kind: GlobalContextEntry
            metadata: {name: deployments}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: policies}
            """);

        var loaded = ClusterPolicy.LoadAll(dir.Combine("policies"));

        Assert.That(loaded.Policies.Select(p => p.Name), Is.EqualTo(new[] { "test-policy" }));
        Assert.That(loaded.NotEvaluated.Select(p => (p.Kind, p.Name, Path.GetFileName(p.File), p.Line)), Is.EqualTo(new[]
        {
            ("PolicyException", (string?)"allow-debug", "others.yaml", 1),
            ("ConstraintTemplate", "k8srequiredlabels", "others.yaml", 5),
            ("K8sRequiredLabels", "must-have-team", "others.yaml", 9),
        }));
        Assert.That(ClusterPolicy.Load(dir.Combine("policies")).Select(p => p.Name), Is.EqualTo(new[] { "test-policy" }), "Load keeps returning the Kyverno policies");
    }
}
