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
