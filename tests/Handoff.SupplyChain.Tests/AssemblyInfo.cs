// The slow tests wait on external processes (trivy, dotnet list, the CycloneDX tool); running
// fixtures side by side overlaps those waits. Tests share no files (each uses its own TempDirectory).
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(3)]
