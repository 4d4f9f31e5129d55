using Handoff.DeliveryValidation.Rendering;
using Handoff.Testing;

namespace Handoff.DeliveryValidation.Tests;

/// <summary>Following a JSON path through a Helm template's keys to the line a person edits.</summary>
public sealed class SourceLocatorTests
{
    private static readonly string[] Deployment = File.ReadAllLines(RepoPaths.InRepo("samples", "delivery-repo", "apps", "myapp", "chart", "templates", "deployment.yaml"));

    private static int Line(string text) => Array.FindIndex(Deployment, l => l.Contains(text, StringComparison.Ordinal)) + 1;

    [Test]
    public void A_container_field_is_found_below_the_pod_level_key_of_the_same_name()
    {
        var (line, column) = SourceLocator.Follow(Deployment, "/spec/template/spec/containers/0/securityContext/runAsNonRoot");

        Assert.That(line, Is.EqualTo(Array.FindLastIndex(Deployment, l => l.Contains("runAsNonRoot: true", StringComparison.Ordinal)) + 1), "the container's, not the pod's");
        Assert.That(column, Is.EqualTo(Deployment[line - 1].IndexOf("runAsNonRoot", StringComparison.Ordinal) + 1));
    }

    [Test]
    public void Kyverno_paths_with_a_trailing_slash_and_list_items_are_followed()
    {
        Assert.That(SourceLocator.Follow(Deployment, "/spec/template/spec/containers/0/image/").Line, Is.EqualTo(Line("image: {{ include \"myapp.image\" . }}")));
        Assert.That(SourceLocator.Follow(Deployment, "/spec/template/spec/containers/0/resources/limits/memory").Line, Is.EqualTo(Line("resources:")),
            "keys the template writes through toYaml stop at the deepest key it spells out");
    }

    [Test]
    public void Without_a_path_the_kind_line_is_the_answer()
    {
        Assert.That(SourceLocator.Follow(Deployment, null), Is.EqualTo((Line("kind: Deployment"), 1)));
        Assert.That(SourceLocator.Follow(["# nothing here"], "/spec"), Is.EqualTo((1, 1)));
    }

    [Test]
    public void Quoted_keys_and_escaped_pointer_segments_match()
    {
        string[] lines = ["metadata:", "  annotations:", "    \"example.com/owner\": team"];

        Assert.That(SourceLocator.Follow(lines, "/metadata/annotations/example.com~1owner"), Is.EqualTo((3, 5)));
    }
}
