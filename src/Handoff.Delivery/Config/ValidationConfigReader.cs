using System.Text.RegularExpressions;

namespace Handoff.Delivery.Config;

/// <summary>Reads <c>validation:</c> and the Kubernetes version settings shared with environments.</summary>
internal static partial class ValidationConfigReader
{
    private static readonly string[] Keys =
        ["kubeVersion", "apiVersions", "schemaLocations", "strict", "skipKinds", "ignoreMissingSchemas", "crds", "policies", "skipPolicies"];

    public static ValidationConfig Read(YamlConfigNode node)
    {
        var config = new ValidationConfig { DefinedAt = node.KeyLocation };
        if (node.IsNull)
        {
            return config;
        }

        foreach (var (key, value) in node.Mapping(Keys))
        {
            config = key switch
            {
                "kubeVersion" => config with { KubeVersion = KubeVersion(value) },
                "apiVersions" => config with { ApiVersions = ApiVersions(value) },
                "schemaLocations" => config with { SchemaLocations = SchemaLocations(value) },
                "strict" => config with { Strict = value.Boolean() },
                "skipKinds" => config with { SkipKinds = Names(value, "a kind or apiVersion/Kind, e.g. Secret or apps/v1/Deployment") },
                "ignoreMissingSchemas" => config with { IgnoreMissingSchemas = value.Boolean() },
                "crds" => config with { Crds = Paths(value) },
                "policies" => config with { Policies = HandoffConfigReader.CheckRepoRelative(value, value.String()), PoliciesConfigured = true },
                _ => config with { SkipPolicies = Names(value, "a policy name (metadata.name)") },
            };
        }

        return config;
    }

    /// <summary>1.34, 1.34.2 or v1.34.2, normalised to 1.34.2 (1.34 → 1.34.0), the form helm and schema locations both take.</summary>
    public static string KubeVersion(YamlConfigNode node)
    {
        var text = node.String().Trim();
        if (VersionPattern().Match(text) is not { Success: true } match)
        {
            throw node.Error($"kubeVersion '{text}' is not a Kubernetes version.", "Write MAJOR.MINOR or MAJOR.MINOR.PATCH, e.g. kubeVersion: \"1.34.0\".");
        }

        var patch = match.Groups["patch"].Success ? match.Groups["patch"].Value : "0";
        return $"{match.Groups["major"].Value}.{match.Groups["minor"].Value}.{patch}";
    }

    public static IReadOnlyList<string> ApiVersions(YamlConfigNode node) =>
        Names(node, "an API version such as monitoring.coreos.com/v1 (or monitoring.coreos.com/v1/ServiceMonitor)");

    private static List<string> Names(YamlConfigNode node, string what)
    {
        var items = node.IsScalar && !node.IsNull ? [node] : node.IsNull ? [] : node.Sequence().ToList();
        var names = new List<string>(items.Count);
        foreach (var item in items)
        {
            var name = item.String().Trim();
            if (name.Length == 0 || name.Any(char.IsWhiteSpace) || name.Contains(','))
            {
                throw item.Error($"'{name}' is not {what}.", "List one entry per item, without spaces or commas.");
            }

            names.Add(name);
        }

        return names;
    }

    private static List<string> Paths(YamlConfigNode node)
    {
        var items = node.IsScalar && !node.IsNull ? [node] : node.IsNull ? [] : node.Sequence().ToList();
        return items.Select(item => HandoffConfigReader.CheckRepoRelative(item, item.String())).ToList();
    }

    private static List<string> SchemaLocations(YamlConfigNode node)
    {
        var items = node.IsScalar && !node.IsNull ? [node] : node.IsNull ? [] : node.Sequence().ToList();
        var locations = new List<string>(items.Count);
        foreach (var item in items)
        {
            var location = item.String().Trim();
            if (location == "default")
            {
                locations.Add(location);
            }
            else if (location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || location.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                if (!Uri.TryCreate(location.Replace("{{", "", StringComparison.Ordinal).Replace("}}", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal), UriKind.Absolute, out _))
                {
                    throw item.Error($"'{location}' is not a URL.", "Write an http(s) URL or URL template, a folder in the repository, or default.");
                }

                locations.Add(location);
            }
            else
            {
                locations.Add(HandoffConfigReader.CheckRepoRelative(item, location));
            }
        }

        return locations;
    }

    [GeneratedRegex(@"^v?(?<major>\d{1,3})\.(?<minor>\d{1,3})(?:\.(?<patch>\d{1,4}))?$")]
    private static partial Regex VersionPattern();
}
