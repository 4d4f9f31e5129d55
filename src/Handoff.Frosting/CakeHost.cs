using System.Reflection;
using Cake.Cli;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Packaging;
using Cake.Core.Tooling;
using Spectre.Console;

namespace Handoff.Frosting;

/// <summary>
/// Builds and runs a graph of <see cref="IFrostingTask"/> classes on the real Cake engine
/// (<see cref="CakeEngine"/> and Cake.Cli's script hosts), the way Cake Frosting does, but with
/// no dependency injection container or script compiler on the start-up path.
/// </summary>
public sealed class CakeHost
{
    private readonly List<Assembly> _assemblies = [];
    private readonly List<Type> _tasks = [];
    private Type _contextType = typeof(FrostingContext);
    private Type? _lifetime;
    private Type? _taskLifetime;
    private string? _workingDirectory;
    private IConsole? _console;
    private IAnsiConsole? _ansiConsole;
    private string _name = "build";

    public CakeHost UseContext<TContext>() where TContext : ICakeContext
    {
        _contextType = typeof(TContext);
        return this;
    }

    public CakeHost UseLifetime<TLifetime>() where TLifetime : IFrostingLifetime, new()
    {
        _lifetime = typeof(TLifetime);
        return this;
    }

    public CakeHost UseTaskLifetime<TLifetime>() where TLifetime : IFrostingTaskLifetime, new()
    {
        _taskLifetime = typeof(TLifetime);
        return this;
    }

    /// <summary>Registers every concrete task class of the assembly.</summary>
    public CakeHost AddAssembly(Assembly assembly)
    {
        _assemblies.Add(assembly);
        return this;
    }

    public CakeHost AddTask<TTask>() where TTask : IFrostingTask
    {
        _tasks.Add(typeof(TTask));
        return this;
    }

    public CakeHost UseWorkingDirectory(string path)
    {
        _workingDirectory = path;
        return this;
    }

    /// <summary>Redirects output, for hosting the graph inside tests or another program.</summary>
    public CakeHost UseConsole(IConsole console, IAnsiConsole ansiConsole)
    {
        _console = console;
        _ansiConsole = ansiConsole;
        return this;
    }

    /// <summary>The command name shown by --help (build.sh by default).</summary>
    public CakeHost UseName(string name)
    {
        _name = name;
        return this;
    }

    public int Run(IEnumerable<string> args) => RunAsync(args).GetAwaiter().GetResult();

