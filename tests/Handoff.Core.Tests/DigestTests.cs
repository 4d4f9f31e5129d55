namespace Handoff.Core.Tests;

public class DigestTests
{
    [Test]
    public void Computes_and_parses_sha256()
    {
        var digest = Digest.Sha256("hello"u8);
        Assert.That(digest.ToString(), Is.EqualTo("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"));
        Assert.That(Digest.Parse(digest.ToString()), Is.EqualTo(digest));
        Assert.That(digest.Short, Is.EqualTo("sha256:2cf24db"));
        Assert.That(digest.Matches("hello"u8), Is.True);
        Assert.That(digest.Matches("hellO"u8), Is.False);
    }

    [TestCase("", "required")]
    [TestCase("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", "expected sha256:")]
    [TestCase("md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported digest algorithm 'md5'")]
    [TestCase("sha256:2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824", "lowercase hex")]
    [TestCase("sha256:2cf24dba", "found 8")]
    public void Rejects_malformed_digests_with_a_reason(string value, string reason)
    {
        Assert.That(Digest.TryParse(value, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(reason));
    }
}

public class ImageReferenceTests
{
    [TestCase("nginx", "docker.io", "library/nginx", null)]
    [TestCase("team/app:1.2", "docker.io", "team/app", "1.2")]
    [TestCase("ghcr.io/o/app:v1", "ghcr.io", "o/app", "v1")]
    [TestCase("localhost/app", "localhost", "app", null)]
    [TestCase("127.0.0.1:5000/handoff/myapp:sha-0123456789ab", "127.0.0.1:5000", "handoff/myapp", "sha-0123456789ab")]
    [TestCase("registry.example.com:443/a/b/c__d-e.f", "registry.example.com:443", "a/b/c__d-e.f", null)]
    public void Parses_and_normalises_like_docker(string text, string registry, string repository, string? tag)
    {
        var reference = ImageReference.Parse(text);
        Assert.That((reference.Registry, reference.Repository, reference.Tag), Is.EqualTo((registry, repository, tag)));
    }

    [Test]
    public void Digest_references_pin()
    {
        var digest = Digest.Sha256("m"u8);
        var reference = ImageReference.Parse($"127.0.0.1:5000/app:v1@{digest}");
        Assert.That(reference.Digest, Is.EqualTo(digest));
        Assert.That(reference.Pinned, Is.EqualTo($"127.0.0.1:5000/app@{digest}"));
        Assert.That(reference.ToString(), Is.EqualTo($"127.0.0.1:5000/app:v1@{digest}"));
        Assert.That(reference.ManifestReference, Is.EqualTo(digest.ToString()));
        Assert.Throws<InvalidOperationException>(() => _ = ImageReference.Parse("a/b:c").Pinned);
    }

    [TestCase("Team/App", "not a valid repository name")]
    [TestCase("team//app", "not a valid repository name")]
    [TestCase("team/app-", "not a valid repository name")]
    [TestCase("team/app:-bad", "not a valid tag")]
    [TestCase("team/app:" + "x" + "1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890", "not a valid tag")]
    [TestCase("team/app@sha256:zz", "valid sha256 digest")]
    public void Rejects_invalid_references_naming_the_grammar(string text, string reason)
    {
        Assert.That(ImageReference.TryParse(text, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(reason));
    }
}

public class SecretsTests
{
    [Test]
    public void Registered_secrets_are_masked_everywhere_they_appear()
    {
        Secrets.Register("s3cr3t-token-value");
        Assert.That(Secrets.Redact("auth: s3cr3t-token-value and again s3cr3t-token-value"), Is.EqualTo("auth: *** and again ***"));
    }

