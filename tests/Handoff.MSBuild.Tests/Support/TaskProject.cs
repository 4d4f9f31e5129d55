using System.Security;
using Handoff.Testing;

namespace Handoff.MSBuild.Tests.Support;

/// <summary>A plain MSBuild project (no SDK) that imports Handoff.MSBuild.targets from the source tree and uses the freshly built task assembly.</summary>
internal static class TaskProject
{
    public static string Write(TempDirectory directory, string targets, string name = "tasks.proj") =>
        directory.Write(name, $"""
            <Project>
              <PropertyGroup>
                <HandoffTasksAssembly>{SecurityElement.Escape(TaskBuild.TasksAssembly)}</HandoffTasksAssembly>
              </PropertyGroup>
              <Import Project="{SecurityElement.Escape(TaskBuild.TargetsFile)}" />
            {targets}
            </Project>
            """);
}
