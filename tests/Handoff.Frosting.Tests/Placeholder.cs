namespace Handoff.Frosting.Tests;
