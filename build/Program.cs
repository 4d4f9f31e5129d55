using Handoff.Frosting;

return new CakeHost()
    .UseName("build.sh")
    .AddAssembly(typeof(Program).Assembly)
    .Run(args);

[TaskDescription("Says hello")]
public sealed class HelloTask : FrostingTask<FrostingContext>
{
    public override void Run(FrostingContext context) => Console.WriteLine("hello");
}

[IsDependentOn(typeof(HelloTask))]
public sealed class DefaultTask : FrostingTask<FrostingContext>;
