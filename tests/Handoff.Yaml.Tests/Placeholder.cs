namespace Handoff.Yaml.Tests;
