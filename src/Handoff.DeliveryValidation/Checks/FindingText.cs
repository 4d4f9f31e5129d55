using System.Text;
using Handoff.Reports;

namespace Handoff.DeliveryValidation.Checks;

/// <summary>Small conversions every check shares when it turns results into findings.</summary>
internal static class FindingText
{
    /// <summary>"SchemaNotFound" → "schema-not-found", for rule ids.</summary>
    public static string Kebab(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    public static ResourceId? Resource(Validation.Loading.ResourceIdentity identity) =>
        identity.Kind is null && identity.Name is null ? null : new ResourceId(identity.ApiVersion, identity.Kind ?? "?", identity.Namespace, identity.Name ?? "?");

    public static ResourceId Resource(Policy.ResourceIdentity identity) =>
        new(identity.ApiVersion, identity.Kind, identity.Namespace, identity.Name);
}
