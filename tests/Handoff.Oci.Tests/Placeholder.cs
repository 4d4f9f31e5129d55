namespace Handoff.Oci.Tests;
