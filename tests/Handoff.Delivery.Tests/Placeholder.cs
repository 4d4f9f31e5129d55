namespace Handoff.Delivery.Tests;
