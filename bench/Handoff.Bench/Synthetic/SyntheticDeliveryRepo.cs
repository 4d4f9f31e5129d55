using System.Text;
using System.Text.Json.Nodes;

namespace Handoff.Bench.Synthetic;

/// <summary>How big and how dirty the generated repository is.</summary>
public sealed record SyntheticRepoOptions
{
    /// <summary>Total number of Kubernetes resources across all files.</summary>
    public int Resources { get; init; } = 10_000;

    /// <summary>Same seed, same bytes: runs and machines compare like with like.</summary>
    public int Seed { get; init; } = 20_240_917;

    /// <summary>Share of resources generated with one deliberate guardrail violation.</summary>
    public double ViolationRate { get; init; } = 0.15;

    public IReadOnlyList<string> Environments { get; init; } = ["dev", "staging", "prod"];
}

/// <summary>One rendered manifest file of the repository: all resources of one app in one environment.</summary>
public sealed record SyntheticFile(string RelativePath, string Yaml, int Resources);

/// <summary>
/// A synthetic GitOps delivery repository of plain rendered manifests: <c>apps/&lt;app&gt;/&lt;env&gt;/manifests.yaml</c>
/// with a Deployment, Service and ConfigMap per app and environment plus a StatefulSet or CronJob, spread over
/// namespaces, images pinned by digest, and a share of resources breaking one guardrail each (tag-only or
/// <c>:latest</c> images, foreign registries, privileged or root containers, missing resources or labels).
/// </summary>
public sealed class SyntheticDeliveryRepo
{
    private static readonly string[] Teams = ["payments", "catalog", "search", "identity", "shipping", "billing", "growth", "platform"];
    private static readonly string[] Words = ["api", "worker", "gateway", "web", "sync", "indexer", "ledger", "notifier", "export", "auth", "cart", "quote"];

    private SyntheticDeliveryRepo(IReadOnlyList<SyntheticFile> files, IReadOnlyDictionary<string, int> kinds, int violations)
    {
        Files = files;
        KindCounts = kinds;
        Violations = violations;
        ResourceCount = files.Sum(f => f.Resources);
        ByteCount = files.Sum(f => (long)Encoding.UTF8.GetByteCount(f.Yaml));
    }

    public IReadOnlyList<SyntheticFile> Files { get; }
    public int ResourceCount { get; }
    public long ByteCount { get; }
    public IReadOnlyDictionary<string, int> KindCounts { get; }

    /// <summary>Resources generated with a deliberate violation (each breaks at least one guardrail policy).</summary>
    public int Violations { get; }

