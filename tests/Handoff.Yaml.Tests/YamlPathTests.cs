using Handoff.Yaml.Paths;

namespace Handoff.Yaml.Tests;

public class YamlPathTests
{
    [Test]
    public void Parses_keys_brackets_indexes_and_selectors()
    {
        var path = YamlPath.Parse("spec.template.spec.containers[name=app].image");
        Assert.That(path.Segments, Is.EqualTo(new PathSegment[]
        {
            new KeySegment("spec"), new KeySegment("template"), new KeySegment("spec"), new KeySegment("containers"),
            new SelectSegment("name", "app"), new KeySegment("image"),
        }));
        Assert.That(YamlPath.Parse("ingress.annotations[kubernetes.io/ingress.class]").Segments[^1], Is.EqualTo(new KeySegment("kubernetes.io/ingress.class")));
        Assert.That(YamlPath.Parse("args[0][1]").Segments, Is.EqualTo(new PathSegment[] { new KeySegment("args"), new IndexSegment(0), new IndexSegment(1) }));
        Assert.That(YamlPath.Parse("['a=b']").Segments, Is.EqualTo(new PathSegment[] { new KeySegment("a=b") }));
        Assert.That(YamlPath.Parse("x[name=\"my app\"]").Segments[^1], Is.EqualTo(new SelectSegment("name", "my app")));
        Assert.That(YamlPath.Parse("[a.b].c").Segments, Is.EqualTo(new PathSegment[] { new KeySegment("a.b"), new KeySegment("c") }));
    }

    [Test]
    public void Formats_back_for_messages()
    {
        Assert.That(YamlPath.Format(YamlPath.Parse("a[b.c].d[0][k=v]").Segments), Is.EqualTo("a[b.c].d[0][k=v]"));
    }

    [Test]
    public void Index_on_a_mapping_reads_as_a_key()
    {
        Assert.That(ImagePinEditor.ReadScalar("ports:\n  \"80\": http\n", "ports[80]", Samples.File), Is.EqualTo("http"));
    }
}
