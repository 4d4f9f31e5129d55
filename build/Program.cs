using Handoff.Frosting;
using Handoff.Tasks;

// The graph: Handoff's reusable tasks (Handoff.Tasks) plus the targets this repository composes from them.
return new CakeHost()
    .UseName("./build.sh")
    .UseContext<HandoffContext>()
    .UseLifetime<HandoffLifetime>()
    .AddAssembly(typeof(HandoffContext).Assembly)
    .AddAssembly(typeof(Program).Assembly)
    .Run(args);
