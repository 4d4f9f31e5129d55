namespace Handoff.MSBuild;

/// <summary>A task parameter that is missing or malformed; reported at the task's invocation as <see cref="ErrorCodes.InvalidParameter"/>.</summary>
public sealed class TaskParameterException(string message) : HandoffException(message);
