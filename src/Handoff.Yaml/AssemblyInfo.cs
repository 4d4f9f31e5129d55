namespace Handoff.Yaml;
