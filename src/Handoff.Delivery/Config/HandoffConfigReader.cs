using System.Text.RegularExpressions;

namespace Handoff.Delivery.Config;

/// <summary>Reads and validates handoff.yaml; every error names file:line:column and the fix.</summary>
public static partial class HandoffConfigReader
{
    private static readonly string[] TopKeys = ["version", "baseBranch", "environments", "apps", "provenance", "validation", "links"];
    private static readonly string[] LinksKeys = ["artifact"];
    private static readonly string[] ArtifactPlaceholders = ["registry", "repository", "digest"];
    private static readonly string[] EnvironmentKeys = ["name", "reviewers", "teamReviewers", "labels", "freezeFile", "kubeVersion", "apiVersions"];
    private static readonly string[] AppKeys = ["image", "writeRepository", "pin", "environments", "render"];
    private static readonly string[] PinKeys = ["file", "helm", "kustomize", "yaml", "value", "document"];
    private static readonly string[] EnvironmentPinKeys = [.. PinKeys, "render"];
    private static readonly string[] ProvenanceKeys = ["publicKey", "builderId", "apps", "registry"];
    private static readonly string[] AppProvenanceKeys = ["sourceRepository", "builderId", "publicKey"];

    public static HandoffConfig Load(string path, string? displayName = null)
    {
        var name = displayName ?? path;
        if (!File.Exists(path))
        {
            throw new HandoffException($"{name}: not found. A delivery repository needs a handoff.yaml at its root describing apps and environments; start from samples/delivery-repo/handoff.yaml.");
        }

        return Parse(File.ReadAllText(path), name);
    }

    public static HandoffConfig Parse(string text, string file)
    {
        var root = LoadRoot(text, file);
        int? version = null;
        string? baseBranch = null;
        List<EnvironmentConfig>? environments = null;
        YamlConfigNode? appsNode = null;
        YamlConfigNode? provenanceNode = null;
        var validation = ValidationConfig.Default;
        var links = LinksConfig.None;
        foreach (var (key, value) in root.Mapping(TopKeys))
        {
            switch (key)
            {
                case "links":
                    links = ReadLinks(value);
                    break;
                case "version":
                    version = value.Integer();
                    if (version != 1)
                    {
                        throw value.Error($"version {version} is not supported.", "This Handoff reads version: 1.");
                    }

                    break;
                case "baseBranch":
                    baseBranch = value.String();
                    break;
                case "environments":
                    environments = ReadEnvironments(value);
                    break;
                case "apps":
                    appsNode = value;
                    break;
                case "provenance":
                    provenanceNode = value;
                    break;
                case "validation":
                    validation = ValidationConfigReader.Read(value);
                    break;
            }
        }

        if (environments is null)
        {
            throw root.Error("missing 'environments:'.", "List the environments in promotion order, e.g. environments: [{name: dev}, {name: staging}, {name: prod}].");
        }

        if (appsNode is not { } appsValue)
        {
            throw root.Error("missing 'apps:'.", "Add apps: with, per app, where its image is pinned in each environment (see samples/delivery-repo/README.md).");
        }

        var apps = ReadApps(appsValue, environments);
        var provenance = provenanceNode is { } p ? ReadProvenance(p, apps) : null;
        return new HandoffConfig(file, baseBranch, environments, apps, provenance) { Validation = validation, Links = links };
    }

    private static YamlConfigNode LoadRoot(string text, string file)
    {
        var stream = YamlDocuments.Load(text, file, "Fix the syntax at that position.");
        if (stream.Documents.Count != 1)
        {
            throw new InputFileException(file, 1, 1, $"expected one YAML document, found {stream.Documents.Count}.", "Keep the whole configuration in a single document (no '---' separators).");
        }

        return new YamlConfigNode(file, stream.Documents[0].RootNode, "");
    }

