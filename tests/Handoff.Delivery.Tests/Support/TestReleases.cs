using System.Security.Cryptography;

namespace Handoff.Delivery.Tests.Support;

public static class TestReleases
{
    public static Digest RandomDigest() => Digest.Sha256(RandomNumberGenerator.GetBytes(32));

    public static string RandomCommit() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    public static Release Create(string tag = "1.0.0", Digest? digest = null, string? commit = null) => new()
    {
        Image = new ReleaseImage
        {
            Registry = "127.0.0.1:5000",
            Repository = "handoff/myapp",
            Tag = tag,
            Digest = (digest ?? RandomDigest()).ToString(),
        },
        Source = new ReleaseSource { Repository = "https://github.com/example-org/myapp", Commit = commit ?? RandomCommit(), Branch = "main" },
        Build = new ReleaseBuild { CiSystem = "GitHub Actions", RunUrl = "https://github.com/example-org/myapp/actions/runs/42", RunId = "42" },
        Tests = new ReleaseTests { Passed = 12, Failed = 0, Skipped = 1 },
    };
}
