namespace Handoff.Policy.Tests;
