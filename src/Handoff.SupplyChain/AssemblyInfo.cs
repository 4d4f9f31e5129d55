using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Handoff.SupplyChain.Tests")]

namespace Handoff.SupplyChain;