    [Test]
    public void Process_output_and_failures_are_redacted()
    {
        Secrets.Register("hunter2hunter2");
        var result = Exec.Run("sh", ["-c", "echo token=hunter2hunter2; echo err hunter2hunter2 >&2; exit 3"]);
        Assert.That(result.StandardOutput, Does.Not.Contain("hunter2hunter2"));
        var ex = Assert.Throws<HandoffException>(() => result.EnsureSuccess("Pushing"));
        Assert.That(ex!.Message, Does.Contain("exited with code 3").And.Contain("Pushing").And.Not.Contain("hunter2hunter2"));
    }
}

public class ExecTests
{
    [Test]
    public void Arguments_are_passed_verbatim_without_a_shell()
    {
        var result = Exec.Run("printf", ["%s|", "a b", "$HOME", "'q'"]);
        Assert.That(result.StandardOutput, Is.EqualTo("a b|$HOME|'q'|\n").Or.EqualTo("a b|$HOME|'q'|"));
    }

    [Test]
    public void A_missing_program_is_a_clear_error()
    {
        var ex = Assert.Throws<HandoffException>(() => Exec.Run("definitely-not-a-program-xyz", []));
        Assert.That(ex!.Message, Does.Contain("definitely-not-a-program-xyz").And.Contain("PATH"));
    }

    [Test]
    public void A_hanging_process_is_stopped_at_the_timeout()
    {
        var ex = Assert.ThrowsAsync<HandoffException>(() => Exec.RunAsync("sleep", ["30"], new ExecOptions { Timeout = TimeSpan.FromMilliseconds(200) }));
        Assert.That(ex!.Message, Does.Contain("did not finish"));
    }
}

public class CiEnvironmentTests
{
    private static CiInfo Detect(params (string, string)[] variables)
    {
        var map = variables.ToDictionary(v => v.Item1, v => v.Item2);
        return CiEnvironment.Detect(name => map.GetValueOrDefault(name));
    }

    [Test]
    public void GitHub_Actions_gives_the_run_url_and_the_workflow_as_builder()
    {
        var ci = Detect(("GITHUB_ACTIONS", "true"), ("GITHUB_SERVER_URL", "https://github.com"), ("GITHUB_REPOSITORY", "o/app"), ("GITHUB_RUN_ID", "42"),
            ("GITHUB_RUN_ATTEMPT", "2"), ("GITHUB_WORKFLOW_REF", "o/app/.github/workflows/publish.yml@refs/heads/main"), ("GITHUB_SHA", "abc"), ("GITHUB_REF_NAME", "main"));
        Assert.That(ci.System, Is.EqualTo("GitHub Actions"));
        Assert.That(ci.RunUrl, Is.EqualTo("https://github.com/o/app/actions/runs/42/attempts/2"));
        Assert.That(ci.BuilderId, Is.EqualTo("https://github.com/o/app/.github/workflows/publish.yml@refs/heads/main"));
        Assert.That((ci.Commit, ci.Branch, ci.RepositoryUrl), Is.EqualTo(("abc", "main", "https://github.com/o/app")));
    }

    [Test]
    public void GitLab_uses_the_pipeline_definition_as_a_stable_builder_id()
    {
        var ci = Detect(("GITLAB_CI", "true"), ("CI_PROJECT_URL", "https://gitlab.example.com/g/app"), ("CI_COMMIT_REF_NAME", "main"),
            ("CI_PIPELINE_ID", "7"), ("CI_PIPELINE_URL", "https://gitlab.example.com/g/app/-/pipelines/7"));
        Assert.That(ci.System, Is.EqualTo("GitLab CI"));
        Assert.That(ci.BuilderId, Is.EqualTo("https://gitlab.example.com/g/app/-/blob/main/.gitlab-ci.yml"));
        Assert.That(ci.RunUrl, Is.EqualTo("https://gitlab.example.com/g/app/-/pipelines/7"));
    }