    private static List<EnvironmentConfig> ReadEnvironments(YamlConfigNode node)
    {
        var environments = new List<EnvironmentConfig>();
        foreach (var item in node.Sequence())
        {
            string? name = null;
            IReadOnlyList<string> reviewers = [], teams = [], labels = [];
            string? freezeFile = null;
            string? kubeVersion = null;
            IReadOnlyList<string> apiVersions = [];
            if (item.IsScalar)
            {
                name = item.String();
            }
            else
            {
                foreach (var (key, value) in item.Mapping(EnvironmentKeys))
                {
                    switch (key)
                    {
                        case "name":
                            name = value.String();
                            break;
                        case "reviewers":
                            reviewers = value.StringList();
                            break;
                        case "teamReviewers":
                            teams = value.StringList();
                            break;
                        case "labels":
                            labels = value.StringList();
                            break;
                        case "freezeFile":
                            freezeFile = RepoRelativePath(value);
                            break;
                        case "kubeVersion":
                            kubeVersion = ValidationConfigReader.KubeVersion(value);
                            break;
                        case "apiVersions":
                            apiVersions = ValidationConfigReader.ApiVersions(value);
                            break;
                    }
                }
            }

            if (name is null)
            {
                throw item.Error($"{item.Path} has no name.", "Add name: ENV (e.g. name: staging).");
            }

            ValidateName(item, name, "environment");
            if (environments.Any(e => e.Name == name))
            {
                throw item.Error($"environment '{name}' is listed twice.", "List each environment once, in promotion order.");
            }

            environments.Add(new EnvironmentConfig(name, environments.Count, reviewers, teams, labels, freezeFile ?? $"env/{name}/freeze.yaml", item.Location)
            {
                KubeVersion = kubeVersion,
                ApiVersions = apiVersions,
            });
        }

        if (environments.Count == 0)
        {
            throw node.Error("environments: is empty.", "List at least one environment, e.g. - name: dev.");
        }

        return environments;
    }

    private static List<AppConfig> ReadApps(YamlConfigNode node, IReadOnlyList<EnvironmentConfig> environments)
    {
        var apps = new List<AppConfig>();
        foreach (var (name, appNode) in node.Mapping())
        {
            ValidateName(appNode, name, "app");
            string? image = null;
            var writeRepository = false;
            YamlConfigNode? defaultPin = null;
            YamlConfigNode? perEnvironment = null;
            RenderSpec? render = null;
            var entries = appNode.IsNull ? [] : appNode.Mapping(AppKeys);
            foreach (var (key, value) in entries)
            {
                switch (key)
                {
                    case "image":
                        image = value.String();
                        break;
                    case "writeRepository":
                        writeRepository = value.Boolean();
                        break;
                    case "pin":
                        defaultPin = value;
                        break;
                    case "environments":
                        perEnvironment = value;
                        break;
                    case "render":
                        render = RenderSettingsReader.Read(value);
                        break;
                }
            }

            var pins = new Dictionary<string, PinLocation>(StringComparer.Ordinal);
            var renderOverrides = new Dictionary<string, RenderSpec>(StringComparer.Ordinal);
            if (perEnvironment is { } envs)
            {
                foreach (var (envName, pinNode) in envs.Mapping())
                {
                    if (environments.All(e => e.Name != envName))
                    {
                        throw pinNode.Error(
                            $"apps.{name}.environments names '{envName}', which is not under environments:.",
                            $"Use one of: {string.Join(", ", environments.Select(e => e.Name))}, or add '{envName}' to environments:.");
                    }

                    var entry = pinNode.IsNull ? [] : pinNode.Mapping(EnvironmentPinKeys);
                    if (entry.FirstOrDefault(e => e.Key == "render") is { Key: not null } overrideEntry)
                    {
                        renderOverrides[envName] = RenderSettingsReader.Read(overrideEntry.Value);
                    }

                    // An entry that only overrides render: settings keeps the app's default pin.
                    pins[envName] = entry.All(e => e.Key == "render")
                        ? ReadPin(defaultPin ?? throw pinNode.Error($"apps.{name}.environments.{envName} {(pinNode.IsNull ? "is empty" : "gives only render:")} and apps.{name} has no pin: default.", "Give file: and helm:/kustomize:/yaml: here, or a pin: default for the app."), envName)
                        : ReadPin(pinNode, envName, EnvironmentPinKeys);
                }
            }
            else if (defaultPin is { } pin)
            {
                foreach (var environment in environments)
                {
                    pins[environment.Name] = ReadPin(pin, environment.Name);
                }
            }

            if (pins.Count == 0)
            {
                throw appNode.Error($"app '{name}' is not pinned in any environment.", $"Add apps.{name}.environments with, per environment, file: and helm: KEY (or kustomize: IMAGE, or yaml: PATH).");
            }

            // Keep the configured promotion order regardless of the order the app lists its environments in.
            var ordered = environments.Where(e => pins.ContainsKey(e.Name)).ToDictionary(e => e.Name, e => pins[e.Name], StringComparer.Ordinal);
            var renders = new Dictionary<string, RenderSettings>(StringComparer.Ordinal);
            foreach (var environment in ordered.Keys)
            {
                var environmentRender = renderOverrides.GetValueOrDefault(environment);
                if (render is not null || environmentRender is not null)
                {
                    renders[environment] = RenderSettingsReader.Resolve(name, environment, render, environmentRender);
                }
            }

            apps.Add(new AppConfig(name, image, writeRepository, ordered, appNode.KeyLocation) { Render = renders });
        }

        if (apps.Count == 0)
        {
            throw node.Error("apps: is empty.", "Describe at least one app.");
        }

        return apps;
    }

