using Handoff.Testing;

namespace Handoff.Build.Tests;

/// <summary>SetImage on multi-document files through ./build.sh: --document picks the document the error message asks for.</summary>
public class SetImageDocumentTests
{
    private const string TwoDocuments = "# first service\nimage:\n  repository: acme/one\n  tag: \"1.0\"\n---\n# second service\nimage:\n  repository: acme/two\n  tag: \"2.0\"\n";

    [Test]
    public async Task A_key_in_two_documents_is_refused_and_document_picks_one()
    {
        using var dir = new TempDirectory("setimage-document");
        var file = dir.Write("values.yaml", TwoDocuments);
        var digest = Digest.Sha256("two"u8).ToString();

        var ambiguous = await BuildScript.RunAsync(dir.Path, "--target=SetImage", "--file=values.yaml", "--key=image", $"--digest={digest}");
        Assert.That(ambiguous.ExitCode, Is.EqualTo(1), ambiguous.ToString());
        Assert.That(ambiguous.Output, Does.Match(@"values\.yaml:2:1: `image` exists in 2 documents of this file: document index 0 \(line 2\), document index 1 \(line 5\)"));
        Assert.That(ambiguous.Output, Does.Contain("--document=N for the SetImage target"));
        Assert.That(File.ReadAllText(file), Is.EqualTo(TwoDocuments), "nothing written");

        var second = await BuildScript.RunAsync(dir.Path, "--target=SetImage", "--file=values.yaml", "--key=image", $"--digest={digest}", "--document=1");
        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(File.ReadAllText(file), Is.EqualTo(TwoDocuments + $"  digest: {digest}\n"), "the digest goes under the second document's image, nothing else changes");

        var again = await BuildScript.RunAsync(dir.Path, "--target=SetImage", "--file=values.yaml", "--key=image", $"--digest={digest}", "--document=1");
        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        Assert.That(again.Output, Does.Contain("already pins"));
    }

    [TestCase("--document=first", "--document 'first' is not a document index")]
    [TestCase("--document=2", "values.yaml:1:1: has 2 YAML document(s), so there is no document with index 2.")]
    public async Task A_bad_document_is_explained_and_nothing_is_written(string document, string message)
    {
        using var dir = new TempDirectory("setimage-document");
        var file = dir.Write("values.yaml", TwoDocuments);

        var run = await BuildScript.RunAsync(dir.Path, "--target=SetImage", "--file=values.yaml", "--key=image", $"--digest={Digest.Sha256("x"u8)}", document);
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output, Does.Contain(message));
        Assert.That(File.ReadAllText(file), Is.EqualTo(TwoDocuments));
    }

    [Test]
    public async Task Malformed_yaml_is_reported_as_file_line_column()
    {
        using var dir = new TempDirectory("setimage-malformed");
        const string broken = "image:\n  repository: acme/one\n  tag: \"1.0\n  pullPolicy: IfNotPresent\n";
        var file = dir.Write("values.yaml", broken);

        var run = await BuildScript.RunAsync(dir.Path, "--target=SetImage", "--file=values.yaml", "--key=image", $"--digest={Digest.Sha256("x"u8)}");
        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Output, Does.Match(@"values\.yaml:\d+:\d+: is not valid YAML"));
        Assert.That(File.ReadAllText(file), Is.EqualTo(broken));
    }
}
