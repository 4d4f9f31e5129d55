using Handoff.DeliveryValidation.Tests.Support;

namespace Handoff.DeliveryValidation.Tests;

[SetUpFixture]
public sealed class TestRunCleanup
{
    [OneTimeTearDown]
    public void DeleteSharedFolders() => DeliveryWorkspace.DeleteShared();
}
