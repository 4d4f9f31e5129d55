using System.Collections.Concurrent;
using System.Text;
using Handoff.Oci.Tests.Fixtures;
using Microsoft.AspNetCore.Http;

namespace Handoff.Oci.Tests;

/// <summary>
/// Distribution-spec behaviours the local distribution 2.8 registry never shows (relative upload
/// locations, a missing digest header, pagination, the OCI 1.1 referrers API), served by a small
/// HTTP server that answers as other registries do.
/// </summary>
public sealed class RegistryProtocolTests
{
    private static readonly byte[] ManifestBytes = Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2},\"layers\":[]}");

    [Test]
    public async Task A_relative_upload_location_with_a_query_gets_the_digest_appended()
    {
        var seen = new ConcurrentQueue<string>();
        await using var server = await HttpTestServer.StartAsync((context, _) =>
        {
            seen.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            if (context.Request.Method == "POST")
            {
                context.Response.StatusCode = 202;
                context.Response.Headers.Location = "/elsewhere/upload/42?_state=abc";
            }
            else
            {
                context.Response.StatusCode = 201;
            }

            return Task.CompletedTask;
        });
        using var client = Registries.Client(server.Address);
        var content = "layer"u8.ToArray();
        var blob = new OciDescriptor(MediaTypes.OciLayer, Digest.Sha256(content), content.Length);

        var result = await client.UploadBlobAsync("team/app", blob, () => new MemoryStream(content));

        Assert.That(result, Is.EqualTo(BlobUploadResult.Uploaded));
        Assert.That(seen.ToArray(), Is.EqualTo(new[]
        {
            "POST /v2/team/app/blobs/uploads/",
            $"PUT /elsewhere/upload/42?_state=abc&digest={Uri.EscapeDataString(blob.Digest.ToString())}",
        }));
    }

    [Test]
    public async Task A_registry_that_stores_a_manifest_under_another_digest_is_an_error()
    {
        var wrong = Digest.Sha256("other"u8);
        await using var server = await HttpTestServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 201;
            context.Response.Headers["Docker-Content-Digest"] = wrong.ToString();
            return Task.CompletedTask;
        });
        using var client = Registries.Client(server.Address);
        var manifest = OciManifest.CreateIndex(MediaTypes.OciIndex, []);

        var error = Assert.CatchAsync<HandoffException>(() => client.PutManifestAsync("team/app", "1", manifest))!;

        Assert.That(error.Message, Does.Contain(wrong.ToString()).And.Contain(manifest.Digest.ToString()).And.Contain("changed the content"));
    }

    [Test]
    public async Task Manifest_requests_accept_every_manifest_type_and_capture_hashes_when_the_digest_header_is_missing()
    {
        var accepts = new ConcurrentQueue<string>();
        await using var server = await HttpTestServer.StartAsync(async (context, _) =>
        {
            accepts.Enqueue(context.Request.Headers.Accept.ToString());
            context.Response.ContentType = MediaTypes.OciManifest;
            context.Response.ContentLength = ManifestBytes.Length;
            if (context.Request.Method == "GET")
            {
                await context.Response.Body.WriteAsync(ManifestBytes);
            }
        });
        using var client = Registries.Client(server.Address);

        var digest = await new DigestCapture(client).CaptureAsync(ImageReference.Parse($"{server.Address}/team/app:1"));

        Assert.That(digest, Is.EqualTo(Digest.Sha256(ManifestBytes)), "no Docker-Content-Digest: GET and hash");
        Assert.That(accepts, Has.Count.EqualTo(2));
        foreach (var accept in accepts)
        {
            Assert.That(accept, Does.Contain(MediaTypes.OciManifest).And.Contain(MediaTypes.OciIndex).And.Contain(MediaTypes.DockerManifest).And.Contain(MediaTypes.DockerManifestList));
        }
    }

    [Test]
    public async Task Tag_lists_follow_link_pagination()
    {
        await using var server = await HttpTestServer.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            if (context.Request.Query["last"] == "b")
            {
                await context.Response.WriteAsync("{\"name\":\"team/app\",\"tags\":[\"c\"]}");
                return;
            }

            context.Response.Headers["Link"] = "</v2/team/app/tags/list?n=2&last=b>; rel=\"next\"";
            await context.Response.WriteAsync("{\"name\":\"team/app\",\"tags\":[\"a\",\"b\"]}");
        });
        using var client = Registries.Client(server.Address);

        Assert.That(await client.ListTagsAsync("team/app"), Is.EqualTo(new[] { "a", "b", "c" }));
    }

    [Test]
    public async Task The_referrers_api_is_used_when_offered_and_filtered_here_when_the_registry_did_not()
    {
        var subject = Digest.Sha256(ManifestBytes);
        var sbom = Digest.Sha256("sbom"u8);
        var signature = Digest.Sha256("sig"u8);
        var paths = new ConcurrentQueue<string>();
        await using var server = await HttpTestServer.StartAsync(async (context, _) =>
        {
            paths.Enqueue(context.Request.Path + context.Request.QueryString);
            if (context.Request.Path.StartsWithSegments("/v2/team/app/referrers"))
            {
                context.Response.ContentType = MediaTypes.OciIndex;
                await context.Response.WriteAsync($$"""
                    {"schemaVersion":2,"mediaType":"{{MediaTypes.OciIndex}}","manifests":[
                      {"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{sbom}}","size":10,"artifactType":"application/spdx+json"},
                      {"mediaType":"{{MediaTypes.OciManifest}}","digest":"{{signature}}","size":10,"artifactType":"application/vnd.dev.cosign.simplesigning.v1+json"}]}
                    """);
                return;
            }

            context.Response.ContentType = MediaTypes.OciManifest;
            context.Response.ContentLength = ManifestBytes.Length;
            context.Response.Headers["Docker-Content-Digest"] = subject.ToString();
        });
        using var client = Registries.Client(server.Address);

        var found = await new ReferrersClient(client).ListAsync(ImageReference.Parse($"{server.Address}/team/app@{subject}"), "application/spdx+json");

        Assert.That(found.Select(d => d.Digest), Is.EqualTo(new[] { sbom }));
        Assert.That(paths, Does.Contain($"/v2/team/app/referrers/{subject}?artifactType={Uri.EscapeDataString("application/spdx+json")}"));
        Assert.That(paths.Any(p => p.Contains("/manifests/sha256-", StringComparison.Ordinal)), Is.False, "no fallback tag lookup when the API answers");
    }
}