    public async Task<int> RunAsync(IEnumerable<string> args)
    {
        var console = _console ?? new CakeConsole(new CakeEnvironment(new CakePlatform(), new CakeRuntime()));
        var log = new CakeBuildLog(console, Verbosity.Normal);
        CommandLine commandLine;
        try
        {
            commandLine = CommandLine.Parse(args.ToList());
        }
        catch (CommandLineException ex)
        {
            log.Error("Error: {0}", ex.Message);
            return 1;
        }

        log.Verbosity = commandLine.Verbosity;
        var ansi = _ansiConsole ?? AnsiConsole.Console;

        try
        {
            var tasks = DiscoverTasks();
            if (commandLine.Help)
            {
                WriteHelp(console, tasks);
                return 0;
            }

            if (commandLine.Version)
            {
                console.WriteLine(typeof(CakeHost).Assembly.GetName().Version?.ToString() ?? "0.0.0");
                return 0;
            }

            var context = CreateContext(commandLine, log, out var environment);
            var engine = new CakeEngine(new CakeDataService(), log);
            var typedContext = CreateTypedContext(context);
            Register(engine, tasks, typedContext);

            // The description host lists every task; the others need a real target.
            if (!commandLine.Description)
            {
                var known = tasks.Select(t => t.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
                var unknown = commandLine.Targets.Where(t => !known.Contains(t)).ToList();
                if (unknown.Count > 0)
                {
                    log.Error("Error: unknown target '{0}'. Known targets: {1}. Run with --description to see what each does.",
                        string.Join("', '", unknown), string.Join(", ", tasks.Select(t => t.Name).Order(StringComparer.OrdinalIgnoreCase)));
                    return 1;
                }
            }

            var configuration = context.Configuration;
            var report = commandLine switch
            {
                { Description: true } => await new DescriptionScriptHost(engine, typedContext, ansi).RunTargetsAsync(commandLine.Targets),
                { Tree: true } => await new TreeScriptHost(engine, typedContext, console).RunTargetsAsync(commandLine.Targets),
                { DryRun: true } => await RunDry(engine, typedContext, log, commandLine),
                _ => await RunForReal(engine, typedContext, log, ansi, configuration, commandLine),
            };
            return 0;
        }
        catch (Exception ex)
        {
            return LogFailure(log, ex);
        }
    }

    private static async Task<CakeReport> RunDry(CakeEngine engine, ICakeContext context, ICakeLog log, CommandLine commandLine)
    {
        var host = new DryRunScriptHost(engine, context, log);
        if (commandLine.Exclusive)
        {
            host.Settings.UseExclusiveTarget();
        }

        return await host.RunTargetsAsync(commandLine.Targets);
    }

    private static async Task<CakeReport> RunForReal(CakeEngine engine, ICakeContext context, ICakeLog log, IAnsiConsole ansi, ICakeConfiguration configuration, CommandLine commandLine)
    {
        ICakeReportPrinter printer = new CakeSpectreReportPrinter(ansi);
        if (log.Verbosity == Verbosity.Quiet || commandLine.Arguments.Any(a => a.Key.Equals("noreport", StringComparison.OrdinalIgnoreCase)))
        {
            // Quiet runs feed scripts (digest=$(./build.sh ... --verbosity=quiet)): no summary table.
            printer = new NoSummaryPrinter(printer);
        }

        var host = new BuildScriptHost(engine, new DefaultExecutionStrategy(log, printer), context, printer, configuration, log);
        if (commandLine.Exclusive)
        {
            host.Settings.UseExclusiveTarget();
        }

        return await host.RunTargetsAsync(commandLine.Targets);
    }

    private static int LogFailure(ICakeLog log, Exception ex)
    {
        var inner = ex;
        while (inner is AggregateException { InnerException: not null } or TargetInvocationException { InnerException: not null } or CakeReportException { InnerException: not null })
        {
            inner = inner.InnerException!;
        }

        log.Error("Error: {0}", inner.Message);
        if (log.Verbosity >= Verbosity.Diagnostic)
        {
            log.Error("{0}", inner.ToString());
        }

        return 1;
    }

    private CakeContext CreateContext(CommandLine commandLine, ICakeLog log, out CakeEnvironment environment)
    {
        environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        var workingDirectory = commandLine.WorkingDirectory ?? _workingDirectory;
        if (workingDirectory is not null)
        {
            var full = System.IO.Path.GetFullPath(workingDirectory);
            if (!Directory.Exists(full))
            {
                throw new DirectoryNotFoundException($"The working directory '{full}' does not exist.");
            }

            environment.WorkingDirectory = new DirectoryPath(full);
        }

        var fileSystem = new FileSystem();
        var globber = new Globber(fileSystem, environment);
        var arguments = new CakeArguments(commandLine.Arguments.ToLookup(a => a.Key, a => a.Value, StringComparer.OrdinalIgnoreCase));
        var configuration = new CakeConfigurationProvider(fileSystem, environment)
            .CreateConfiguration(environment.WorkingDirectory, new Dictionary<string, string>());
        var toolRepository = new ToolRepository(environment);
        var toolLocator = new ToolLocator(environment, toolRepository, new ToolResolutionStrategy(fileSystem, environment, globber, configuration, log));
        var processRunner = new ProcessRunner(fileSystem, environment, log, toolLocator, configuration);
        return new CakeContext(fileSystem, environment, globber, log, arguments, processRunner, new WindowsRegistry(),
            toolLocator, new CakeDataService(), configuration, new NoToolInstaller(), EmptyServiceProvider.Instance);
    }

    private ICakeContext CreateTypedContext(ICakeContext context)
    {
        if (_contextType == typeof(FrostingContext))
        {
            return new FrostingContext(context);
        }

        var ctor = _contextType.GetConstructor([typeof(ICakeContext)])
            ?? throw new InvalidOperationException($"The context type {_contextType.FullName} needs a public constructor taking ICakeContext.");
        try
        {
            return (ICakeContext)ctor.Invoke([context]);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }

    internal sealed record TaskDefinition(string Name, Type Type, string? Description);

    private List<TaskDefinition> DiscoverTasks()
    {
        var types = _assemblies.SelectMany(a => a.GetTypes())
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IFrostingTask).IsAssignableFrom(t))
            .Concat(_tasks)
            .Distinct()
            .ToList();
        var result = new List<TaskDefinition>();
        var names = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in types)
        {
            var name = TaskNames.Of(type);
            if (names.TryGetValue(name, out var existing))
            {
                throw new InvalidOperationException($"Two tasks are named '{name}': {existing.FullName} and {type.FullName}. Give one a different [TaskName].");
            }

            names[name] = type;
            result.Add(new TaskDefinition(name, type, type.GetCustomAttribute<TaskDescriptionAttribute>()?.Description));
        }

