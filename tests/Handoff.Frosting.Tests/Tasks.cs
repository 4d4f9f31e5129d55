using Cake.Core;
using Handoff.Frosting;

namespace Handoff.Frosting.Tests;

public sealed class A : FrostingTask<RecordingContext>
{
    public override void Run(RecordingContext context) => context.Record("A");
}

[TaskName("Bee")]
[TaskDescription("The second task")]
public sealed class BTask : FrostingTask<RecordingContext>
{
    public override void Run(RecordingContext context)
    {
        if (context.Has("fail-b"))
        {
            throw new HandoffException("B broke on purpose");
        }

        context.Record("B");
    }

    public override bool ShouldRun(RecordingContext context) => !context.Has("skip-b");
}

[IsDependentOn(typeof(A))]
[IsDependentOn(typeof(BTask))]
public sealed class CTask : AsyncFrostingTask<RecordingContext>
{
    public override async Task RunAsync(RecordingContext context)
    {
        await Task.Yield();
        context.Record("C");
    }

    public override void Finally(RecordingContext context) => context.Record("C.finally");
}

[IsDependentOn(typeof(CTask))]
public sealed class DTask : FrostingTask<RecordingContext>
{
    public override void Run(RecordingContext context) => context.Record("D");
}

[ContinueOnError]
public sealed class FlakyTask : FrostingTask<RecordingContext>
{
    public override void Run(RecordingContext context) => throw new InvalidOperationException("flaky");
}

[IsDependentOn(typeof(FlakyTask))]
public sealed class AfterFlakyTask : FrostingTask<RecordingContext>
{
    public override void Run(RecordingContext context) => context.Record("AfterFlaky");
}

public sealed class Lifetime : FrostingLifetime<RecordingContext>
{
    public override void Setup(RecordingContext context, ISetupContext info) => context.Record("setup");
    public override void Teardown(RecordingContext context, ITeardownContext info) => context.Record("teardown:" + (info.Successful ? "ok" : "failed"));
}

public sealed class TaskLifetime : FrostingTaskLifetime<RecordingContext>
{
    public override void Setup(RecordingContext context, ITaskSetupContext info) => context.Record("before " + info.Task.Name);
}

/// <summary>A task for a context the host does not provide.</summary>
public sealed class OtherContext(ICakeContext context) : FrostingContext(context);

public sealed class NeedsOtherContextTask : FrostingTask<OtherContext>;
