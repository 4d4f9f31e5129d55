using System.Text;

namespace Handoff.Delivery.Git;

/// <summary>
/// An HTTP credential for git, handed over as an <c>http.&lt;url&gt;.extraHeader</c> through
/// GIT_CONFIG_* environment variables: never in the remote URL, the command line or a file, and
/// scoped to the remote's origin so it is not sent to any other host.
/// </summary>
internal sealed record GitCredential(string UrlPrefix, string User, string Token)
{
    public KeyValuePair<string, string> ToConfigEntry()
    {
        var header = "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(User + ":" + Token));
        Secrets.Register(Token);
        Secrets.Register(header);
        Secrets.Register(header["Authorization: Basic ".Length..]);
        return new($"http.{UrlPrefix}.extraHeader", header);
    }

    /// <summary>The <c>scheme://host[:port]/</c> of an http(s) URL; null for ssh, file and paths, which take no header.</summary>
    public static string? HttpOrigin(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri.GetLeftPart(UriPartial.Authority) + "/"
            : null;
}
