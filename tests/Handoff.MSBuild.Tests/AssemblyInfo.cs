// Each fixture works in its own temp folders and registries, and a test is mostly waiting for a
// dotnet child process: two fixtures at a time roughly halve the wall-clock time on two cores.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
