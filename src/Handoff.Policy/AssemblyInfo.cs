namespace Handoff.Policy;
