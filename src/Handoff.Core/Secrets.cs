using System.Collections.Concurrent;

namespace Handoff;

/// <summary>
/// Process-wide list of secret values (tokens, passwords, keys) that must never reach a log, a PR
/// body or an exception message. Code that reads a secret registers it; code that writes text a
/// user or a third party will see passes it through <see cref="Redact"/>.
/// </summary>
public static class Secrets
{
    private static readonly ConcurrentDictionary<string, byte> Values = new();

    public const string Mask = "***";

    public static string Register(string secret)
    {
        // Very short values would mask ordinary words; no real credential is that short.
        if (!string.IsNullOrEmpty(secret) && secret.Length >= 4)
        {
            Values.TryAdd(secret, 0);
        }

        return secret;
    }

    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        foreach (var secret in Values.Keys.OrderByDescending(s => s.Length))
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }
}
