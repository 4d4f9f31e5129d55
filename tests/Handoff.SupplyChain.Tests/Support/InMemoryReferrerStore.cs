using System.Collections.Concurrent;
using Handoff.SupplyChain.Attestations;

namespace Handoff.SupplyChain.Tests.Support;

/// <summary>
/// The registry side of attestations kept in memory: the only stand-in in these tests, for the
/// <see cref="IReferrerStore"/> abstraction the OCI client implements. Referrer digests are
/// computed the way a registry would (sha256 of a manifest-like document naming the content).
/// </summary>
internal sealed class InMemoryReferrerStore : IReferrerStore
{
    private readonly ConcurrentDictionary<string, List<(StoredReferrer Referrer, byte[] Content)>> _bySubject = new();

    public int PushCount { get; private set; }

    public Task<StoredReferrer> PushAsync(ImageReference subject, string artifactType, string mediaType, byte[] content, IReadOnlyDictionary<string, string> annotations, CancellationToken ct)
    {
        var key = Key(subject);
        var manifest = System.Text.Encoding.UTF8.GetBytes($"{{\"subject\":\"{subject.Digest}\",\"artifactType\":\"{artifactType}\",\"layer\":\"{Digest.Sha256(content)}\",\"annotations\":{annotations.Count},\"n\":{PushCount}}}");
        var referrer = new StoredReferrer(Digest.Sha256(manifest), artifactType, mediaType, content.Length, new Dictionary<string, string>(annotations));
        _bySubject.GetOrAdd(key, _ => []).Add((referrer, content.ToArray()));
        PushCount++;
        return Task.FromResult(referrer);
    }

    public Task<IReadOnlyList<StoredReferrer>> ListAsync(ImageReference subject, string? artifactType, CancellationToken ct)
    {
        var list = _bySubject.TryGetValue(Key(subject), out var items) ? items : [];
        IReadOnlyList<StoredReferrer> result = list.Select(i => i.Referrer).Where(r => artifactType is null || r.ArtifactType == artifactType).ToList();
        return Task.FromResult(result);
    }

    public Task<byte[]> FetchAsync(ImageReference subject, StoredReferrer referrer, CancellationToken ct)
    {
        var item = _bySubject[Key(subject)].First(i => i.Referrer.Digest == referrer.Digest);
        return Task.FromResult(item.Content.ToArray());
    }

    /// <summary>Attaches arbitrary bytes, as an attacker or a broken tool could.</summary>
    public Task<StoredReferrer> PushRawAsync(ImageReference subject, string artifactType, byte[] content) =>
        PushAsync(subject, artifactType, artifactType, content, new Dictionary<string, string>(), CancellationToken.None);

    private static string Key(ImageReference subject) =>
        $"{subject.Name}@{subject.Digest ?? throw new InvalidOperationException("referrers need a subject digest")}";
}
