using Cake.Core.Diagnostics;
using Handoff.Frosting;

namespace Handoff.Frosting.Tests;

public class CommandLineTests
{
    [Test]
    public void Parses_switches_and_arguments_in_both_spellings()
    {
        var line = CommandLine.Parse(["--target=Publish", "-v", "diagnostic", "--registry", "127.0.0.1:5000", "--dryrun", "--scan-report=a.json", "--scan-report=b.json", "-e"]);
        Assert.That(line.Targets, Is.EqualTo(new[] { "Publish" }));
        Assert.That(line.Verbosity, Is.EqualTo(Verbosity.Diagnostic));
        Assert.That(line.DryRun, Is.True);
        Assert.That(line.Exclusive, Is.True);
        Assert.That(line.Arguments.Where(a => a.Key == "scan-report").Select(a => a.Value), Is.EqualTo(new[] { "a.json", "b.json" }));
        Assert.That(line.Arguments.Single(a => a.Key == "registry").Value, Is.EqualTo("127.0.0.1:5000"));
    }

    [Test]
    public void A_flag_does_not_swallow_the_next_argument()
    {
        var line = CommandLine.Parse(["--tree", "--target", "X"]);
        Assert.That(line.Tree, Is.True);
        Assert.That(line.Targets, Is.EqualTo(new[] { "X" }));
    }

    [Test]
    public void Default_target_is_Default()
    {
        Assert.That(CommandLine.Parse([]).Targets, Is.EqualTo(new[] { "Default" }));
    }

    [TestCase("positional")]
    [TestCase("-z")]
    [TestCase("--verbosity=loud")]
    public void Bad_arguments_are_rejected_with_a_hint(string arg)
    {
        var ex = Assert.Throws<CommandLineException>(() => CommandLine.Parse([arg]));
        Assert.That(ex!.Message, Does.Contain(arg.TrimStart('-').Split('=').Last()).Or.Contain(arg));
    }
}
