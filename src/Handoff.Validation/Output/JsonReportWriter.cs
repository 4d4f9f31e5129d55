using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Handoff.Validation.Validation;

namespace Handoff.Validation.Output;

/// <summary>
/// Machine-readable results: <c>{"resources": [...], "summary": {...}}</c> with each resource's identity,
/// file, line, column, status, error kind, message and violations (path, message, keyword, line, column).
/// Like kubeconform, valid and skipped resources are included only when verbose.
/// </summary>
public static class JsonReportWriter
{
    public static void Write(ValidationReport report, TextWriter output, bool verbose = false)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartArray("resources");
            foreach (var result in report.Results.Where(r => verbose || r.Status is ValidationStatus.Invalid or ValidationStatus.Error))
            {
                WriteResult(json, result);
            }

            json.WriteEndArray();
            json.WriteStartArray("warnings");
            foreach (var warning in report.Warnings)
            {
                json.WriteStringValue(warning);
            }

            json.WriteEndArray();
            var summary = report.Summary;
            json.WriteStartObject("summary");
            json.WriteNumber("files", summary.Files);
            json.WriteNumber("resources", summary.Resources);
            json.WriteNumber("valid", summary.Valid);
            json.WriteNumber("invalid", summary.Invalid);
            json.WriteNumber("errors", summary.Errors);
            json.WriteNumber("skipped", summary.Skipped);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        output.WriteLine(Secrets.Redact(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)));
    }

    private static void WriteResult(Utf8JsonWriter json, ResourceResult result)
    {
        json.WriteStartObject();
        json.WriteString("file", result.File);
        json.WriteNumber("line", result.Line);
        json.WriteNumber("column", result.Column);
        json.WriteNumber("documentIndex", result.DocumentIndex);
        if (result.ItemIndex is { } item)
        {
            json.WriteNumber("itemIndex", item);
        }

        WriteOptional(json, "apiVersion", result.Identity.ApiVersion);
        WriteOptional(json, "kind", result.Identity.Kind);
        WriteOptional(json, "namespace", result.Identity.Namespace);
        WriteOptional(json, "name", result.Identity.Name);
        json.WriteString("status", result.Status.ToString().ToLowerInvariant());
        if (result.ErrorKind is { } kind)
        {
            json.WriteString("errorKind", kind.ToString());
        }

        WriteOptional(json, "message", result.Message);
        WriteOptional(json, "schema", result.SchemaOrigin);
        json.WriteStartArray("violations");
        foreach (var violation in result.Violations)
        {
            json.WriteStartObject();
            json.WriteString("path", violation.Path);
            json.WriteString("message", violation.Message);
            json.WriteString("keyword", violation.Keyword);
            json.WriteNumber("line", violation.Position.Line);
            json.WriteNumber("column", violation.Position.Column);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
