using System.Text.Json.Nodes;
using Handoff.Policy.Yaml;

namespace Handoff.Policy.Loading;

/// <summary>Finds and compiles the Kyverno policies in a file, a folder, or a kustomization folder.</summary>
internal static class PolicyLoader
{
    public static IReadOnlyList<ClusterPolicy> Load(string path) => LoadAll(path).Policies;

    /// <summary>The Kyverno policies, and the other admission policies found beside them that this engine does not evaluate.</summary>
    public static PolicyLoadResult LoadAll(string path)
    {
        var policies = new List<ClusterPolicy>();
        var others = new List<UnevaluatedPolicy>();
        foreach (var document in LoadDocuments(path))
        {
            if (PolicyParser.IsPolicy(document.Root))
            {
                policies.Add(PolicyParser.Parse(document.Root, document.Map, document.Map.File));
            }
            else if (UnevaluatedPolicy.From(document) is { } other)
            {
                others.Add(other);
            }
        }

        var duplicate = policies.GroupBy(p => (p.Kind, p.Namespace, p.Name)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            var files = string.Join(" and ", duplicate.Select(p => p.SourceFile).Distinct());
            throw new HandoffException($"{path}: the {duplicate.Key.Kind} '{duplicate.First()}' is defined more than once ({files}). Policy names must be unique; rename or remove one.");
        }

        return new PolicyLoadResult(policies, others);
    }

    /// <summary>All YAML documents under <paramref name="path"/>, rendering kustomization folders with kustomize.</summary>
    public static IReadOnlyList<YamlJsonDocument> LoadDocuments(string path)
    {
        if (File.Exists(path))
        {
            return YamlJsonReader.ReadFile(path);
        }

        if (!Directory.Exists(path))
        {
            throw new HandoffException($"{path}: no such file or folder. Check the path (relative paths are resolved from {Environment.CurrentDirectory}).");
        }

        if (KustomizationFile.FindIn(path) is { } kustomization)
        {
            return Kustomize(path, kustomization);
        }

        var documents = new List<YamlJsonDocument>();
        foreach (var file in YamlFiles(path))
        {
            documents.AddRange(YamlJsonReader.ReadFile(file));
        }

        return documents;
    }

    private static IEnumerable<string> YamlFiles(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if ((name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                && name is not ("kyverno-test.yaml" or "kyverno-test.yml") && !KustomizationFile.Names.Contains(name))
            {
                yield return file;
            }
        }

        foreach (var sub in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            // Hidden folders (.kyverno-test, .git) hold fixtures and metadata, not policies.
            if (!Path.GetFileName(sub).StartsWith('.'))
            {
                foreach (var file in YamlFiles(sub))
                {
                    yield return file;
                }
            }
        }
    }

    private static IReadOnlyList<YamlJsonDocument> Kustomize(string directory, string kustomization)
    {
        var kubectl = Exec.FindOnPath("kubectl", Path.Combine("tools", "bin")) ?? Exec.FindOnPath("kustomize", Path.Combine("tools", "bin"));
        if (kubectl is null)
        {
            throw new HandoffException($"{kustomization}: rendering a kustomization needs kubectl (or kustomize) on PATH or in tools/bin. Install kubectl, or point at the policy files instead of the folder.");
        }

        var arguments = Path.GetFileNameWithoutExtension(kubectl) == "kustomize" ? new[] { "build", directory } : new[] { "kustomize", directory };
        var result = Exec.Run(kubectl, arguments, new ExecOptions { Timeout = TimeSpan.FromMinutes(2) });
        if (!result.Succeeded)
        {
            throw new HandoffException($"{kustomization}: kustomize failed: {result.StandardError.Trim()} Fix the kustomization (resources and patches must exist and apply).");
        }

        return YamlJsonReader.Read(result.StandardOutput, kustomization + " (rendered)");
    }

    /// <summary>Resources (Kubernetes manifests) from files or folders, for the test runner.</summary>
    public static IReadOnlyList<(JsonNode Resource, string File)> LoadResources(string path) =>
        LoadDocuments(path).Where(d => d.Root is JsonObject).Select(d => (d.Root, d.Map.File)).ToList();
}
