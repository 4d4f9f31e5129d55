namespace Handoff.Delivery.Git;

/// <summary>How git runs for Handoff: which binary, as whom, with which credentials and how long it may take.</summary>
internal sealed record GitSettings
{
    public string GitPath { get; init; } = "git";
    public GitIdentity Identity { get; init; } = GitIdentity.Default;
    public IReadOnlyList<GitCredential> Credentials { get; init; } = [];
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    public IReadOnlyDictionary<string, string?> Environment()
    {
        var env = new Dictionary<string, string?>
        {
            // Never wait for a password on a terminal nobody watches; fail with git's message instead.
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["GCM_INTERACTIVE"] = "never",
            // Messages we recognise (rejected pushes, missing refs) must be in English.
            ["LC_ALL"] = "C",
            ["LANGUAGE"] = "C",
            ["GIT_AUTHOR_NAME"] = Identity.Name,
            ["GIT_AUTHOR_EMAIL"] = Identity.Email,
            ["GIT_COMMITTER_NAME"] = Identity.Name,
            ["GIT_COMMITTER_EMAIL"] = Identity.Email,
        };

        var config = new List<KeyValuePair<string, string>>
        {
            new("commit.gpgsign", "false"),
            // Byte-exact edits must not be rewritten by line-ending conversion.
            new("core.autocrlf", "false"),
            new("core.safecrlf", "false"),
            new("advice.detachedHead", "false"),
            new("init.defaultBranch", "main"),
        };
        config.AddRange(Credentials.Select(c => c.ToConfigEntry()));
        env["GIT_CONFIG_COUNT"] = config.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < config.Count; i++)
        {
            env[$"GIT_CONFIG_KEY_{i}"] = config[i].Key;
            env[$"GIT_CONFIG_VALUE_{i}"] = config[i].Value;
        }

        return env;
    }
}
