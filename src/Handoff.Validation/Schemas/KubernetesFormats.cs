using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Handoff.Validation.Schemas;

/// <summary>
/// Format checks as kubeconform applies them: standard formats are asserted, and <c>duration</c>
/// accepts Go durations (<c>1h30m</c>, what Kubernetes API types use) as well as ISO 8601
/// (<c>PT1H30M</c>). Formats nobody defines (<c>int32</c>, <c>byte</c>, …) pass.
/// </summary>
internal static partial class KubernetesFormats
{
    public static FormatRegistry Registry { get; } = CreateRegistry();

    private static FormatRegistry CreateRegistry()
    {
        var registry = new FormatRegistry();
        registry.Register(new DurationFormat());
        return registry;
    }

    private sealed class DurationFormat() : Format("duration")
    {
        public override bool Validate(JsonElement value, out string? errorMessage)
        {
            errorMessage = null;
            if (value.ValueKind != JsonValueKind.String)
            {
                return true;
            }

            var text = value.GetString()!;
            if (GoDuration().IsMatch(text) || IsoDuration().IsMatch(text) && text is not ("P" or "PT") && !text.EndsWith('T'))
            {
                return true;
            }

            errorMessage = $"'{text}' is not a duration: use Go form like 90s, 1h30m or 250ms (or ISO 8601 like PT1H30M)";
            return false;
        }
    }

    [GeneratedRegex(@"^[-+]?(0|(\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$")]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"^P(\d+W|(\d+Y)?(\d+M)?(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?)$")]
    private static partial Regex IsoDuration();
}
