namespace Handoff.SupplyChain;
