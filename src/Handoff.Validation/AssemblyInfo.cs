namespace Handoff.Validation;
