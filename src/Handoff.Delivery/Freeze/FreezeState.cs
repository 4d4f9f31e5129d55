using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Handoff.Delivery.Config;

namespace Handoff.Delivery.Freeze;

/// <summary>An environment's deployment freeze, as <c>env/&lt;env&gt;/freeze.yaml</c> holds it.</summary>
public sealed record FreezeState(bool Frozen, string? Reason, DateTimeOffset? Until, IReadOnlyList<string> Allow)
{
    /// <summary>What a freeze allows unless told otherwise: rolling back is how you get out of trouble during a freeze.</summary>
    public static IReadOnlyList<string> DefaultAllow { get; } = ["rollback"];

    public static FreezeState None { get; } = new(false, null, null, DefaultAllow);

    /// <summary>Frozen and not yet expired.</summary>
    public bool IsActive(DateTimeOffset now) => Frozen && (Until is null || now < Until);

    public bool Allows(string kind) => Allow.Contains(kind, StringComparer.OrdinalIgnoreCase);

    public string Describe() =>
        $"frozen{(string.IsNullOrEmpty(Reason) ? "" : $" ({Reason})")}{(Until is { } until ? $" until {FreezeFile.FormatTime(until)}" : " with no end date")}";
}

/// <summary>Reads and writes freeze.yaml. The file is Handoff's, so it is rendered whole rather than edited in place.</summary>
public static class FreezeFile
{
    private static readonly string[] Keys = ["frozen", "reason", "until", "allow"];

    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static FreezeState Parse(string text, string file)
    {
        var stream = YamlDocuments.Load(text, file, "Fix the syntax, or recreate it with ./build.sh --target=Freeze / Unfreeze.");
        if (stream.Documents.Count == 0)
        {
            return FreezeState.None;
        }

        var root = new YamlConfigNode(file, stream.Documents[0].RootNode, "");
        if (root.IsNull)
        {
            return FreezeState.None;
        }

        var frozen = false;
        string? reason = null;
        DateTimeOffset? until = null;
        var allow = FreezeState.DefaultAllow;
        foreach (var (key, value) in root.Mapping(Keys))
        {
            switch (key)
            {
                case "frozen":
                    frozen = value.Boolean();
                    break;
                case "reason":
                    reason = value.IsNull ? null : value.String();
                    break;
                case "until":
                    var text2 = value.IsNull ? "" : value.String();
                    if (text2.Length > 0)
                    {
                        until = ParseTime(text2) ?? throw value.Error($"until '{text2}' is not an ISO-8601 time.", "Write e.g. until: \"2026-12-01T00:00:00Z\", or leave it empty for no end.");
                    }

                    break;
                case "allow":
                    allow = value.StringList();
                    break;
            }
        }

        return new FreezeState(frozen, string.IsNullOrEmpty(reason) ? null : reason, until, allow);
    }

    public static DateTimeOffset? ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;

    public static string FormatTime(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Render(string environment, FreezeState state) =>
        $"""
        # Deployment freeze for {environment}. Change it with a pull request from
        #   ./build.sh --target=Freeze --env={environment} --reason="..." [--until=2026-12-01T00:00:00Z]
        #   ./build.sh --target=Unfreeze --env={environment}
        # While frozen, promotions to {environment} are refused; the kinds listed in allow still go through.
        frozen: {(state.Frozen ? "true" : "false")}
        reason: {Quote(state.Reason ?? "")}
        until: {Quote(state.Until is { } until ? FormatTime(until) : "")}
        allow: [{string.Join(", ", state.Allow.Select(Quote))}]

        """;

    /// <summary>A JSON string is a valid YAML double-quoted scalar, so this quotes anything safely.</summary>
    private static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && !char.IsAsciiDigit(value[0]) && value is not ("true" or "false" or "null" or "yes" or "no" or "on" or "off")
            ? value
            : JsonSerializer.Serialize(value, QuoteOptions);
}
