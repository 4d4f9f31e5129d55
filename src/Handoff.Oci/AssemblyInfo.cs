namespace Handoff.Oci;
