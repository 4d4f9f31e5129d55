namespace Handoff.Oci.Tests;

/// <summary>WWW-Authenticate values as the big registries send them, and scope arithmetic.</summary>
public sealed class AuthChallengeTests
{
    [Test]
    public void Docker_hub_bearer_challenge()
    {
        var challenge = AuthChallenge.Parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/alpine:pull\"").Single();

        Assert.That(challenge.IsBearer, Is.True);
        Assert.That(challenge.Realm, Is.EqualTo("https://auth.docker.io/token"));
        Assert.That(challenge.Service, Is.EqualTo("registry.docker.io"));
        Assert.That(challenge.Scope, Is.EqualTo("repository:library/alpine:pull"));
    }

    [Test]
    public void Insufficient_scope_challenge_with_several_scopes_and_escapes()
    {
        var challenge = AuthChallenge.Parse("Bearer realm=\"https://ghcr.io/token\", service=\"ghcr.io\", scope=\"repository:a/b:pull,push repository:c/d:pull\", error=\"insufficient_scope\", error_description=\"say \\\"please\\\"\"").Single();

        Assert.That(challenge.Error, Is.EqualTo("insufficient_scope"));
        Assert.That(ScopeSet.Parse(challenge.Scope).Scopes, Is.EqualTo(new[] { "repository:a/b:pull,push", "repository:c/d:pull" }));
        Assert.That(challenge.Parameters["error_description"], Is.EqualTo("say \"please\""));
    }

    [Test]
    public void Basic_challenges_of_ecr_and_htpasswd_registries()
    {
        var ecr = AuthChallenge.Parse("Basic realm=\"https://123456789012.dkr.ecr.eu-west-1.amazonaws.com/\",service=\"ecr.amazonaws.com\"").Single();
        var bare = AuthChallenge.Parse("basic realm=handoff-test").Single();

        Assert.That(ecr.IsBasic, Is.True);
        Assert.That(ecr.Service, Is.EqualTo("ecr.amazonaws.com"));
        Assert.That(bare.IsBasic, Is.True);
        Assert.That(bare.Realm, Is.EqualTo("handoff-test"));
    }

    [Test]
    public void Several_challenges_in_one_header()
    {
        var challenges = AuthChallenge.Parse("Basic realm=\"x\", Bearer realm=\"https://harbor.example.com/service/token\",service=\"harbor-registry\"").ToList();

        Assert.That(challenges.Select(c => c.Scheme), Is.EqualTo(new[] { "Basic", "Bearer" }));
        Assert.That(challenges[1].Service, Is.EqualTo("harbor-registry"));
    }

    [Test]
    public void Scopes_merge_per_repository_and_cover_subsets()
    {
        var pull = ScopeSet.Repository("team/app", "pull");
        var push = ScopeSet.Repository("team/app", "push", "pull");
        var other = ScopeSet.Repository("team/base", "pull");

        var union = pull.Union(other).Union(push);

        Assert.That(union.Key, Is.EqualTo("repository:team/app:pull,push repository:team/base:pull"));
        Assert.That(union.Covers(push), Is.True);
        Assert.That(pull.Covers(push), Is.False);
        Assert.That(ScopeSet.Parse("repository:team/app:*").Covers(push), Is.True);
        Assert.That(ScopeSet.Empty.Covers(ScopeSet.Empty), Is.True);
    }
}
