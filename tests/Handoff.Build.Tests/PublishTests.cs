using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Handoff.Oci;
using Handoff.Testing;

namespace Handoff.Build.Tests;

/// <summary>The Publish target through ./build.sh against a real registry.</summary>
[NonParallelizable]
public class PublishTests
{
    private RegistryServer _registry = null!;
    private TempDirectory _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _registry = RegistryServer.Start();
        _dir = new TempDirectory("publish");
        // Offline no scanner has data; these tests are about the push, so the gate warns (the gate's own tests cover blocking).
        _dir.Write(".handoff/scan.yaml", "version: 1\nwhenNoScanRan: warn\n");
        // Provenance records the source commit: the working folder is a real repository, as an app repo is.
        BuildScript.InitAppRepository(_dir.Path);
    }

    [TearDown]
    public void TearDown()
    {
        _registry.Dispose();
        _dir.Dispose();
    }

    private string Layout()
    {
        var layout = _dir.Combine("image-layout");
        MinimalBaseImage.WriteLayout(layout);
        return layout;
    }

    private string[] ArchiveArgs(string target, params string[] extra) =>
        [$"--target={target}", $"--registry={_registry.Address}", "--repository=handoff/myapp", "--tag=e2e", $"--image-archive={Layout()}", "--skip-tests", "--trivy=off", .. extra];

    [Test]
    public async Task Publish_builds_the_sample_app_with_the_SDK_and_the_registry_confirms_the_digest_in_release_json()
    {
        Digest baseDigest;
        using (var client = new RegistryClient(_registry.Address))
        {
            // Docker media types, as Microsoft's base images have: the image built on it must still be OCI.
            baseDigest = (await MinimalBaseImage.PushAsync(client, new ImageReference(_registry.Address, "base/minimal", "1"), new MinimalBaseImageOptions { DockerMediaTypes = true })).Digest;
        }

        var keys = await BuildScript.RunAsync(_dir.Path, "--target=GenerateSigningKey");
        Assert.That(keys.ExitCode, Is.Zero, keys.ToString());
        var run = await BuildScript.RunAsync(_dir.Path,
            "--target=Publish", $"--registry={_registry.Address}", "--repository=handoff/myapp", "--tag=e2e", "--signing-key=artifacts/keys/signing-key.pem",
            $"--project={RepoPaths.InRepo("samples", "myapp", "src", "MyApp", "MyApp.csproj")}",
            $"--tests={RepoPaths.InRepo("samples", "myapp", "tests")}/**/*.csproj",
            $"--base-image={_registry.Address}/base/minimal:1", "--trivy=off");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.Match(@"Test\s+[0-9:.]+\s+Succeeded").And.Match(@"WriteRelease\s+[0-9:.]+\s+Succeeded"));

        var release = JsonNode.Parse(File.ReadAllText(_dir.Combine("artifacts", "release.json")))!;
        var digest = (string)release["image"]!["digest"]!;
        Assert.That((string?)release["image"]!["reference"], Is.EqualTo($"{_registry.Address}/handoff/myapp@{digest}"));
        Assert.That((string?)release["image"]!["mediaType"], Is.EqualTo(MediaTypes.OciManifest));
        using (var archive = OciImageArchive.Open(_dir.Combine("artifacts", "image", "image.tar")))
        {
            Assert.That(archive.Format, Is.EqualTo(OciArchiveFormat.OciLayout), "BuildImage writes an OCI archive");
        }

        Assert.That((int?)release["tests"]!["passed"], Is.EqualTo(4));
        Assert.That((string?)release["attestations"]!["sbom"]!["digest"], Does.StartWith("sha256:"), "the SBOM is attached");
        Assert.That((string?)release["attestations"]!["provenance"]!["digest"], Does.StartWith("sha256:"), "the provenance is attached");
        var envelope = JsonNode.Parse(File.ReadAllText(_dir.Combine("artifacts", "provenance.dsse.json")))!;
        var statement = JsonNode.Parse(Convert.FromBase64String((string)envelope["payload"]!))!;
        var baseDependency = statement["predicate"]!["buildDefinition"]!["resolvedDependencies"]!.AsArray().Single(d => (string?)d!["name"] == "base-image")!;
        Assert.That((string?)baseDependency["uri"], Is.EqualTo($"oci://{_registry.Address}/base/minimal:1"));
        Assert.That((string?)baseDependency["digest"]!["sha256"], Is.EqualTo(baseDigest.Hex), "provenance names the base image by the digest the build pulled");
        using (var registryClient = new RegistryClient(_registry.Address))
        {
            var referrers = await new ReferrersClient(registryClient).ListAsync(ImageReference.Parse($"{_registry.Address}/handoff/myapp@{digest}"));
            Assert.That(referrers.Select(r => r.ArtifactType), Is.EquivalentTo(new[] { "application/vnd.cyclonedx+json", "application/vnd.dsse.envelope.v1+json" }),
                "found again through the referrers tag fallback");
        }

        using var http = new HttpClient();
        using var head = new HttpRequestMessage(HttpMethod.Head, $"http://{_registry.Address}/v2/handoff/myapp/manifests/e2e");
        head.Headers.Accept.ParseAdd(MediaTypes.OciManifest);
        head.Headers.Accept.ParseAdd(MediaTypes.DockerManifest);
        using var headResponse = await http.SendAsync(head);
        Assert.That(headResponse.Headers.GetValues("Docker-Content-Digest").Single(), Is.EqualTo(digest), "release.json digest == registry Docker-Content-Digest");

        using var get = new HttpRequestMessage(HttpMethod.Get, $"http://{_registry.Address}/v2/handoff/myapp/manifests/e2e");
        get.Headers.Accept.ParseAdd(MediaTypes.OciManifest);
        get.Headers.Accept.ParseAdd(MediaTypes.DockerManifest);
        using var getResponse = await http.SendAsync(get);
        var bytes = await getResponse.Content.ReadAsByteArrayAsync();
        Assert.That("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), Is.EqualTo(digest), "== sha256 of the manifest bytes");
    }

    /// <summary>
    /// The command of issue 2's "Done when", exactly: no --project, --tests, --tag or --base-image, so
    /// the repository's cake.config defaults (the sample app and its tests) apply, on a machine where
    /// the SDK's default base image may be unreachable. It runs in a checkout of its own holding what
    /// those defaults need, so it writes nothing into this repository.
    /// </summary>
    [Test]
    public async Task The_plain_Publish_command_ships_the_default_project_and_the_registry_confirms_the_digest()
    {
        using var checkout = new TempDirectory("checkout");
        File.Copy(RepoPaths.InRepo("cake.config"), checkout.Combine("cake.config"));
        CopySources(RepoPaths.InRepo("samples", "myapp"), checkout.Combine("samples", "myapp"));
        Exec.Run("git", ["-C", checkout.Path, "init", "-q", "-b", "main"]).EnsureSuccess();
        Exec.Run("git", ["-C", checkout.Path, "add", "-A"]).EnsureSuccess();
        Exec.Run("git", ["-C", checkout.Path, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "app"]).EnsureSuccess();
        var head = Exec.Run("git", ["-C", checkout.Path, "rev-parse", "HEAD"]).StandardOutput.Trim();
        var offline = !await Handoff.Publishing.OfflineBaseImage.IsReachableAsync(Handoff.Publishing.DemoSandbox.DefaultBaseImage);

        var run = await BuildScript.RunAsync(checkout.Path, "--target=Publish", $"--registry={_registry.Address}", "--repository=handoff/myapp");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.Contain($"scan: policy {checkout.Combine("samples", "myapp", ".handoff", "scan.yaml")}"), "the sample app's own gate, found from its project folder");
        if (offline)
        {
            Assert.That(run.Output, Does.Contain($"seeded a minimal linux/amd64 base image as {_registry.Address}/handoff/base:minimal").And.Contain("no .NET runtime"), run.Output);
        }

        var release = JsonNode.Parse(File.ReadAllText(checkout.Combine("artifacts", "release.json")))!;
        var digest = (string)release["image"]!["digest"]!;
        var tag = "sha-" + head[..12];
        Assert.That((string?)release["image"]!["tag"], Is.EqualTo(tag), "the default tag comes from the commit");
        Assert.That((int?)release["tests"]!["passed"], Is.EqualTo(4), "the default tests ran");
        using var http = new HttpClient();
        using var headRequest = new HttpRequestMessage(HttpMethod.Head, $"http://{_registry.Address}/v2/handoff/myapp/manifests/{tag}");
        headRequest.Headers.Accept.ParseAdd(MediaTypes.OciManifest);
        headRequest.Headers.Accept.ParseAdd(MediaTypes.DockerManifest);
        using var response = await http.SendAsync(headRequest);
        Assert.That(response.Headers.GetValues("Docker-Content-Digest").Single(), Is.EqualTo(digest), "release.json digest == registry Docker-Content-Digest");
    }

    /// <summary>A source tree without build output (bin/, obj/), as a fresh clone has it.</summary>
    private static void CopySources(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }
    }

    [Test]
    public async Task With_a_signing_key_the_image_gets_provenance_that_VerifyImage_accepts()
    {
        var keys = await BuildScript.RunAsync(_dir.Path, "--target=GenerateSigningKey");
        Assert.That(keys.ExitCode, Is.Zero, keys.ToString());
        var publish = await BuildScript.RunAsync(_dir.Path, ArchiveArgs("Publish", "--signing-key=artifacts/keys/signing-key.pem", "--builder-id=ignored"));
        Assert.That(publish.ExitCode, Is.Zero, publish.ToString());
        var digest = (string)JsonNode.Parse(File.ReadAllText(_dir.Combine("artifacts", "release.json")))!["image"]!["digest"]!;

        var verify = await BuildScript.RunAsync(_dir.Path, "--target=VerifyImage", $"--image={_registry.Address}/handoff/myapp@{digest}", "--public-key=.handoff/signing-key.pub");
        Assert.That(verify.ExitCode, Is.Zero, verify.ToString());
        Assert.That(verify.Output, Does.Contain("Verified:"));

        // The same signed envelope sits where cosign (Kyverno verifyImages) looks: the sha256-HEX.att image.
        using var client = new RegistryClient(_registry.Address);
        var cosign = await new CosignAttestations(client).ListAsync(ImageReference.Parse($"{_registry.Address}/handoff/myapp@{digest}"));
        Assert.That(cosign.Select(a => a.PredicateType), Is.EqualTo(new[] { "https://slsa.dev/provenance/v1" }));
        Assert.That(cosign[0].Envelope, Is.EqualTo(File.ReadAllBytes(_dir.Combine("artifacts", "provenance.dsse.json"))));
        var release = JsonNode.Parse(File.ReadAllText(_dir.Combine("artifacts", "release.json")))!;
        Assert.That((string?)release["attestations"]?["provenance"]?["cosignTag"], Is.EqualTo($"sha256-{digest[7..]}.att"));

        // Another key must not verify it.
        var other = await BuildScript.RunAsync(_dir.Path, "--target=GenerateSigningKey", "--private-key=artifacts/other.pem", "--public-key=other.pub");
        Assert.That(other.ExitCode, Is.Zero, other.ToString());
        var wrong = await BuildScript.RunAsync(_dir.Path, "--target=VerifyImage", $"--image={_registry.Address}/handoff/myapp@{digest}", "--public-key=other.pub");
        Assert.That(wrong.ExitCode, Is.EqualTo(1), wrong.ToString());
        Assert.That(wrong.Output, Does.Contain("provenance verification failed"));
    }

    [Test]
    public async Task A_blocking_scan_report_stops_Publish_before_anything_is_pushed()
    {
        var report = Path.Combine(RepoPaths.Shared("scan-reports", "trivy"), "debian-buster.json");
        var run = await BuildScript.RunAsync(_dir.Path, ArchiveArgs("Publish", $"--scan-report={report}"));
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output, Does.Contain("nothing was pushed"));
        Assert.That(run.Output, Does.Match(@"Scan\s+[0-9:.]+\s+Failed"));
        Assert.That(run.Output, Does.Not.Match(@"PushImage\s+[0-9:.]+\s+Succeeded"));
        using var client = new RegistryClient(_registry.Address);
        Assert.That(await client.HeadManifestAsync("handoff/myapp", "e2e"), Is.Null, "no image in the registry");
    }

    [Test]
    public async Task A_failing_test_stops_Publish_and_is_named()
    {
        _dir.Write("tests/App.Tests/App.Tests.csproj", TestProjects.NUnitProject);
        _dir.Write("tests/App.Tests/Tests.cs", "using NUnit.Framework; public class Checkout { [Test] public void Totals_include_tax() => Assert.That(100, Is.EqualTo(119)); [Test] public void Works() { } }");

        var run = await BuildScript.RunAsync(_dir.Path, ["--target=Publish", $"--registry={_registry.Address}", "--repository=handoff/myapp", "--tag=e2e", $"--image-archive={Layout()}", "--trivy=off", "--tests=tests/**/*.csproj"]);
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output, Does.Contain("1 test(s) failed: Totals_include_tax"));
        Assert.That(run.Output, Does.Match(@"Test\s+[0-9:.]+\s+Failed"));
        Assert.That(run.Output, Does.Not.Match(@"BuildImage\s+[0-9:.]+\s+Succeeded"), "nothing after a failed test runs");
        Assert.That(Directory.GetFiles(_dir.Combine("artifacts", "test-results"), "*.trx"), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task CaptureDigest_alone_prints_the_digest_of_an_existing_image()
    {
        var publish = await BuildScript.RunAsync(_dir.Path, ArchiveArgs("Publish"));
        Assert.That(publish.ExitCode, Is.Zero, publish.ToString());
        var digest = (string)JsonNode.Parse(File.ReadAllText(_dir.Combine("artifacts", "release.json")))!["image"]!["digest"]!;

        var capture = await BuildScript.RunAsync(_dir.Path, "--target=CaptureDigest", $"--image={_registry.Address}/handoff/myapp:e2e", "--verbosity=quiet");
        Assert.That(capture.ExitCode, Is.Zero, capture.ToString());
        Assert.That(capture.Output.Trim(), Is.EqualTo(digest), "quiet: just the digest, for scripts; nothing is built or pushed");
    }

    [Test]
    public async Task Dry_run_shows_the_chain_and_touches_nothing()
    {
        var run = await BuildScript.RunAsync(_dir.Path, "--target=Publish", "--dryrun", $"--registry={_registry.Address}", "--repository=handoff/myapp",
            $"--project={RepoPaths.InRepo("samples", "myapp", "src", "MyApp", "MyApp.csproj")}", "--delivery-repo=owner/delivery");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var order = new[] { "Test", "BuildImage", "Scan", "Sbom", "PushImage", "CaptureDigest", "Attest", "WriteRelease", "OpenPromotionPr", "Publish" };
        var expected = order.Select((t, i) => $"{i + 1}. {t}").ToList();
        var listed = run.Output.Split('\n').Select(l => l.Trim()).Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d+\. ")).ToList();
        Assert.That(listed, Is.EqualTo(expected), run.Output);
        Assert.That(Directory.Exists(_dir.Combine("artifacts")), Is.False);
        using var client = new RegistryClient(_registry.Address);
        Assert.That(await client.HeadManifestAsync("handoff/myapp", "e2e"), Is.Null);
    }
}
