namespace Handoff.Policy.Tests;

/// <summary>Kyverno pattern semantics end to end: anchors, skip vs fail vs error, paths and messages.</summary>
public sealed class PatternTests
{
    private static RuleResult Single(string validate, string podSpec, string podMetadata = "")
    {
        var results = Support.Evaluate(Support.PodRule(validate), Support.Pod(podSpec, metadata: podMetadata));
        Assert.That(results, Has.Count.EqualTo(1));
        return results[0];
    }

    private const string NoLatest = """
              message: "no latest"
              pattern:
                spec:
                  containers:
                  - image: "!*:latest"
        """;

    [Test]
    public void A_failing_pattern_reports_the_path_and_the_rule_message()
    {
        var result = Single(NoLatest, """
              containers:
              - name: a
                image: nginx:1.25
              - name: b
                image: nginx:latest
            """);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(RuleStatus.Fail));
            Assert.That(result.Path, Is.EqualTo("/spec/containers/1/image/"));
            Assert.That(result.Message, Is.EqualTo("validation error: no latest. rule check failed at path /spec/containers/1/image/"));
            Assert.That(result.Severity, Is.EqualTo(ResultSeverity.Error), "Enforce failures block");
        });
    }

    [Test]
    public void A_passing_pattern_passes() =>
        Assert.That(Single(NoLatest, "  containers:\n  - name: a\n    image: nginx:1.25").Status, Is.EqualTo(RuleStatus.Pass));

    private const string ConditionalTop = """
              pattern:
                metadata:
                  labels:
                    allow-docker: "true"
                (spec):
                  (volumes):
                  - (hostPath):
                      path: "/var/run/docker.sock"
        """;

    [Test]
    public void A_conditional_anchor_that_does_not_match_skips_the_rule()
    {
        var result = Single(ConditionalTop, "  containers:\n  - name: a\n    image: nginx");

        Assert.That(result.Status, Is.EqualTo(RuleStatus.Skip));
    }

    [Test]
    public void A_matching_conditional_anchor_makes_its_peers_mandatory()
    {
        var result = Single(ConditionalTop, """
              containers:
              - name: a
                image: nginx
              volumes:
              - name: sock
                hostPath:
                  path: /var/run/docker.sock
            """);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(RuleStatus.Fail));
            Assert.That(result.Path, Is.EqualTo("/metadata/labels/"));
        });
    }

    [Test]
    public void A_conditional_anchor_inside_a_plain_list_fails_when_no_element_applies_as_Kyverno_does()
    {
        const string validate = """
                  pattern:
                    spec:
                      containers:
                      - (name): "web-*"
                        image: "registry.example.com/*"
            """;

        Assert.Multiple(() =>
        {
            Assert.That(Single(validate, "  containers:\n  - name: sidecar\n    image: nginx").Status, Is.EqualTo(RuleStatus.Fail));
            Assert.That(Single(validate, "  containers:\n  - name: web-1\n    image: registry.example.com/web\n  - name: sidecar\n    image: nginx").Status,
                Is.EqualTo(RuleStatus.Pass), "elements whose condition does not hold are skipped when another applies");
            Assert.That(Single(validate, "  containers:\n  - name: web-1\n    image: nginx").Status, Is.EqualTo(RuleStatus.Fail));
        });
    }

    [Test]
    public void A_negation_anchor_fails_when_the_key_is_present()
    {
        const string validate = """
                  pattern:
                    spec:
                      =(volumes):
                      - X(hostPath): "null"
            """;

        var bad = Single(validate, "  containers:\n  - name: a\n    image: x\n  volumes:\n  - name: v\n    hostPath:\n      path: /etc");
        var good = Single(validate, "  containers:\n  - name: a\n    image: x\n  volumes:\n  - name: v\n    emptyDir: {}");

        Assert.Multiple(() =>
        {
            Assert.That(bad.Status, Is.EqualTo(RuleStatus.Fail));
            Assert.That(bad.Path, Is.EqualTo("/spec/volumes/0/hostPath/"));
            Assert.That(good.Status, Is.EqualTo(RuleStatus.Pass));
        });
    }

    [Test]
    public void An_existence_anchor_needs_at_least_one_matching_element()
    {
        const string validate = """
                  pattern:
                    spec:
                      ^(containers):
                      - image: "nginx:*"
            """;

        Assert.Multiple(() =>
        {
            Assert.That(Single(validate, "  containers:\n  - name: a\n    image: busybox\n  - name: b\n    image: nginx:1").Status, Is.EqualTo(RuleStatus.Pass));
            Assert.That(Single(validate, "  containers:\n  - name: a\n    image: busybox").Status, Is.EqualTo(RuleStatus.Fail));
        });
    }

    [Test]
    public void A_global_anchor_that_does_not_hold_skips_the_whole_rule()
    {
        const string validate = """
                  pattern:
                    spec:
                      <(hostNetwork): true
                      dnsPolicy: ClusterFirstWithHostNet
            """;

        Assert.Multiple(() =>
        {
            Assert.That(Single(validate, "  containers: []").Status, Is.EqualTo(RuleStatus.Fail), "without the anchored key the condition does not gate the rest");
            Assert.That(Single(validate, "  hostNetwork: false\n  containers: []").Status, Is.EqualTo(RuleStatus.Skip));
            Assert.That(Single(validate, "  hostNetwork: true\n  containers: []").Status, Is.EqualTo(RuleStatus.Fail));
            Assert.That(Single(validate, "  hostNetwork: true\n  dnsPolicy: ClusterFirstWithHostNet\n  containers: []").Status, Is.EqualTo(RuleStatus.Pass));
        });
    }

    [Test]
    public void Equality_anchors_only_check_keys_that_exist()
    {
        const string validate = """
                  pattern:
                    spec:
                      =(hostNetwork): "false"
            """;

        Assert.Multiple(() =>
        {
            Assert.That(Single(validate, "  containers: []").Status, Is.EqualTo(RuleStatus.Pass));
            Assert.That(Single(validate, "  hostNetwork: false\n  containers: []").Status, Is.EqualTo(RuleStatus.Pass));
            Assert.That(Single(validate, "  hostNetwork: true\n  containers: []").Status, Is.EqualTo(RuleStatus.Fail));
        });
    }

    [Test]
    public void Wildcard_keys_in_metadata_labels_are_matched_against_every_matching_key()
    {
        const string validate = """
                  pattern:
                    metadata:
                      =(annotations):
                        =(container.apparmor.security.beta.kubernetes.io/*): "runtime/default | localhost/*"
            """;

        var bad = Single(validate, "  containers: []", """
              annotations:
                container.apparmor.security.beta.kubernetes.io/a: runtime/default
                container.apparmor.security.beta.kubernetes.io/b: unconfined
            """);
        var good = Single(validate, "  containers: []", """
              annotations:
                container.apparmor.security.beta.kubernetes.io/a: localhost/profile
            """);

        Assert.Multiple(() =>
        {
            Assert.That(bad.Status, Is.EqualTo(RuleStatus.Fail));
            Assert.That(good.Status, Is.EqualTo(RuleStatus.Pass));
        });
    }

    [Test]
    public void Star_requires_the_field_to_exist_and_question_star_requires_a_value()
    {
        const string star = """
                  pattern:
                    metadata:
                      labels:
                        app: "*"
            """;
        const string nonEmpty = """
                  pattern:
                    metadata:
                      labels:
                        app: "?*"
            """;

        Assert.Multiple(() =>
        {
            Assert.That(Single(star, "  containers: []", "  labels:\n    app: \"\"").Status, Is.EqualTo(RuleStatus.Pass));
            Assert.That(Single(star, "  containers: []", "  labels:\n    other: x").Status, Is.EqualTo(RuleStatus.Fail));
            Assert.That(Single(nonEmpty, "  containers: []", "  labels:\n    app: \"\"").Status, Is.EqualTo(RuleStatus.Fail));
        });
    }

    [Test]
    public void AnyPattern_passes_when_one_pattern_passes_and_fails_with_every_failure_listed()
    {
        const string validate = """
                  message: "runAsNonRoot required"
                  anyPattern:
                  - spec:
                      securityContext:
                        runAsNonRoot: true
                  - spec:
                      containers:
                      - securityContext:
                          runAsNonRoot: true
            """;

        var pass = Single(validate, "  containers:\n  - name: a\n    securityContext:\n      runAsNonRoot: true");
        var fail = Single(validate, "  containers:\n  - name: a");

        Assert.Multiple(() =>
        {
            Assert.That(pass.Status, Is.EqualTo(RuleStatus.Pass));
            Assert.That(fail.Status, Is.EqualTo(RuleStatus.Fail));
            Assert.That(fail.Message, Is.EqualTo("validation error: runAsNonRoot required. rule check[0] failed at path /spec/securityContext/ rule check[1] failed at path /spec/containers/0/securityContext/"));
        });
    }

    [Test]
    public void Variables_in_patterns_are_substituted_per_resource()
    {
        const string validate = """
                  pattern:
                    metadata:
                      labels:
                        app: "{{ request.object.metadata.name }}"
            """;

        Assert.Multiple(() =>
        {
            Assert.That(Single(validate, "  containers: []", "  labels:\n    app: pod").Status, Is.EqualTo(RuleStatus.Pass));
            Assert.That(Single(validate, "  containers: []", "  labels:\n    app: other").Status, Is.EqualTo(RuleStatus.Fail));
        });
    }
}
