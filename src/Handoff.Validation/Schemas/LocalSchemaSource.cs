using System.Collections.Concurrent;

namespace Handoff.Validation.Schemas;

/// <summary>
/// Schemas on disk: a path template, or a folder. A folder holds <c>{kind}{kindSuffix}.json</c> files
/// (e.g. <c>deployment-apps-v1.json</c>); a folder laid out like kubernetes-json-schema
/// (<c>v1.34.0-standalone-strict/…</c>) is used that way when the version folder exists.
/// </summary>
public sealed class LocalSchemaSource : ISchemaSource
{
    private const string VersionedLayout = "{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}";
    private const string FileLayout = "{{ .ResourceKind }}{{ .KindSuffix }}.json";

    private readonly SchemaPathTemplate? _template;
    private readonly string? _folder;
    private readonly ConcurrentDictionary<string, SchemaPathTemplate> _folderTemplates = new(StringComparer.Ordinal);

    private LocalSchemaSource(string description, SchemaPathTemplate? template, string? folder)
    {
        Description = description;
        _template = template;
        _folder = folder;
    }

    public string Description { get; }

    public static LocalSchemaSource ForTemplate(string template) => new(template, SchemaPathTemplate.Parse(template), null);

    public static LocalSchemaSource ForFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new HandoffException($"Schema location '{folder}' does not exist. Pass an existing folder of JSON schemas, a path template ending in .json, a URL, or 'default'.");
        }

        return new LocalSchemaSource(folder, null, folder);
    }

    public SchemaFetchResult Fetch(SchemaKey key, SchemaTemplateValues values)
    {
        var path = TemplateFor(values).Render(values);
        if (!File.Exists(path))
        {
            return SchemaFetchResult.NotFound(path);
        }

        try
        {
            return SchemaFetchResult.Parse(path, File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return SchemaFetchResult.Failed(path, $"cannot read the schema file: {ex.Message}");
        }
    }

    private SchemaPathTemplate TemplateFor(SchemaTemplateValues values)
    {
        if (_template is not null)
        {
            return _template;
        }

        var layoutKey = values.NormalizedKubernetesVersion + values.StrictSuffix;
        return _folderTemplates.GetOrAdd(layoutKey, _ =>
        {
            var versioned = Path.Combine(_folder!, values.NormalizedKubernetesVersion + "-standalone" + values.StrictSuffix);
            var root = EscapeBraces(_folder!);
            return SchemaPathTemplate.Parse(Directory.Exists(versioned)
                ? Path.Combine(root, VersionedLayout, FileLayout)
                : Path.Combine(root, FileLayout));
        });
    }

    private static string EscapeBraces(string path) =>
        path.Contains("{{", StringComparison.Ordinal) ? throw new HandoffException($"Schema folder '{path}' contains '{{{{'; pass it as a template ending in .json instead.") : path;
}
