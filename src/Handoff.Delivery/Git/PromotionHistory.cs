namespace Handoff.Delivery.Git;

/// <summary>Reads the promotion commits of one app and environment from the base branch, newest first.</summary>
internal static class PromotionHistory
{
    private const char RecordSeparator = '\x1e';
    private const char FieldSeparator = '\x1f';

    private const string Format = "--format=%x1e%H%x1f%P%x1f%s%x1f%(trailers:only,unfold,separator=%x1f)";

    public static async Task<IReadOnlyList<PromotionRecord>> ReadAsync(GitClient git, string revision, string app, string env, CancellationToken cancellationToken)
    {
        var output = await git.RunAsync("Cannot read the delivery repository's history",
        [
            "log", "--fixed-strings", "--all-match",
            $"--grep={HandoffTrailers.App}: {app}", $"--grep={HandoffTrailers.Env}: {env}",
            Format,
            revision,
        ], cancellationToken);
        return Parse(output).Where(r => r.App == app && r.Env == env).ToList();
    }

    /// <summary>Every commit with Handoff trailers in a revision range (e.g. the commits a branch adds to its base).</summary>
    public static async Task<IReadOnlyList<PromotionRecord>> ReadRangeAsync(GitClient git, string range, CancellationToken cancellationToken) =>
        Parse(await git.RunAsync("Cannot read the branch's commits", ["log", Format, range], cancellationToken)).ToList();

    internal static IEnumerable<PromotionRecord> Parse(string output)
    {
        foreach (var record in output.Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = record.TrimEnd('\n', '\r').Split(FieldSeparator);
            if (fields.Length < 3)
            {
                continue;
            }

            var trailers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var trailer in fields.Skip(3))
            {
                var colon = trailer.IndexOf(':');
                if (colon > 0)
                {
                    trailers[trailer[..colon].Trim()] = trailer[(colon + 1)..].Trim();
                }
            }

            if (!trailers.TryGetValue(HandoffTrailers.App, out var app) || !trailers.TryGetValue(HandoffTrailers.Env, out var env))
            {
                continue;
            }

            yield return new PromotionRecord(
                fields[0],
                fields[1].Split(' ', StringSplitOptions.RemoveEmptyEntries),
                fields[2],
                app,
                env,
                trailers.GetValueOrDefault(HandoffTrailers.Digest),
                trailers.GetValueOrDefault(HandoffTrailers.Tag),
                trailers.GetValueOrDefault(HandoffTrailers.SourceCommit),
                trailers.GetValueOrDefault(HandoffTrailers.PromotedFrom),
                trailers.GetValueOrDefault(HandoffTrailers.Run),
                string.Equals(trailers.GetValueOrDefault(HandoffTrailers.Rollback), "true", StringComparison.OrdinalIgnoreCase));
        }
    }
}
