using System.Text;
using Handoff.MSBuild.Tests.Support;
using Handoff.Testing;

namespace Handoff.MSBuild.Tests;

/// <summary>HandoffSetImage in real MSBuild: only the pin lines change, re-running changes nothing, bad YAML is an error at its line.</summary>
public sealed class SetImageTests
{
    private const string Digest = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private TempDirectory _temp = null!;
    private string _project = null!;

    [SetUp]
    public void CreateProject()
    {
        _temp = new TempDirectory("msbuild-setimage");
        _project = TaskProject.Write(_temp, """
              <Target Name="Pin">
                <HandoffSetImage File="$(File)" Key="$(Key)" KustomizeImage="$(KustomizeImage)" YamlPath="$(YamlPath)" Digest="$(Digest)" Tag="$(Tag)" Repository="$(Repository)">
                  <Output TaskParameter="Changed" PropertyName="Changed" />
                </HandoffSetImage>
                <Message Importance="high" Text="OUT:Changed=$(Changed)" />
              </Target>
            """);
    }

    [TearDown]
    public void DeleteProject() => _temp.Dispose();

    [Test]
    public async Task Helm_values_from_the_corpus_change_only_the_tag_line_and_gain_the_digest_line_then_stay_put()
    {
        var values = _temp.Combine("values.yaml");
        File.Copy(RepoPaths.Shared("values-corpus", "podinfo-values.yaml"), values);
        var before = File.ReadAllLines(values);
        var tagLine = Array.IndexOf(before, "  tag: 6.14.1");
        Assert.That(tagLine, Is.GreaterThan(0), "the corpus file still has podinfo's image tag");

        var first = await PinAsync(new() { ["File"] = values, ["Key"] = "image", ["Tag"] = "6.15.0" });

        Assert.That(first.Succeeded, Is.True, first.ToString);
        Assert.That(first.Value("Changed"), Is.EqualTo("True"));
        var expected = before.ToList();
        expected[tagLine] = "  tag: 6.15.0";
        expected.Insert(tagLine + 1, $"  digest: {Digest}");
        Assert.That(File.ReadAllLines(values), Is.EqualTo(expected));

        var pinned = File.ReadAllBytes(values);
        var second = await PinAsync(new() { ["File"] = values, ["Key"] = "image", ["Tag"] = "6.15.0" });

        Assert.That(second.Succeeded, Is.True, second.ToString);
        Assert.That(second.Value("Changed"), Is.EqualTo("False"));
        Assert.That(File.ReadAllBytes(values), Is.EqualTo(pinned), "re-running leaves the file byte for byte");
    }

    [Test]
    public async Task Kustomize_image_keeps_the_bom_crlf_and_comments()
    {
        var original = "\uFEFFapiVersion: kustomize.config.k8s.io/v1beta1\r\nkind: Kustomization\r\nresources:\r\n  - deployment.yaml   # the app\r\nimages:\r\n  - name: app\r\n    newName: ghcr.io/team/app\r\n    newTag: \"1.0\"  # set by CI\r\n";
        var file = _temp.Combine("kustomization.yaml");
        File.WriteAllBytes(file, new UTF8Encoding(false).GetBytes(original));

        var result = await PinAsync(new() { ["File"] = file, ["KustomizeImage"] = "app", ["Tag"] = "1.1" });

        Assert.That(result.Succeeded, Is.True, result.ToString);
        var bytes = File.ReadAllBytes(file);
        var text = Encoding.UTF8.GetString(bytes);
        Assert.Multiple(() =>
        {
            Assert.That(bytes[..3], Is.EqualTo(new byte[] { 0xEF, 0xBB, 0xBF }), "the BOM is kept");
            Assert.That(text.Replace("\r\n", ""), Does.Not.Contain("\n"), "every line still ends with CRLF");
            Assert.That(text, Does.Contain("    newTag: \"1.1\"  # set by CI\r\n"));
            Assert.That(text, Does.Contain($"    digest: {Digest}\r\n"));
            var untouched = original.Split("\r\n").Where(l => !l.Contains("newTag"));
            Assert.That(text.Split("\r\n").Where(l => !l.Contains("newTag") && !l.Contains("digest:")), Is.EqualTo(untouched));
        });
    }

    [Test]
    public async Task Yaml_path_with_a_repository_sets_the_full_reference_in_one_line()
    {
        var manifest = _temp.Write("deployment.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              template:
                spec:
                  containers:
                    - name: sidecar
                      image: envoyproxy/envoy:v1.30.0
                    - name: app
                      image: ghcr.io/team/app:1.0   # app image
            """);
        var before = File.ReadAllLines(manifest);

        var result = await PinAsync(new()
        {
            ["File"] = manifest, ["YamlPath"] = "spec.template.spec.containers[name=app].image", ["Repository"] = "ghcr.io/team/app", ["Tag"] = "1.1",
        });

        Assert.That(result.Succeeded, Is.True, result.ToString);
        var expected = before.ToArray();
        expected[^1] = $"          image: ghcr.io/team/app:1.1@{Digest}   # app image";
        Assert.That(File.ReadAllLines(manifest), Is.EqualTo(expected));
    }

    [Test]
    public async Task Malformed_yaml_is_an_error_at_its_line_and_the_file_is_left_alone()
    {
        var values = _temp.Write("values.yaml", "image:\n  repository: ghcr.io/team/app\n  tag: 1.0: x\nreplicas: 2\n");
        var before = File.ReadAllBytes(values);

        var result = await PinAsync(new() { ["File"] = values, ["Key"] = "image" });

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Errors, Has.Count.EqualTo(1), result.ToString);
        var error = result.Errors[0];
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo("HANDOFF401"));
            Assert.That(error.File, Is.EqualTo(values));
            Assert.That(error.Line, Is.EqualTo(3));
            Assert.That(error.Column, Is.GreaterThan(0));
            Assert.That(error.Message, Does.StartWith("values.yaml is not valid YAML"));
            Assert.That(File.ReadAllBytes(values), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task Two_targets_at_once_is_a_parameter_error()
    {
        var values = _temp.Write("values.yaml", "image:\n  tag: \"1.0\"\n");

        var result = await PinAsync(new() { ["File"] = values, ["Key"] = "image", ["KustomizeImage"] = "app" });

        Assert.That(result.Errors, Has.Count.EqualTo(1), result.ToString);
        Assert.That(result.Errors[0].Code, Is.EqualTo("HANDOFF001"));
        Assert.That(result.Errors[0].Message, Does.Contain("Key and KustomizeImage are set together"));
    }

    private Task<BuildResult> PinAsync(Dictionary<string, string> properties)
    {
        properties.TryAdd("Digest", Digest);
        return DotNet.MSBuildAsync(_project, "Pin", properties);
    }
}