    public static SyntheticDeliveryRepo Generate(SyntheticRepoOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Resources, 1);
        var builder = new Builder(options);
        return builder.Build();
    }

    /// <summary>Writes the files under <paramref name="directory"/> (for commands that read a repository from disk).</summary>
    public void WriteTo(string directory)
    {
        foreach (var file in Files)
        {
            var path = Path.Combine(directory, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file.Yaml);
        }
    }

    private enum Violation
    {
        None,
        TagOnlyImage,
        LatestTag,
        ForeignRegistry,
        Privileged,
        PrivilegeEscalation,
        RunsAsRoot,
        MissingRequests,
        MissingLabel,
    }

    private sealed class Builder(SyntheticRepoOptions options)
    {
        private readonly Random _random = new(options.Seed);
        private readonly Dictionary<string, int> _kinds = new(StringComparer.Ordinal);
        private int _violations;

        public SyntheticDeliveryRepo Build()
        {
            var files = new List<SyntheticFile>();
            var remaining = options.Resources;
            for (var app = 0; remaining > 0; app++)
            {
                var appName = $"{Words[app % Words.Length]}-{app / Words.Length:D3}";
                var team = Teams[app % Teams.Length];
                foreach (var env in options.Environments)
                {
                    if (remaining == 0)
                    {
                        break;
                    }

                    var documents = Group(appName, team, env, app).Take(remaining).ToList();
                    remaining -= documents.Count;
                    var text = new StringBuilder(documents.Count * 1500);
                    foreach (var document in documents)
                    {
                        YamlText.AppendDocument(text, document);
                    }

                    files.Add(new SyntheticFile($"apps/{appName}/{env}/manifests.yaml", text.ToString(), documents.Count));
                }
            }

            return new SyntheticDeliveryRepo(files, _kinds, _violations);
        }

        private IEnumerable<JsonObject> Group(string app, string team, string env, int index)
        {
            var ns = $"{team}-{env}";
            yield return Deployment(app, team, ns, env);
            yield return Service(app, team, ns);
            yield return ConfigMap(app, team, ns, env);
            yield return index % 2 == 0 ? StatefulSet(app, team, ns, env) : CronJob(app, team, ns, env);
        }

        private Violation NextViolation(bool workload)
        {
            if (_random.NextDouble() >= options.ViolationRate)
            {
                return Violation.None;
            }

            _violations++;
            return workload ? (Violation)_random.Next(1, 9) : Violation.MissingLabel;
        }

        private JsonObject Metadata(string name, string app, string team, string ns, string kind, Violation violation)
        {
            _kinds[kind] = _kinds.GetValueOrDefault(kind) + 1;
            return new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["labels"] = Labels(app, team, violation),
                ["annotations"] = new JsonObject
                {
                    ["handoff.dev/source"] = $"git@github.com:example-org/{app}.git",
                    ["handoff.dev/revision"] = Hex(20),
                },
            };
        }

        private JsonObject Labels(string app, string team, Violation violation)
        {
            var labels = new JsonObject
            {
                ["app.kubernetes.io/name"] = app,
                ["app.kubernetes.io/instance"] = app,
                ["app.kubernetes.io/version"] = $"{_random.Next(1, 4)}.{_random.Next(0, 20)}.{_random.Next(0, 10)}",
                ["app.kubernetes.io/managed-by"] = "handoff",
            };
            if (violation != Violation.MissingLabel)
            {
                labels["app.kubernetes.io/part-of"] = team;
            }

            return labels;
        }

        private JsonObject Deployment(string app, string team, string ns, string env)
        {
            var violation = NextViolation(workload: true);
            return new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "Deployment",
                ["metadata"] = Metadata(app, app, team, ns, "Deployment", violation),
                ["spec"] = new JsonObject
                {
                    ["replicas"] = env == "prod" ? 3 : 1,
                    ["revisionHistoryLimit"] = 5,
                    ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app.kubernetes.io/name"] = app } },
                    ["strategy"] = new JsonObject
                    {
                        ["type"] = "RollingUpdate",
                        ["rollingUpdate"] = new JsonObject { ["maxSurge"] = "25%", ["maxUnavailable"] = 0 },
                    },
                    ["template"] = PodTemplate(app, team, violation, withInit: _random.Next(3) == 0, sidecar: _random.Next(4) == 0),
                },
            };
        }

        private JsonObject StatefulSet(string app, string team, string ns, string env)
        {
            var violation = NextViolation(workload: true);
            var name = app + "-store";
            return new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "StatefulSet",
                ["metadata"] = Metadata(name, app, team, ns, "StatefulSet", violation),
                ["spec"] = new JsonObject
                {
                    ["serviceName"] = name,
                    ["replicas"] = env == "prod" ? 3 : 1,
                    ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app.kubernetes.io/name"] = app } },
                    ["template"] = PodTemplate(app, team, violation, withInit: true, sidecar: false),
                    ["volumeClaimTemplates"] = new JsonArray(new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["name"] = "data" },
                        ["spec"] = new JsonObject
                        {
                            ["accessModes"] = new JsonArray("ReadWriteOnce"),
                            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["storage"] = $"{_random.Next(1, 50)}Gi" } },
                        },
                    }),
                },
            };
        }

        private JsonObject CronJob(string app, string team, string ns, string env)
        {
            var violation = NextViolation(workload: true);
            var template = PodTemplate(app, team, violation, withInit: false, sidecar: false);
            ((JsonObject)template["spec"]!)["restartPolicy"] = "OnFailure";
            return new JsonObject
            {
                ["apiVersion"] = "batch/v1",
                ["kind"] = "CronJob",
                ["metadata"] = Metadata(app + "-nightly", app, team, ns, "CronJob", violation),
                ["spec"] = new JsonObject
                {
                    ["schedule"] = $"{_random.Next(60)} {_random.Next(24)} * * *",
                    ["concurrencyPolicy"] = "Forbid",
                    ["successfulJobsHistoryLimit"] = env == "prod" ? 3 : 1,
                    ["jobTemplate"] = new JsonObject
                    {
                        ["spec"] = new JsonObject { ["backoffLimit"] = 2, ["template"] = template },
                    },
                },
            };
        }

        private JsonObject Service(string app, string team, string ns)
        {
            var violation = NextViolation(workload: false);
            return new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Service",
                ["metadata"] = Metadata(app, app, team, ns, "Service", violation),
                ["spec"] = new JsonObject
                {
                    ["type"] = "ClusterIP",
                    ["selector"] = new JsonObject { ["app.kubernetes.io/name"] = app },
                    ["ports"] = new JsonArray(
                        new JsonObject { ["name"] = "http", ["port"] = 80, ["targetPort"] = "http", ["protocol"] = "TCP" },
                        new JsonObject { ["name"] = "metrics", ["port"] = 9090, ["targetPort"] = 9090, ["protocol"] = "TCP" }),
                },
            };
        }

        private JsonObject ConfigMap(string app, string team, string ns, string env)
        {
            var data = new JsonObject
            {
                ["LOG_LEVEL"] = env == "prod" ? "info" : "debug",
                ["FEATURE_FLAGS"] = "checkout-v2,fast-search",
                ["UPSTREAM_URL"] = $"http://{app}-upstream.{ns}.svc.cluster.local:8080",
                ["application.yaml"] = $"server:\n  port: 8080\nmanagement:\n  port: 9090\nenvironment: {env}\n",
            };
            return new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = Metadata(app + "-config", app, team, ns, "ConfigMap", Violation.None),
                ["data"] = data,
            };
        }

        private JsonObject PodTemplate(string app, string team, Violation violation, bool withInit, bool sidecar)
        {
            var podSecurity = new JsonObject { ["fsGroup"] = 10001, ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" } };
            if (violation != Violation.RunsAsRoot)
            {
                podSecurity["runAsNonRoot"] = true;
            }

            var containers = new JsonArray(Container(app, app, team, violation, main: true));
            if (sidecar)
            {
                containers.Add(Container("log-shipper", "fluent-bit", "platform", Violation.None, main: false));
            }

            var spec = new JsonObject
            {
                ["serviceAccountName"] = app,
                ["automountServiceAccountToken"] = false,
                ["securityContext"] = podSecurity,
            };
            if (withInit)
            {
                spec["initContainers"] = new JsonArray(Container("migrate", app + "-migrations", team, Violation.None, main: false));
            }

            spec["containers"] = containers;
            spec["volumes"] = new JsonArray(
                new JsonObject { ["name"] = "config", ["configMap"] = new JsonObject { ["name"] = app + "-config" } },
                new JsonObject { ["name"] = "tmp", ["emptyDir"] = new JsonObject() });
            return new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["labels"] = Labels(app, team, violation),
                    ["annotations"] = new JsonObject { ["checksum/config"] = Hex(32) },
                },
                ["spec"] = spec,
            };
        }

        private JsonObject Container(string name, string repository, string team, Violation violation, bool main)
        {
            var container = new JsonObject
            {
                ["name"] = name,
                ["image"] = Image(repository, team, violation),
                ["imagePullPolicy"] = "IfNotPresent",
            };
            if (main)
            {
                container["ports"] = new JsonArray(
                    new JsonObject { ["name"] = "http", ["containerPort"] = 8080, ["protocol"] = "TCP" },
                    new JsonObject { ["name"] = "metrics", ["containerPort"] = 9090, ["protocol"] = "TCP" });
                container["env"] = new JsonArray(
                    new JsonObject { ["name"] = "APP_NAME", ["value"] = name },
                    new JsonObject { ["name"] = "JAVA_TOOL_OPTIONS", ["value"] = "-XX:MaxRAMPercentage=75" },
                    new JsonObject
                    {
                        ["name"] = "POD_NAMESPACE",
                        ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.namespace" } },
                    });
                container["envFrom"] = new JsonArray(new JsonObject { ["configMapRef"] = new JsonObject { ["name"] = repository + "-config" } });
                container["readinessProbe"] = new JsonObject
                {
                    ["httpGet"] = new JsonObject { ["path"] = "/ready", ["port"] = "http" },
                    ["periodSeconds"] = 10,
                };
                container["livenessProbe"] = new JsonObject
                {
                    ["httpGet"] = new JsonObject { ["path"] = "/live", ["port"] = "http" },
                    ["initialDelaySeconds"] = 10,
                };
            }

            if (violation != Violation.MissingRequests)
            {
                var cpu = $"{_random.Next(1, 20) * 50}m";
                var memory = $"{_random.Next(1, 16) * 64}Mi";
                container["resources"] = new JsonObject
                {
                    ["requests"] = new JsonObject { ["cpu"] = cpu, ["memory"] = memory },
                    ["limits"] = new JsonObject { ["memory"] = memory },
                };
            }

            var security = new JsonObject
            {
                ["allowPrivilegeEscalation"] = violation != Violation.PrivilegeEscalation ? false : true,
                ["readOnlyRootFilesystem"] = true,
                ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
            };
            if (violation == Violation.Privileged)
            {
                security["privileged"] = true;
            }

            container["securityContext"] = security;
            container["volumeMounts"] = new JsonArray(
                new JsonObject { ["name"] = "config", ["mountPath"] = "/etc/app", ["readOnly"] = true },
                new JsonObject { ["name"] = "tmp", ["mountPath"] = "/tmp" });
            return container;
        }

        private string Image(string repository, string team, Violation violation)
        {
            var version = $"{_random.Next(1, 4)}.{_random.Next(0, 30)}.{_random.Next(0, 10)}";
            var registry = _random.Next(3) == 0 ? "ghcr.io/example-org" : "registry.example.com/" + team;
            var digest = "sha256:" + Hex(32);
            return violation switch
            {
                Violation.TagOnlyImage => $"{registry}/{repository}:{version}",
                Violation.LatestTag => $"{registry}/{repository}:latest@{digest}",
                Violation.ForeignRegistry => $"docker.io/library/{repository}:{version}@{digest}",
                _ => _random.Next(2) == 0 ? $"{registry}/{repository}@{digest}" : $"{registry}/{repository}:{version}@{digest}",
            };
        }

        private string Hex(int bytes)
        {
            Span<byte> buffer = stackalloc byte[bytes];
            _random.NextBytes(buffer);
            return Convert.ToHexStringLower(buffer);
        }
    }
}
