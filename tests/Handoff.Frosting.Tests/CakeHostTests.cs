using Handoff.Frosting;

namespace Handoff.Frosting.Tests;

public class CakeHostTests
{
    private static CakeHost All(CakeHost host) => host
        .AddTask<A>().AddTask<BTask>().AddTask<CTask>().AddTask<DTask>().AddTask<FlakyTask>().AddTask<AfterFlakyTask>();

    [Test]
    public void Runs_dependencies_first_in_declared_order()
    {
        var run = TestHost.Run(All, "--target=D");
        Assert.That(run.ExitCode, Is.Zero, run.Output);
        Assert.That(run.Executed, Is.EqualTo(new[] { "A", "B", "C", "C.finally", "D" }));
    }

    [Test]
    public void Task_names_come_from_the_attribute_or_the_class_name_without_Task()
    {
        var run = TestHost.Run(All, "--description");
        Assert.That(run.ExitCode, Is.Zero, run.Output);
        Assert.That(run.Output, Does.Contain("Bee").And.Contain("The second task").And.Contain("AfterFlaky"));
        Assert.That(run.Output, Does.Not.Contain("BTask"));
        Assert.That(run.Executed, Is.Empty);
    }

    [Test]
    public void Dry_run_lists_the_plan_and_runs_nothing()
    {
        var run = TestHost.Run(All, "--target=D", "--dryrun");
        Assert.That(run.ExitCode, Is.Zero, run.Output);
        Assert.That(run.Executed, Is.Empty);
        Assert.That(run.Output, Does.Contain("A").And.Contain("Bee").And.Contain("D"));
    }

    [Test]
    public void Exclusive_runs_only_the_target()
    {
        var run = TestHost.Run(All, "--target=C", "--exclusive");
        Assert.That(run.ExitCode, Is.Zero, run.Output);
        Assert.That(run.Executed, Is.EqualTo(new[] { "C", "C.finally" }));
    }

    [Test]
    public void Tree_shows_dependencies_without_running_them()
    {
        var run = TestHost.Run(All, "--target=D", "--tree");
        Assert.That(run.ExitCode, Is.Zero, run.Output);
        Assert.That(run.Executed, Is.Empty);
        var d = run.Output.IndexOf("D", StringComparison.Ordinal);
        Assert.That(run.Output.IndexOf("Bee", StringComparison.Ordinal), Is.GreaterThan(d), "the tree lists the target first, then its dependencies");
    }

    [Test]
    public void A_task_whose_criteria_fail_is_skipped_and_its_dependents_still_run()
    {
        var run = TestHost.Run(All, "--target=C", "--skip-b");
        Assert.That(run.ExitCode, Is.Zero, run.Output);
        Assert.That(run.Executed, Is.EqualTo(new[] { "A", "C", "C.finally" }));
        Assert.That(run.Output, Does.Match(@"Bee\s+\S*\s*Skipped"));
    }

    [Test]
    public void A_failing_task_stops_its_dependents_and_the_summary_shows_it()
    {
        var run = TestHost.Run(All, "--target=D", "--fail-b");
        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Executed, Is.EqualTo(new[] { "A" }));
        Assert.That(run.Output, Does.Contain("B broke on purpose"));
        Assert.That(run.Output, Does.Match(@"Bee\s+[0-9:.]+\s+Failed"));
        Assert.That(run.Output, Does.Match(@"A\s+[0-9:.]+\s+Succeeded"));
    }

    [Test]
    public void ContinueOnError_lets_the_graph_go_on()
    {
        var run = TestHost.Run(All, "--target=AfterFlaky");
        Assert.That(run.ExitCode, Is.Zero, run.Output);
        Assert.That(run.Executed, Is.EqualTo(new[] { "AfterFlaky" }));
    }

    [Test]
    public void Unknown_target_fails_and_lists_the_known_ones()
    {
        var run = TestHost.Run(All, "--target=Deploy");
        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Output, Does.Contain("unknown target 'Deploy'").And.Contain("A, AfterFlaky, Bee, C, D, Flaky"));
        Assert.That(run.Executed, Is.Empty);
    }

    [Test]
    public void Setup_and_teardown_wrap_the_run_and_teardown_sees_failure()
    {
        var ok = TestHost.Run(h => All(h).UseLifetime<Lifetime>().UseTaskLifetime<TaskLifetime>(), "--target=A");
        Assert.That(ok.Executed, Is.EqualTo(new[] { "setup", "before A", "A", "teardown:ok" }));

        var failed = TestHost.Run(h => All(h).UseLifetime<Lifetime>(), "--target=C", "--fail-b");
        Assert.That(failed.ExitCode, Is.EqualTo(1));
        Assert.That(failed.Executed, Is.EqualTo(new[] { "setup", "A", "teardown:failed" }));
    }

    [Test]
    public void Help_lists_switches_and_tasks()
    {
        var run = TestHost.Run(All, "--help");
        Assert.That(run.ExitCode, Is.Zero);
        Assert.That(run.Output, Does.Contain("--dryrun").And.Contain("--exclusive").And.Contain("--tree").And.Contain("HANDOFF_NAME").And.Contain("The second task"));
    }

    [Test]
    public void A_task_for_another_context_type_is_a_clear_error()
    {
        var run = TestHost.Run(h => h.AddTask<A>().AddTask<NeedsOtherContextTask>(), "--target=A");
        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Output, Does.Contain("needs a OtherContext").And.Contain("UseContext<OtherContext>"));
    }

    [Test]
    public void A_dependency_that_is_not_registered_is_a_clear_error()
    {
        var run = TestHost.Run(h => h.AddTask<CTask>(), "--target=C");
        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Output, Does.Contain("not registered with the host"));
    }
}
