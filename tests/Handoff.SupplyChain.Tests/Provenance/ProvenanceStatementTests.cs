using System.Text.Json.Nodes;
using Handoff.SupplyChain.Provenance;

namespace Handoff.SupplyChain.Tests.Provenance;

public class ProvenanceStatementTests
{
    internal const string Commit = "0123456789abcdef0123456789abcdef01234567";
    internal static readonly Digest ImageDigest = Digest.Sha256("image manifest"u8);
    internal static readonly Digest BaseDigest = Digest.Sha256("base manifest"u8);

    internal static readonly Dictionary<string, string?> GitHubEnvironment = new()
    {
        ["GITHUB_ACTIONS"] = "true",
        ["GITHUB_SERVER_URL"] = "https://github.com",
        ["GITHUB_REPOSITORY"] = "acme/shop",
        ["GITHUB_WORKFLOW_REF"] = "acme/shop/.github/workflows/publish.yml@refs/heads/main",
        ["GITHUB_RUN_ID"] = "4242",
        ["GITHUB_RUN_ATTEMPT"] = "2",
        ["GITHUB_SHA"] = Commit,
        ["GITHUB_REF_NAME"] = "main",
    };

    internal static ProvenanceInput Input(Digest? digest = null, CiInfo? ci = null) => new()
    {
        Image = new ImageReference("registry.example.com", "acme/shop", "1.2.3", digest ?? ImageDigest),
        SourceRepository = "https://x-access-token:ghs_secretvalue@github.com/acme/shop.git",
        SourceRef = "refs/heads/main",
        SourceCommit = Commit,
        BaseImages = [ImageReference.Parse("mcr.microsoft.com/dotnet/aspnet:10.0").WithDigest(BaseDigest)],
        Ci = ci ?? CiIdentity.FromEnvironment(name => GitHubEnvironment.GetValueOrDefault(name)),
        StartedOn = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.FromHours(1)),
        FinishedOn = new DateTimeOffset(2026, 3, 1, 10, 5, 30, TimeSpan.FromHours(1)),
        InternalParameters = new Dictionary<string, string> { ["dockerfile"] = "Dockerfile" },
    };

    [Test]
    public void The_statement_is_in_toto_v1_with_a_slsa_v1_predicate()
    {
        var statement = ProvenanceStatement.Create(Input());

        Assert.That((string?)statement["_type"], Is.EqualTo("https://in-toto.io/Statement/v1"));
        Assert.That((string?)statement["predicateType"], Is.EqualTo("https://slsa.dev/provenance/v1"));
        var subject = statement["subject"]!.AsArray().Single()!;
        Assert.That((string?)subject["name"], Is.EqualTo("registry.example.com/acme/shop"));
        Assert.That((string?)subject["digest"]!["sha256"], Is.EqualTo(ImageDigest.Hex));

        var definition = statement["predicate"]!["buildDefinition"]!;
        Assert.That((string?)definition["buildType"], Is.EqualTo(Slsa.HandoffBuildType));
        var source = definition["externalParameters"]!["source"]!;
        Assert.That((string?)source["repository"], Is.EqualTo("https://github.com/acme/shop"), "credentials and .git are never recorded");
        Assert.That(((string?)source["ref"], (string?)source["commit"]), Is.EqualTo(("refs/heads/main", Commit)));
        Assert.That((string?)definition["externalParameters"]!["target"], Is.EqualTo("Publish"));
        Assert.That((string?)definition["internalParameters"]!["dockerfile"], Is.EqualTo("Dockerfile"));

        var dependencies = definition["resolvedDependencies"]!.AsArray();
        Assert.That((string?)dependencies[0]!["uri"], Is.EqualTo("git+https://github.com/acme/shop@refs/heads/main"));
        Assert.That((string?)dependencies[0]!["digest"]!["gitCommit"], Is.EqualTo(Commit));
        Assert.That((string?)dependencies[1]!["uri"], Is.EqualTo("oci://mcr.microsoft.com/dotnet/aspnet:10.0"));
        Assert.That((string?)dependencies[1]!["digest"]!["sha256"], Is.EqualTo(BaseDigest.Hex));

        var run = statement["predicate"]!["runDetails"]!;
        Assert.That((string?)run["builder"]!["id"], Is.EqualTo("https://github.com/acme/shop/.github/workflows/publish.yml@refs/heads/main"));
        Assert.That((string?)run["metadata"]!["invocationId"], Is.EqualTo("https://github.com/acme/shop/actions/runs/4242/attempts/2"));
        Assert.That(((string?)run["metadata"]!["startedOn"], (string?)run["metadata"]!["finishedOn"]), Is.EqualTo(("2026-03-01T09:00:00Z", "2026-03-01T09:05:30Z")));
        Assert.That(statement.ToJsonString(), Does.Not.Contain("ghs_secretvalue"));
    }

    [Test]
    public void The_same_input_gives_the_same_bytes()
    {
        Assert.That(ProvenanceStatement.ToBytes(ProvenanceStatement.Create(Input())), Is.EqualTo(ProvenanceStatement.ToBytes(ProvenanceStatement.Create(Input()))));
    }

    [Test]
    public void Builder_identity_comes_from_gitlab_or_falls_back_to_a_local_urn()
    {
        var gitlab = CiIdentity.FromEnvironment(name => name switch
        {
            "GITLAB_CI" => "true",
            "CI_PROJECT_URL" => "https://gitlab.example.com/acme/shop",
            "CI_COMMIT_REF_NAME" => "main",
            "CI_JOB_URL" => "https://gitlab.example.com/acme/shop/-/jobs/99",
            "CI_COMMIT_SHA" => Commit,
            _ => null,
        });
        Assert.That(CiIdentity.BuilderIdOf(gitlab), Is.EqualTo("https://gitlab.example.com/acme/shop/-/blob/main/.gitlab-ci.yml"));
        Assert.That(gitlab.RunUrl, Is.EqualTo("https://gitlab.example.com/acme/shop/-/jobs/99"));

        var local = CiIdentity.FromEnvironment(_ => null);
        Assert.That(CiIdentity.BuilderIdOf(local), Does.StartWith(CiIdentity.LocalBuilderPrefix));
        var statement = ProvenanceStatement.Create(Input(ci: local));
        Assert.That(statement["predicate"]!["runDetails"]!["metadata"]!.AsObject().ContainsKey("invocationId"), Is.False, "no CI run, no invocation id");
    }

    [Test]
    public void Missing_digests_and_bad_commits_are_refused_with_the_fix()
    {
        var noDigest = Input() with { Image = new ImageReference("registry.example.com", "acme/shop", "1.2.3") };
        Assert.That(() => ProvenanceStatement.Create(noDigest), Throws.InstanceOf<HandoffException>().With.Message.Contains("CaptureDigest"));
        Assert.That(() => ProvenanceStatement.Create(Input() with { SourceCommit = "main" }), Throws.InstanceOf<HandoffException>().With.Message.Contains("not a git commit"));
        Assert.That(() => ProvenanceStatement.Create(Input() with { BaseImages = [ImageReference.Parse("debian:12")] }),
            Throws.InstanceOf<HandoffException>().With.Message.Contains("FROM image@sha256"));
    }

    [TestCase("git@github.com:Acme/Shop.git", "https://github.com/acme/shop", true)]
    [TestCase("https://GitHub.com/acme/shop/", "https://github.com/acme/shop.git", true)]
    [TestCase("ssh://git@github.com/acme/shop", "https://github.com/acme/shop", true)]
    [TestCase("https://github.com/acme/shop", "https://github.com/evil/shop", false)]
    [TestCase("https://github.com/acme/shop", "https://gitlab.com/acme/shop", false)]
    public void Source_repositories_compare_as_repositories(string a, string b, bool same)
    {
        Assert.That(SourceRepositories.SameRepository(a, b), Is.EqualTo(same));
    }

    [Test]
    public void Statement_json_is_compact_and_readable()
    {
        var text = ProvenanceStatement.ToBytes(ProvenanceStatement.Create(Input()));
        var json = System.Text.Encoding.UTF8.GetString(text);
        Assert.That(json, Does.Not.Contain("\n").And.Not.Contain("\\u002B"));
        Assert.That(JsonNode.Parse(json), Is.Not.Null);
    }
}