    [Test]
    public void Azure_Pipelines_and_Jenkins_are_recognised_and_nothing_is_local()
    {
        var azure = Detect(("TF_BUILD", "True"), ("SYSTEM_COLLECTIONURI", "https://dev.azure.com/org/"), ("SYSTEM_TEAMPROJECT", "My Project"), ("BUILD_BUILDID", "9"),
            ("SYSTEM_DEFINITIONID", "12"));
        Assert.That(azure.RunUrl, Is.EqualTo("https://dev.azure.com/org/My%20Project/_build/results?buildId=9"));
        Assert.That(azure.BuilderId, Is.EqualTo("https://dev.azure.com/org/My%20Project/_build?definitionId=12"), "the pipeline definition, not the run");
        var jenkins = Detect(("JENKINS_URL", "https://ci/"), ("BUILD_URL", "https://ci/job/app/3/"), ("BUILD_NUMBER", "3"), ("JOB_URL", "https://ci/job/app/"));
        Assert.That((jenkins.System, jenkins.RunUrl, jenkins.BuilderId), Is.EqualTo(("Jenkins", "https://ci/job/app/3/", "https://ci/job/app/")));
        Assert.That(Detect().System, Is.EqualTo("local"));
    }

    /// <summary>A delivery repo pins one expected builder id, so every run of the same pipeline must produce the same one.</summary>
    [TestCase("GitHub Actions", "GITHUB_ACTIONS=true", "GITHUB_SERVER_URL=https://github.com", "GITHUB_REPOSITORY=o/app", "GITHUB_WORKFLOW_REF=o/app/.github/workflows/publish.yml@refs/heads/main", "GITHUB_RUN_ATTEMPT=1")]
    [TestCase("GitHub Actions without GITHUB_WORKFLOW_REF", "GITHUB_ACTIONS=true", "GITHUB_REPOSITORY=o/app", "GITHUB_WORKFLOW=Publish image", "GITHUB_REF=refs/heads/main")]
    [TestCase("GitLab CI without a ref", "GITLAB_CI=true", "CI_PROJECT_URL=https://gitlab.example.com/g/app")]
    [TestCase("Azure Pipelines by definition name", "TF_BUILD=True", "SYSTEM_COLLECTIONURI=https://dev.azure.com/org/", "SYSTEM_TEAMPROJECT=p", "BUILD_DEFINITIONNAME=app ci")]
    [TestCase("Jenkins without JOB_URL", "JENKINS_URL=https://ci/", "JOB_NAME=team/app")]
    public void The_builder_id_names_the_pipeline_and_stays_the_same_from_run_to_run(string ci, params string[] pipeline)
    {
        (string, string)[] Run(string id) =>
        [
            .. pipeline.Select(v => (v.Split('=', 2)[0], v.Split('=', 2)[1])),
            ("GITHUB_RUN_ID", id), ("CI_PIPELINE_ID", id), ("CI_JOB_URL", $"https://gitlab.example.com/g/app/-/jobs/{id}"), ("CI_PIPELINE_URL", $"https://gitlab.example.com/g/app/-/pipelines/{id}"),
            ("BUILD_BUILDID", id), ("BUILD_NUMBER", id), ("BUILD_URL", $"https://ci/job/team/job/app/{id}/"),
        ];

        var first = Detect(Run("101"));
        var second = Detect(Run("102"));

        Assert.That(first.BuilderId, Is.Not.Null.And.Not.Empty, ci);
        Assert.That(second.BuilderId, Is.EqualTo(first.BuilderId), ci);
        Assert.That(first.BuilderId, Does.Not.Contain("101"), $"{ci}: the run id must not be part of the builder id");
    }

    [Test]
    public void Fallback_builder_ids_still_name_the_workflow_or_job()
    {
        var github = Detect(("GITHUB_ACTIONS", "true"), ("GITHUB_REPOSITORY", "o/app"), ("GITHUB_WORKFLOW", "Publish image"), ("GITHUB_REF", "refs/heads/main"), ("GITHUB_RUN_ID", "5"));
        Assert.That(github.BuilderId, Is.EqualTo("https://github.com/o/app/actions/workflows/Publish%20image@refs/heads/main"));
        var jenkins = Detect(("JENKINS_URL", "https://ci/"), ("JOB_NAME", "team/app"), ("BUILD_URL", "https://ci/job/team/job/app/4/"));
        Assert.That(jenkins.BuilderId, Is.EqualTo("https://ci/job/team/job/app/"));
    }
}
