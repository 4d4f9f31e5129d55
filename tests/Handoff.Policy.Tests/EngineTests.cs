namespace Handoff.Policy.Tests;

/// <summary>Deny conditions, JMESPath functions, foreach, context, preconditions, failure actions and unsupported constructs.</summary>
public sealed class EngineTests
{
    private static RuleResult Single(string policy, string resource, EvaluationContext? context = null)
    {
        var results = Support.Evaluate(policy, resource, context);
        Assert.That(results, Has.Count.EqualTo(1), string.Join("\n", results));
        return results[0];
    }

    [Test]
    public void Deny_conditions_with_Kyverno_functions_fail_the_rule_with_its_message()
    {
        var policy = Support.PodRule("""
                  message: "{{ request.object.metadata.name }} must be lower case"
                  deny:
                    conditions:
                      any:
                      - key: "{{ to_lower(request.object.metadata.name) }}"
                        operator: NotEquals
                        value: "{{ request.object.metadata.name }}"
            """);

        var bad = Single(policy, Support.Pod("  containers: []", name: "MyPod"));
        var good = Single(policy, Support.Pod("  containers: []", name: "mypod"));

        Assert.Multiple(() =>
        {
            Assert.That(bad.Status, Is.EqualTo(RuleStatus.Fail));
            Assert.That(bad.Message, Is.EqualTo("MyPod must be lower case"));
            Assert.That(good.Status, Is.EqualTo(RuleStatus.Pass));
        });
    }

    [TestCase("{{ length(request.object.spec.containers) }}", "GreaterThan", "1", RuleStatus.Fail)]
    [TestCase("{{ split(request.object.spec.containers[0].image, ':')[1] }}", "Equals", "latest", RuleStatus.Fail)]
    [TestCase("{{ regex_match('^nginx:[0-9.]+$', request.object.spec.containers[1].image) }}", "Equals", "true", RuleStatus.Fail)]
    [TestCase("{{ regex_match('^nginx:[0-9.]+$', request.object.spec.containers[1].image) }}", "Equals", "'true'", RuleStatus.Pass)]
    [TestCase("{{ truncate(request.object.metadata.name, `2`) }}", "Equals", "po", RuleStatus.Fail)]
    [TestCase("{{ base64_decode('aGVsbG8=') }}", "Equals", "hello", RuleStatus.Fail)]
    [TestCase("{{ semver_compare('1.25.3', '>=1.25.0 <2.0.0') }}", "Equals", "true", RuleStatus.Fail)]
    [TestCase("{{ divide('2Gi', '1Gi') }}", "Equals", "2", RuleStatus.Fail)]
    [TestCase("{{ add(`1`, `2`) }}", "Equals", "3", RuleStatus.Fail)]
    [TestCase("{{ parse_json('{\"a\":[1,2]}').a[1] }}", "Equals", "2", RuleStatus.Fail)]
    [TestCase("{{ parse_yaml('a: b').a }}", "Equals", "b", RuleStatus.Fail)]
    [TestCase("{{ label_match(`{\"app\":\"web\"}`, request.object.metadata.labels) }}", "Equals", "true", RuleStatus.Fail)]
    [TestCase("{{ request.object.spec.containers[].resources.limits.memory }}", "AnyIn", "'[\"1Gi\"]'", RuleStatus.Fail)]
    [TestCase("{{ request.object.spec.containers[].ports[].containerPort }}", "AnyNotIn", "1-1024", RuleStatus.Fail)]
    [TestCase("{{ request.object.spec.containers[].ports[].containerPort }}", "AllIn", "80-9000", RuleStatus.Fail)]
    [TestCase("{{ request.object.spec.containers[].resources.limits.memory }}", "AllNotIn", "'[\"2Gi\"]'", RuleStatus.Fail)]
    [TestCase("{{ request.object.spec.containers[0].resources.limits.memory }}", "GreaterThan", "512Mi", RuleStatus.Fail)]
    [TestCase("{{ request.object.spec.containers[0].resources.limits.memory }}", "LessThan", "512Mi", RuleStatus.Pass)]
    [TestCase("2h", "DurationGreaterThan", "90m", RuleStatus.Fail)]
    [TestCase("{{ request.operation }}", "Equals", "CREATE", RuleStatus.Fail)]
    [TestCase("{{ request.object.metadata.labels.app }}", "In", "'[\"web\", \"api\"]'", RuleStatus.Fail)]
    [TestCase("{{ request.object.metadata.labels.app }}", "NotIn", "'[\"web\", \"api\"]'", RuleStatus.Pass)]
    [TestCase("{{ request.object.spec.containers[0].image }}", "Equals", "nginx:*", RuleStatus.Fail)]
    public void Deny_operators_behave_like_Kyverno(string key, string op, string value, RuleStatus expected)
    {
        var policy = Support.PodRule($$"""
                  deny:
                    conditions:
                      all:
                      - key: '{{key.Replace("'", "''")}}'
                        operator: {{op}}
                        value: {{value}}
            """);
        var pod = Support.Pod("""
              containers:
              - name: a
                image: nginx:latest
                ports:
                - containerPort: 8080
                resources:
                  limits:
                    memory: 1Gi
              - name: b
                image: nginx:1.25
            """, metadata: "  labels:\n    app: web");

        Assert.That(Single(policy, pod).Status, Is.EqualTo(expected));
    }

