using Cake.Core;
using Handoff.Frosting;
using Handoff.Testing;

namespace Handoff.Frosting.Tests;

public class ParametersTests
{
    private static CakeArguments Args(params (string, string)[] pairs) => new(pairs.ToLookup(p => p.Item1, p => p.Item2, StringComparer.OrdinalIgnoreCase));

    private static Parameters Make(CakeArguments args, Dictionary<string, string> env, string ini)
    {
        var temp = Path.GetTempFileName();
        File.WriteAllText(temp, ini);
        try
        {
            return new Parameters(args, n => env.GetValueOrDefault(n), IniFile.ReadSection(temp, "Handoff"), env.Keys);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private const string Ini = "[Other]\nbase-image = wrong\n\n[Handoff]\n; comment\nbase-image = from-config\nRegistry = config-registry\nTag=config-tag\n";

    [Test]
    public void Command_line_beats_environment_beats_config()
    {
        var env = new Dictionary<string, string> { ["HANDOFF_BASE_IMAGE"] = "from-env", ["HANDOFF_REGISTRY"] = "env-registry" };
        var p = Make(Args(("base-image", "from-cli")), env, Ini);
        Assert.That(p.Find("base-image")!.Value, Is.EqualTo("from-cli"));
        Assert.That(p.Find("base-image")!.Source, Is.EqualTo(ParameterSource.CommandLine));
        Assert.That(p.Find("registry")!.Value, Is.EqualTo("env-registry"));
        Assert.That(p.Find("registry")!.Source, Is.EqualTo(ParameterSource.Environment));
        Assert.That(p.Find("tag")!.Value, Is.EqualTo("config-tag"));
        Assert.That(p.Find("tag")!.Source, Is.EqualTo(ParameterSource.ConfigFile));
        Assert.That(p.Find("missing"), Is.Null);
    }

    [Test]
    public void A_task_default_applies_only_when_no_user_source_sets_the_name()
    {
        var env = new Dictionary<string, string> { ["HANDOFF_REGISTRY"] = "env-registry" };
        var p = Make(Args(("base-image", "from-cli")), env, Ini);
        foreach (var name in new[] { "base-image", "registry", "tag", "project" })
        {
            p.SetDefault(name, "task-default");
        }

        Assert.That(p.Get("base-image"), Is.EqualTo("from-cli"));
        Assert.That(p.Get("registry"), Is.EqualTo("env-registry"));
        Assert.That(p.Get("tag"), Is.EqualTo("config-tag"));
        Assert.That(p.Find("Project")!.Value, Is.EqualTo("task-default"));
        Assert.That(p.Find("project")!.Source, Is.EqualTo(ParameterSource.TaskDefault));
    }

    [Test]
    public void Names_ignore_case_dashes_and_underscores()
    {
        var env = new Dictionary<string, string> { ["HANDOFF_BASEIMAGE"] = "compact" };
        var p = Make(Args(), env, "");
        Assert.That(p.Get("base-image"), Is.EqualTo("compact"));
        var q = Make(Args(("Base_Image", "cli")), [], "");
        Assert.That(q.Get("base-image"), Is.EqualTo("cli"));
    }

    [Test]
    public void Repeated_arguments_are_all_returned()
    {
        var p = Make(Args(("scan-report", "a"), ("scan-report", "b")), [], "");
        Assert.That(p.FindAll("scan-report").Select(v => v.Value), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void Require_names_all_three_ways_to_set_a_missing_parameter()
    {
        var p = Make(Args(), [], "");
        var ex = Assert.Throws<MissingParameterException>(() => p.Require("delivery-repo", "Where the env values live."));
        Assert.That(ex!.Message, Does.Contain("--delivery-repo=VALUE").And.Contain("HANDOFF_DELIVERY_REPO").And.Contain("[Handoff]").And.Contain("Where the env values live."));
    }

    [Test]
    public void A_malformed_config_line_names_file_and_line()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("cake.config", "[Handoff]\nregistry = x\nthis line is wrong\n");
        var ex = Assert.Throws<FormatException>(() => IniFile.ReadSection(path, "Handoff"));
        Assert.That(ex!.Message, Does.Contain("cake.config:3"));
    }
}
