using Handoff.Testing;

namespace Handoff.DeliveryValidation.Tests.Support;

/// <summary>Delivery repository templates derived from samples/delivery-repo for scenarios the sample does not have.</summary>
public static class Variants
{
    public const string ApiDigest = "sha256:4c9a7d2f0b1e3a5c6d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e";

    /// <summary>
    /// The sample plus a second app, <c>api</c>: plain manifests in env/&lt;env&gt;/api/ (applied into api-&lt;env&gt;),
    /// its image pinned as a whole reference in the Deployment.
    /// </summary>
    public static string TwoApps => DeliveryWorkspace.Variant("two-apps", new Dictionary<string, string?>
    {
        ["handoff.yaml"] = SampleConfig.Replace("\n# Read by the provenance", ApiConfig + "\n# Read by the provenance", StringComparison.Ordinal),
        ["env/dev/api/deployment.yaml"] = ApiDeployment,
        ["env/staging/api/deployment.yaml"] = ApiDeployment,
        ["env/prod/api/deployment.yaml"] = ApiDeployment,
    });

    private const string ApiConfig = """
          api:
            image: handoff/api
            render:
              plain: { path: "env/{env}/api", namespace: "api-{env}" }
            pin: { file: "env/{env}/api/deployment.yaml", yaml: "spec.template.spec.containers[name=api].image" }

        """;

    /// <summary>
    /// The sample plus two plain-manifest apps listed in this order: <c>widgets</c>, whose Widget custom
    /// resource is defined by the CRD that the next app, <c>operator</c>, deploys into the same environment.
    /// </summary>
    public static string CrdInAnotherApp => DeliveryWorkspace.Variant("crd-in-another-app", new Dictionary<string, string?>
    {
        // The shared schemas have none for CRDs themselves; skipping their validation keeps them schema sources.
        ["handoff.yaml"] = SampleConfig.Replace("\n# Read by the provenance", WidgetAppsConfig + "\n# Read by the provenance", StringComparison.Ordinal)
            .Replace("  strict: true\n", "  strict: true\n  skipKinds: [apiextensions.k8s.io/v1/CustomResourceDefinition]\n", StringComparison.Ordinal),
        ["env/dev/widgets/widget.yaml"] = Widget(),
        ["env/staging/widgets/widget.yaml"] = Widget(),
        ["env/prod/widgets/widget.yaml"] = Widget(),
        ["env/dev/operator/deployment.yaml"] = ApiDeployment,
        ["env/staging/operator/deployment.yaml"] = ApiDeployment,
        ["env/prod/operator/deployment.yaml"] = ApiDeployment,
        ["env/dev/operator/crd.yaml"] = WidgetCrd,
        ["env/staging/operator/crd.yaml"] = WidgetCrd,
        ["env/prod/operator/crd.yaml"] = WidgetCrd,
    });

    private const string WidgetAppsConfig = """
          widgets:
            image: handoff/widget
            render:
              plain: { path: "env/{env}/widgets", namespace: "widgets-{env}" }
            pin: { file: "env/{env}/widgets/widget.yaml", yaml: "spec.image" }
          operator:
            image: handoff/api
            render:
              plain: { path: "env/{env}/operator", namespace: "operator-{env}" }
            pin: { file: "env/{env}/operator/deployment.yaml", yaml: "spec.template.spec.containers[name=api].image" }

        """;

    public static string Widget(string replicas = "2") => $"""
        apiVersion: example.com/v1
        kind: Widget
        metadata:
          name: front
        spec:
          image: registry.example.com/handoff/widget:1.0.0@{ApiDigest}
          replicas: {replicas}

        """;

    public const string WidgetCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          names:
            kind: Widget
            plural: widgets
          scope: Namespaced
          versions:
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      required: [image]
                      properties:
                        image: {type: string}
                        replicas: {type: integer}

        """;

    public static string SampleConfig => File.ReadAllText(RepoPaths.InRepo("samples", "delivery-repo", "handoff.yaml"));

    public const string ApiDeployment = $"""
        # The api service, applied as is (plain manifests).
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
          labels:
            app.kubernetes.io/name: api
            app.kubernetes.io/part-of: handoff
        spec:
          replicas: 1
          selector:
            matchLabels:
              app.kubernetes.io/name: api
          template:
            metadata:
              labels:
                app.kubernetes.io/name: api
                app.kubernetes.io/part-of: handoff
            spec:
              securityContext:
                runAsNonRoot: true
              containers:
                - name: api
                  image: registry.example.com/handoff/api:1.0.0@{ApiDigest}
                  securityContext:
                    allowPrivilegeEscalation: false
                    privileged: false
                  resources:
                    requests:
                      cpu: 50m
                      memory: 64Mi
                    limits:
                      memory: 128Mi

        """;
}