    [Test]
    public void Foreach_checks_every_element_and_reports_the_failing_one()
    {
        var policy = Support.PodRule("""
                  message: "{{ element.name }} (#{{ elementIndex }}) uses a mutable tag"
                  foreach:
                  - list: request.object.spec.containers
                    deny:
                      conditions:
                        any:
                        - key: "{{ element.image }}"
                          operator: Equals
                          value: "*:latest"
            """);

        var result = Single(policy, Support.Pod("  containers:\n  - name: ok\n    image: nginx:1\n  - name: bad\n    image: nginx:latest"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(RuleStatus.Fail));
            Assert.That(result.Message, Is.EqualTo("validation failure: bad (#1) uses a mutable tag"));
        });
    }

    [Test]
    public void Foreach_patterns_apply_to_the_element_and_an_empty_list_skips()
    {
        var policy = Support.PodRule("""
                  foreach:
                  - list: request.object.spec.initContainers
                    pattern:
                      image: "registry.example.com/*"
            """);

        Assert.Multiple(() =>
        {
            Assert.That(Single(policy, Support.Pod("  initContainers:\n  - name: i\n    image: registry.example.com/init\n  containers: []")).Status, Is.EqualTo(RuleStatus.Pass));
            Assert.That(Single(policy, Support.Pod("  initContainers:\n  - name: i\n    image: docker.io/init\n  containers: []")).Status, Is.EqualTo(RuleStatus.Fail));
            Assert.That(Single(policy, Support.Pod("  containers: []")).Status, Is.EqualTo(RuleStatus.Skip));
        });
    }

    [Test]
    public void Nested_foreach_sees_both_elements()
    {
        var policy = Support.PodRule("""
                  foreach:
                  - list: request.object.spec.containers
                    foreach:
                    - list: element.ports
                      deny:
                        conditions:
                          any:
                          - key: "{{ element.containerPort }}"
                            operator: LessThan
                            value: 1024
            """);

        Assert.Multiple(() =>
        {
            Assert.That(Single(policy, Support.Pod("  containers:\n  - name: a\n    ports:\n    - containerPort: 8080\n    - containerPort: 80")).Status, Is.EqualTo(RuleStatus.Fail));
            Assert.That(Single(policy, Support.Pod("  containers:\n  - name: a\n    ports:\n    - containerPort: 8080")).Status, Is.EqualTo(RuleStatus.Pass));
        });
    }

    [Test]
    public void Context_variables_and_preconditions_are_evaluated_before_validation()
    {
        var policy = Support.PodRule("""
                  deny:
                    conditions:
                      any:
                      - key: "{{ request.object.spec.containers[].image }}"
                        operator: AnyNotIn
                        value: "{{ allowed }}"
            """, extra: """
                context:
                - name: allowed
                  variable:
                    value: ["registry.example.com/*"]
                - name: team
                  variable:
                    jmesPath: request.object.metadata.labels.team
                    default: none
                preconditions:
                  all:
                  - key: "{{ team }}"
                    operator: NotEquals
                    value: platform
            """);

        Assert.Multiple(() =>
        {
            Assert.That(Single(policy, Support.Pod("  containers:\n  - name: a\n    image: docker.io/x")).Status, Is.EqualTo(RuleStatus.Fail));
            Assert.That(Single(policy, Support.Pod("  containers:\n  - name: a\n    image: registry.example.com/x")).Status, Is.EqualTo(RuleStatus.Pass));
            var skipped = Single(policy, Support.Pod("  containers:\n  - name: a\n    image: docker.io/x", metadata: "  labels:\n    team: platform"));
            Assert.That(skipped.Status, Is.EqualTo(RuleStatus.Skip));
            Assert.That(skipped.Message, Does.Contain("preconditions not met"));
        });
    }

    [Test]
    public void Audit_failures_are_warnings_and_overrides_pick_the_action_per_namespace()
    {
        var policy = Support.PodRule("""
                  failureAction: Audit
                  failureActionOverrides:
                  - action: Enforce
                    namespaces: ["prod-*"]
                  pattern:
                    spec:
                      hostNetwork: false
            """);
        var inDefault = Single(policy, Support.Pod("  hostNetwork: true\n  containers: []"));
        var inProd = Single(policy, Support.Pod("  hostNetwork: true\n  containers: []").Replace("namespace: default", "namespace: prod-eu"));

        Assert.Multiple(() =>
        {
            Assert.That(inDefault.Action, Is.EqualTo(FailureAction.Audit));
            Assert.That(inDefault.Severity, Is.EqualTo(ResultSeverity.Warning));
            Assert.That(inProd.Action, Is.EqualTo(FailureAction.Enforce));
            Assert.That(inProd.Severity, Is.EqualTo(ResultSeverity.Error));
        });
    }

    [Test]
    public void An_unscored_policy_reports_warn_instead_of_fail()
    {
        var policy = Support.PodRule("""
                  pattern:
                    spec:
                      hostNetwork: false
            """, annotations: "  annotations:\n    policies.kyverno.io/scored: \"false\"");

        Assert.That(Single(policy, Support.Pod("  hostNetwork: true\n  containers: []")).Status, Is.EqualTo(RuleStatus.Warn));
    }

    [TestCase("mutate:\n      patchStrategicMerge:\n        metadata:\n          labels:\n            a: b", "mutate rules")]
    [TestCase("generate:\n      kind: ConfigMap\n      name: x\n      data: {}", "generate rules")]
    [TestCase("validate:\n      cel:\n        expressions:\n        - expression: \"true\"", "CEL validation")]
    [TestCase("validate:\n      podSecurity:\n        level: baseline", "validate.podSecurity")]
    [TestCase("context:\n    - name: cm\n      configMap:\n        name: x\n        namespace: y\n    validate:\n      deny: {}", "'configMap' context entry 'cm'")]
    [TestCase("context:\n    - name: api\n      apiCall:\n        urlPath: /api/v1/namespaces\n    validate:\n      deny: {}", "'apiCall' context entry 'api'")]
    public void Unsupported_constructs_are_errors_naming_the_construct_and_the_policy(string body, string construct)
    {
        var policy = Support.Policy($"""
            apiVersion: kyverno.io/v1
            kind: ClusterPolicy
            metadata:
              name: odd-policy
            spec:
              rules:
              - name: odd
                match:
                  any:
                  - resources:
                      kinds: [ConfigMap]
                {body}
            """);
        var results = PolicyEngine.Evaluate([policy], Support.Yaml("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: n\n"), new EvaluationContext());

        Assert.Multiple(() =>
        {
            Assert.That(policy.Unsupported, Has.Count.EqualTo(1));
            Assert.That(policy.Unsupported[0], Does.Contain(construct).And.Contain("odd-policy"));
            Assert.That(results.Single().Status, Is.EqualTo(RuleStatus.Error));
            Assert.That(results.Single().Severity, Is.EqualTo(ResultSeverity.Error));
        });
    }

    [Test]
    public void An_unknown_JMESPath_function_is_a_load_error_naming_it_and_the_location()
    {
        var ex = Assert.Throws<InputFileException>(() => Support.Policy(Support.PodRule("""
                  deny:
                    conditions:
                      any:
                      - key: "{{ no_such_function(request.object.metadata.name) }}"
                        operator: Equals
                        value: x
            """)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("no_such_function").And.Contain("test-policy"));
            Assert.That(ex.Line, Is.GreaterThan(0));
        });
    }

    [Test]
    public void A_bad_operator_is_a_load_error_with_the_fix()
    {
        var ex = Assert.Throws<InputFileException>(() => Support.Policy(Support.PodRule("""
                  deny:
                    conditions:
                      any:
                      - key: a
                        operator: Sortof
                        value: x
            """)));

        Assert.That(ex!.Message, Does.Contain("unknown condition operator 'Sortof'").And.Contain("AnyIn"));
    }

    [Test]
    public void A_JMESPath_runtime_error_is_an_error_result_not_a_crash()
    {
        var policy = Support.PodRule("""
                  deny:
                    conditions:
                      any:
                      - key: "{{ to_upper(request.object.spec) }}"
                        operator: Equals
                        value: x
            """);

        var result = Single(policy, Support.Pod("  containers: []"));

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(RuleStatus.Error));
            Assert.That(result.Message, Does.Contain("to_upper"));
        });
    }

    [Test]
    public void Escaped_variables_stay_literal()
    {
        var policy = Support.PodRule("""
                  deny:
                    conditions:
                      any:
                      - key: "{{ request.object.metadata.annotations.template }}"
                        operator: Equals
                        value: "\\{{ literal }}"
            """);

        var result = Single(policy, Support.Pod("  containers: []", metadata: "  annotations:\n    template: \"{{ literal }}\""));

        Assert.That(result.Status, Is.EqualTo(RuleStatus.Fail));
    }
}