    private static PinLocation ReadPin(YamlConfigNode node, string environment, IReadOnlyCollection<string>? keys = null)
    {
        string? file = null;
        var kinds = new List<(PinKind Kind, string Key, YamlConfigNode Node)>();
        var value = YamlPinValue.Reference;
        YamlConfigNode? valueNode = null;
        int? document = null;
        YamlConfigNode? documentNode = null;
        foreach (var (key, item) in node.Mapping(keys ?? PinKeys))
        {
            switch (key)
            {
                case "document":
                    documentNode = item;
                    document = int.TryParse(item.String(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                        ? index
                        : throw item.Error($"{item.Path} '{item.String()}' is not a document index.", "Write the 0-based index of the YAML document that holds the image: document: 0 is the first document of the file, document: 1 the one after the first '---'.");
                    break;
                case "file":
                    file = RepoRelativePath(item, environment);
                    break;
                case "helm":
                    kinds.Add((PinKind.Helm, item.String(), item));
                    break;
                case "kustomize":
                    kinds.Add((PinKind.Kustomize, item.String(), item));
                    break;
                case "yaml":
                    kinds.Add((PinKind.Yaml, item.String(), item));
                    break;
                case "value":
                    valueNode = item;
                    value = item.String() switch
                    {
                        "reference" => YamlPinValue.Reference,
                        "digest" => YamlPinValue.Digest,
                        var other => throw item.Error($"value '{other}' is not known.", "Use value: reference (the scalar is a whole image reference) or value: digest (the scalar is only the digest)."),
                    };
                    break;
            }
        }

        if (file is null)
        {
            throw node.Error($"{node.Path} has no file:.", "Add file: PATH (relative to the repository root), e.g. file: env/dev/values.yaml.");
        }

        if (kinds.Count != 1)
        {
            throw node.Error(
                kinds.Count == 0 ? $"{node.Path} does not say where the image is in {file}." : $"{node.Path} gives {string.Join(" and ", kinds.Select(k => k.Kind.ToString().ToLowerInvariant() + ":"))}; only one is allowed.",
                "Give exactly one of helm: VALUES.KEY (a mapping with repository/tag/digest), kustomize: IMAGE-NAME (an images: entry) or yaml: PATH (one scalar).");
        }

        var (kind, target, targetNode) = kinds[0];
        if (target.Length == 0)
        {
            throw targetNode.Error($"{targetNode.Path} is empty.", "Name the key, image or path.");
        }

        if (valueNode is { } v && kind != PinKind.Yaml)
        {
            throw v.Error("value: applies only to yaml: pins.", "Remove it.");
        }

        if (documentNode is { } d && kind == PinKind.Kustomize)
        {
            throw d.Error("document: applies only to helm: and yaml: pins; a kustomization.yaml is a single document.", "Remove it.");
        }

        return new PinLocation(kind, file, target.Replace("{env}", environment, StringComparison.Ordinal), value, node.KeyLocation) { Document = document };
    }

    private static ProvenanceConfig ReadProvenance(YamlConfigNode node, IReadOnlyList<AppConfig> apps)
    {
        string? publicKey = null, builderId = null, registry = null;
        var perApp = new Dictionary<string, AppProvenance>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Mapping(ProvenanceKeys))
        {
            switch (key)
            {
                case "publicKey":
                    publicKey = RepoRelativePath(value);
                    break;
                case "builderId":
                    builderId = value.String();
                    break;
                case "registry":
                    registry = value.String().Trim();
                    if (!ImageReference.IsValidRegistry(registry, out var problem))
                    {
                        throw value.Error(problem, "Write the registry host, with a port when it has one, e.g. registry: ghcr.io or registry: 127.0.0.1:5000.");
                    }

                    break;
                case "apps":
                    foreach (var (app, appNode) in value.Mapping())
                    {
                        if (apps.All(a => a.Name != app))
                        {
                            throw appNode.Error($"provenance.apps names '{app}', which is not under apps:.", $"Use one of: {string.Join(", ", apps.Select(a => a.Name))}.");
                        }

                        string? source = null, builder = null, appKey = null;
                        foreach (var (k, v) in appNode.Mapping(AppProvenanceKeys))
                        {
                            switch (k)
                            {
                                case "sourceRepository":
                                    source = v.String();
                                    break;
                                case "builderId":
                                    builder = v.String();
                                    break;
                                default:
                                    appKey = RepoRelativePath(v);
                                    break;
                            }
                        }

                        perApp[app] = new AppProvenance(source, builder) { PublicKey = appKey, DefinedAt = appNode.KeyLocation };
                    }

                    break;
            }
        }

        return new ProvenanceConfig(publicKey, builderId, perApp) { Registry = registry, DefinedAt = node.KeyLocation };
    }

    private static LinksConfig ReadLinks(YamlConfigNode node)
    {
        var links = LinksConfig.None;
        foreach (var (key, value) in node.Mapping(LinksKeys))
        {
            if (key == "artifact")
            {
                links = links with { Artifact = LinkTemplate(value, ArtifactPlaceholders, "https://registry.example.com/{repository}/manifests/{digest}") };
            }
        }

        return links;
    }

    /// <summary>
    /// A URL template checked once here, so a typo in a placeholder is an error at its line instead
    /// of a broken link in every request body.
    /// </summary>
    private static string LinkTemplate(YamlConfigNode node, IReadOnlyList<string> placeholders, string example)
    {
        var template = node.String().Trim();
        var known = string.Join(", ", placeholders.Select(p => "{" + p + "}"));
        foreach (Match match in Placeholder().Matches(template))
        {
            if (!placeholders.Contains(match.Groups[1].Value))
            {
                throw node.Error($"{node.Path} uses {match.Value}, which is not a placeholder.", $"Use {known}, e.g. {example}.");
            }
        }

        if (!template.Contains("{digest}", StringComparison.Ordinal))
        {
            throw node.Error($"{node.Path} has no {{digest}}, so every artifact would link to the same page.", $"Put {{digest}} where the artifact's digest goes, e.g. {example}.");
        }

        // The template ends up inside a Markdown link, (url): these characters would cut it short.
        if (template.IndexOfAny([' ', '(', ')', '<', '>']) >= 0)
        {
            throw node.Error($"{node.Path} contains a space, '(', ')', '<' or '>', which break a Markdown link.", "Percent-encode them (%20, %28, %29, %3C, %3E).");
        }

        var sample = placeholders.Aggregate(template, (text, name) => text.Replace("{" + name + "}", "x", StringComparison.Ordinal));
        if (!Uri.TryCreate(sample, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw node.Error($"{node.Path} '{template}' is not an http(s) URL template.", $"Write the whole URL with {known} placeholders, e.g. {example}.");
        }

        return template;
    }

    private static string RepoRelativePath(YamlConfigNode node, string? environment = null)
    {
        var path = node.String();
        if (environment is not null)
        {
            path = path.Replace("{env}", environment, StringComparison.Ordinal);
        }

        return CheckRepoRelative(node, path);
    }

    /// <summary><paramref name="path"/> (read from <paramref name="node"/>) as a normalised repository-relative path, or an error at the node.</summary>
    internal static string CheckRepoRelative(YamlConfigNode node, string path)
    {
        var normalized = path.Replace('\\', '/');
        if (normalized.StartsWith("./", StringComparison.Ordinal))
        {
            normalized = normalized[2..];
        }

        // A folder may be written with a trailing slash (crds/); the path is the same.
        if (normalized.Length > 1 && normalized.EndsWith('/') && !normalized.EndsWith("//", StringComparison.Ordinal))
        {
            normalized = normalized[..^1];
        }

        if (normalized.Length == 0 || normalized.StartsWith('/') || Path.IsPathRooted(path) || normalized.Split('/').Any(part => part is ".." or "." or ""))
        {
            throw node.Error($"'{path}' is not a path inside the repository.", "Write it relative to the repository root, without a leading '/', '..' or empty parts, e.g. env/dev/values.yaml.");
        }

        return normalized;
    }

    private static void ValidateName(YamlConfigNode node, string name, string what)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw node.Error($"{what} name '{name}' is not allowed.", $"Use lowercase letters, digits and '-' (it becomes part of branch names and labels), e.g. {NameExample(name)}.");
        }
    }

    private static string NameExample(string name)
    {
        var cleaned = NonNameCharacters().Replace(name.ToLowerInvariant(), "-").Trim('-');
        return cleaned.Length > 0 ? cleaned : "myapp";
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex NonNameCharacters();

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex Placeholder();
}
