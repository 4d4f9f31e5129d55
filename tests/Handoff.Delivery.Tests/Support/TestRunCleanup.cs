using Handoff.Delivery.Tests.Support;

namespace Handoff.Delivery.Tests;

[SetUpFixture]
public sealed class TestRunCleanup
{
    [OneTimeTearDown]
    public void DeleteSharedTemplate() => DeliveryRepo.DeleteTemplate();
}
