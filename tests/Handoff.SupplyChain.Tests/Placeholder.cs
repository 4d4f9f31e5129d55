namespace Handoff.SupplyChain.Tests;
