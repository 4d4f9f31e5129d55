namespace Handoff.Validation.Tests;
