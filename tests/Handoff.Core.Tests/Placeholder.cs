namespace Handoff.Core.Tests;
