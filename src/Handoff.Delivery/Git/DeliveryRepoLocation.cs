using System.Text.RegularExpressions;

namespace Handoff.Delivery.Git;

/// <summary>How the user named the delivery repository.</summary>
public enum DeliveryRepoForm
{
    /// <summary>https://, http://, ssh://, git@host:path or file:// URL.</summary>
    Url,
    /// <summary>A local bare or non-bare repository.</summary>
    LocalPath,
    /// <summary>OWNER/NAME on GitHub (or GitHub Enterprise at the configured API URL).</summary>
    GitHubName,
}

/// <summary>
/// The <c>--delivery-repo</c> argument, resolved to something git can clone. Local paths become
/// file:// URLs because git ignores --depth for plain-path clones.
/// </summary>
public sealed partial record DeliveryRepoLocation(DeliveryRepoForm Form, string Original, string? CloneUrl, string? Owner, string? Name)
{
    public static DeliveryRepoLocation Parse(string value, string? workingDirectory = null)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new HandoffException("No delivery repository given: pass --delivery-repo=URL, a local PATH, or OWNER/NAME (GitHub).");
        }

        value = value.Trim();
        if (SchemePattern().IsMatch(value))
        {
            if (value.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
            {
                return new(DeliveryRepoForm.Url, value, value, null, null);
            }

            RegisterEmbeddedPassword(value);
            var (owner, name) = OwnerAndName(value);
            return new(DeliveryRepoForm.Url, value, value, owner, name);
        }

        if (ScpPattern().Match(value) is { Success: true } scp && !Directory.Exists(value))
        {
            var (owner, name) = OwnerAndName("ssh://" + scp.Groups["host"].Value + "/" + scp.Groups["path"].Value);
            return new(DeliveryRepoForm.Url, value, value, owner, name);
        }

        var full = Path.GetFullPath(value, workingDirectory ?? Environment.CurrentDirectory);
        if (Directory.Exists(full))
        {
            return new(DeliveryRepoForm.LocalPath, value, new Uri(full).AbsoluteUri, null, null);
        }

        if (OwnerNamePattern().Match(value) is { Success: true } github)
        {
            return new(DeliveryRepoForm.GitHubName, value, null, github.Groups["owner"].Value, github.Groups["name"].Value);
        }

        throw new HandoffException($"--delivery-repo '{value}' is not a URL (https://, ssh://, git@host:path, file://), an existing directory ({full} does not exist) or OWNER/NAME. Fix the value, or clone/create the delivery repository first.");
    }

    /// <summary>The last two path segments of a URL, which on GitHub and GitLab (top-level groups) are owner and name.</summary>
    private static (string? Owner, string? Name) OwnerAndName(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return (null, null);
        }

        var parts = uri.AbsolutePath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            return (null, null);
        }

        var name = parts[^1].EndsWith(".git", StringComparison.Ordinal) ? parts[^1][..^4] : parts[^1];
        return (parts[^2], name);
    }

    /// <summary>A URL may carry user:token@; the token must never reach a log even though the user put it there.</summary>
    private static void RegisterEmbeddedPassword(string url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Split(':', 2) is [_, { Length: > 0 } password])
        {
            Secrets.Register(Uri.UnescapeDataString(password));
            Secrets.Register(password);
        }
    }

    public override string ToString() => Secrets.Redact(Original);

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9+.-]*://")]
    private static partial Regex SchemePattern();

    [GeneratedRegex("^(?:[^@/]+@)?(?<host>[^:/]+):(?<path>[^/].*)$")]
    private static partial Regex ScpPattern();

    [GeneratedRegex("^(?<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/(?<name>[A-Za-z0-9._-]{1,100})$")]
    private static partial Regex OwnerNamePattern();
}