        return result;
    }

    private void Register(CakeEngine engine, List<TaskDefinition> tasks, ICakeContext context)
    {
        var byType = tasks.ToDictionary(t => t.Type);
        foreach (var definition in tasks)
        {
            var task = (IFrostingTask)(Activator.CreateInstance(definition.Type)
                ?? throw new InvalidOperationException($"Cannot create task {definition.Type.FullName}."));
            if (!task.ContextType.IsInstanceOfType(context))
            {
                throw new InvalidOperationException(
                    $"Task '{definition.Name}' needs a {task.ContextType.Name} but the host's context is {context.GetType().Name}. Call UseContext<{task.ContextType.Name}>().");
            }

            var builder = engine.RegisterTask(definition.Name);
            if (definition.Description is not null)
            {
                builder.Description(definition.Description);
            }

            builder.Does(task.RunAsync);
            builder.WithCriteria(ctx => task.ShouldRun(ctx), "the task's ShouldRun returned false");
            if (definition.Type.GetCustomAttribute<ContinueOnErrorAttribute>() is not null)
            {
                builder.ContinueOnError();
            }

            // Cake treats an error handler as handling the error, so only tasks that override OnError get one.
            if (Overrides(definition.Type, nameof(IFrostingTask.OnError)))
            {
                builder.OnError((exception, ctx) => task.OnError(exception, ctx));
            }

            if (Overrides(definition.Type, nameof(IFrostingTask.Finally)))
            {
                builder.Finally(ctx => task.Finally(ctx));
            }

            foreach (var dependency in definition.Type.GetCustomAttributes<IsDependentOnAttribute>())
            {
                builder.IsDependentOn(ResolveName(byType, definition, dependency.Task));
            }

            foreach (var dependee in definition.Type.GetCustomAttributes<IsDependeeOfAttribute>())
            {
                builder.IsDependeeOf(ResolveName(byType, definition, dependee.Task));
            }
        }

        RegisterLifetimes(engine, context);
    }

    private static bool Overrides(Type type, string method) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Any(m => m.Name == method && m.DeclaringType is { IsGenericType: false } declaring && declaring != typeof(object) && !declaring.IsAbstract);

    private static string ResolveName(Dictionary<Type, TaskDefinition> byType, TaskDefinition owner, Type dependency)
    {
        if (!typeof(IFrostingTask).IsAssignableFrom(dependency))
        {
            throw new InvalidOperationException($"Task '{owner.Name}' depends on {dependency.FullName}, which is not a task.");
        }

        return byType.TryGetValue(dependency, out var target)
            ? target.Name
            : throw new InvalidOperationException($"Task '{owner.Name}' depends on {dependency.FullName}, which is not registered with the host. Add its assembly with AddAssembly or AddTask.");
    }

    private void RegisterLifetimes(CakeEngine engine, ICakeContext context)
    {
        if (_lifetime is not null)
        {
            var lifetime = (IFrostingLifetime)Activator.CreateInstance(_lifetime)!;
            engine.RegisterSetupAction(info => lifetime.Setup(context, info));
            engine.RegisterTeardownAction(info => lifetime.Teardown(context, info));
        }

        if (_taskLifetime is not null)
        {
            var lifetime = (IFrostingTaskLifetime)Activator.CreateInstance(_taskLifetime)!;
            engine.RegisterTaskSetupAction(info => lifetime.Setup(context, info));
            engine.RegisterTaskTeardownAction(info => lifetime.Teardown(context, info));
        }
    }

    private void WriteHelp(IConsole console, List<TaskDefinition> tasks)
    {
        console.WriteLine($"Usage: {_name} [--target=NAME] [--name=value ...] [switches]");
        console.WriteLine("");
        console.WriteLine("Switches:");
        console.WriteLine("  -t, --target=NAME        the target to run (default: Default); several with commas");
        console.WriteLine("  -v, --verbosity=LEVEL    quiet, minimal, normal, verbose or diagnostic");
        console.WriteLine("      --dryrun             show the tasks that would run, run none");
        console.WriteLine("      --tree               show the dependency tree of the target");
        console.WriteLine("      --description        list the tasks and what they do");
        console.WriteLine("  -e, --exclusive          run the target alone, without its dependencies");
        console.WriteLine("  -w, --working=DIR        run from DIR");
        console.WriteLine("      --noreport           no task summary table at the end (also with --verbosity=quiet)");
        console.WriteLine("      --version            print the host version");
        console.WriteLine("  -h, --help               this text");
        console.WriteLine("");
        console.WriteLine($"Parameters resolve from the command line (--name=value), then the environment ({Parameters.EnvironmentPrefix}NAME), then the [{Parameters.ConfigSection}] section of cake.config.");
        console.WriteLine("");
        console.WriteLine("Tasks:");
        var width = tasks.Count == 0 ? 0 : tasks.Max(t => t.Name.Length);
        foreach (var task in tasks.OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase))
        {
            console.WriteLine($"  {task.Name.PadRight(width)}  {task.Description}");
        }
    }

    private sealed class NoSummaryPrinter(ICakeReportPrinter inner) : ICakeReportPrinter
    {
        public void Write(CakeReport report) { }
        public void WriteStep(string name, Verbosity verbosity) => inner.WriteStep(name, verbosity);
        public void WriteLifeCycleStep(string name, Verbosity verbosity) => inner.WriteLifeCycleStep(name, verbosity);
        public void WriteSkippedStep(string name, Verbosity verbosity) => inner.WriteSkippedStep(name, verbosity);
    }

    private sealed class NoToolInstaller : IToolInstaller
    {
        public IEnumerable<FilePath> Install(PackageReference tool) =>
            throw new NotSupportedException($"Installing tools from packages is not supported; put '{tool.Package}' on PATH or in tools/.");
    }

    private sealed class EmptyServiceProvider : IServiceProvider
    {
        public static readonly EmptyServiceProvider Instance = new();
        public object? GetService(Type serviceType) => null;
    }
}

public static class TaskNames
{
    public static string Of(Type type)
    {
        var attribute = type.GetCustomAttribute<TaskNameAttribute>();
        if (attribute is not null)
        {
            return attribute.Name;
        }

        var name = type.Name;
        return name.EndsWith("Task", StringComparison.Ordinal) && name.Length > 4 ? name[..^4] : name;
    }
}
