using Handoff.Validation.Loading;
using Handoff.Validation.Schemas;

namespace Handoff.Validation.Validation;

/// <summary>Validation switches with kubeconform's meaning.</summary>
public sealed record ManifestValidatorOptions
{
    /// <summary>Kinds (or apiVersion/Kind) not validated; counted as skipped.</summary>
    public KindFilter Skip { get; init; } = KindFilter.None;

    /// <summary>Kinds (or apiVersion/Kind) that are an error wherever they appear.</summary>
    public KindFilter Reject { get; init; } = KindFilter.None;

    /// <summary>A resource type with no schema anywhere is skipped instead of being an error.</summary>
    public bool IgnoreMissingSchemas { get; init; }

    /// <summary>Violations reported per resource; the rest are counted in a last message.</summary>
    public int MaxViolationsPerResource { get; init; } = 100;

    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// CRDs among the validated documents become schemas first (kubeconform's behaviour). Off when the
    /// registry already holds every CRD the cluster will have, added in a fixed order: a validator shared by
    /// parallel callers would otherwise let whichever call ran first decide what the others see.
    /// </summary>
    public bool CrdsFromInputs { get; init; } = true;
}

/// <summary>
/// Validates loaded manifests against their JSON schemas: skip/reject filters first, then the schema
/// lookup, then a fast yes/no evaluation; only invalid resources pay for detailed output and for
/// mapping violations back to lines. Resources are validated in parallel; results keep input order.
/// </summary>
public sealed class ManifestValidator(KubernetesSchemaRegistry registry, ManifestValidatorOptions? options = null)
{
    private readonly ManifestValidatorOptions _options = options ?? new ManifestValidatorOptions();

    public KubernetesSchemaRegistry Registry => registry;

    /// <summary>Validates everything that was loaded. CRDs among the documents provide schemas for their custom resources.</summary>
    public ValidationReport Validate(ManifestLoadResult load)
    {
        if (_options.CrdsFromInputs)
        {
            registry.AddCustomResourceDefinitions(load.Documents);
        }

        var entries = load.Entries;
        var results = new ResourceResult[entries.Count];
        Parallel.For(0, entries.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxDegreeOfParallelism) }, i =>
        {
            results[i] = entries[i] switch
            {
                ManifestDocument document => Validate(document),
                ManifestLoadError error => FromLoadError(error),
                _ => throw new InvalidOperationException("unknown manifest entry"),
            };
        });

        return new ValidationReport(results, load.Files);
    }

    public ResourceResult Validate(ManifestDocument document)
    {
        var identity = document.Identity;
        if (_options.Skip.Matches(identity))
        {
            return Result(document, ValidationStatus.Skipped, message: $"skipped: {identity.Kind} matches --skip");
        }

        if (_options.Reject.Matches(identity))
        {
            return Result(document, ValidationStatus.Error, ManifestErrorKind.RejectedKind,
                $"prohibited resource kind {identity.Kind} ({identity.GroupVersionKind} matches --reject). Remove it from the manifests or from the reject list.");
        }

        if (identity.Kind is null || identity.ApiVersion is null)
        {
            // Only reachable with a loader that does not require kind and apiVersion.
            return Result(document, ValidationStatus.Error, identity.Kind is null ? ManifestErrorKind.MissingKind : ManifestErrorKind.MissingApiVersion,
                $"the resource has no string '{(identity.Kind is null ? "kind" : "apiVersion")}', so its schema cannot be chosen. Add it.");
        }

        var lookup = registry.Resolve(new SchemaKey(identity.ApiVersion, identity.Kind));
        switch (lookup.Status)
        {
            case SchemaLookupStatus.Missing when _options.IgnoreMissingSchemas:
                return Result(document, ValidationStatus.Skipped, message: $"skipped: no schema for {identity.GroupVersionKind} (ignoring missing schemas)");
            case SchemaLookupStatus.Missing:
                return Result(document, ValidationStatus.Error, ManifestErrorKind.SchemaNotFound, MissingSchemaMessage(identity, lookup));
            case SchemaLookupStatus.Failed:
                return Result(document, ValidationStatus.Error, lookup.ErrorKind, $"could not get the schema for {identity.GroupVersionKind}: {lookup.Problem}");
        }

        var schema = lookup.Schema!;
        try
        {
            if (schema.IsValid(document.Element))
            {
                return Result(document, ValidationStatus.Valid, schemaOrigin: schema.Origin);
            }

            var found = new ViolationCollector(schema, document.Element).Collect(schema.EvaluateInDetail(document.Element));
            return Result(document, ValidationStatus.Invalid, schemaOrigin: schema.Origin, violations: Locate(document, found));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Result(document, ValidationStatus.Error, ManifestErrorKind.SchemaInvalid,
                $"the schema {schema.Origin} could not be evaluated ({ex.Message}). Fix or replace the schema.", schema.Origin);
        }
    }

    private List<SchemaViolation> Locate(ManifestDocument document, List<ViolationCollector.Found> found)
    {
        var shown = found.Take(_options.MaxViolationsPerResource).ToList();
        var positions = document.Locate(shown.Select(f => f.Path).Distinct().ToList());
        var violations = shown
            .Select(f => new SchemaViolation(f.Path, f.Message, f.Keyword, f.IsPropertyName ? positions[f.Path].KeyOrValue : positions[f.Path].Value))
            .ToList();
        if (found.Count > shown.Count)
        {
            violations.Add(new SchemaViolation("", $"… and {found.Count - shown.Count} more violations", "more", document.Position));
        }

        return violations;
    }

    private static string MissingSchemaMessage(ResourceIdentity identity, SchemaLookup lookup)
    {
        var tried = lookup.Tried.Count == 0 ? "no schema location is configured" : "tried " + string.Join(", ", lookup.Tried);
        return $"could not find a schema for {identity.GroupVersionKind} ({tried}). Add a schema location that has it " +
               "(for custom resources, include the CRD in the inputs or a CRD folder), or pass --ignore-missing-schemas to skip such resources.";
    }

    private static ResourceResult FromLoadError(ManifestLoadError error) => new()
    {
        File = error.File,
        Identity = error.Identity,
        Status = ValidationStatus.Error,
        DocumentIndex = error.DocumentIndex,
        Position = error.Position,
        ErrorKind = error.Kind,
        Message = error.Message,
    };

    private static ResourceResult Result(ManifestDocument document, ValidationStatus status, ManifestErrorKind? kind = null, string? message = null, string? schemaOrigin = null, IReadOnlyList<SchemaViolation>? violations = null) => new()
    {
        File = document.File,
        Identity = document.Identity,
        Status = status,
        DocumentIndex = document.DocumentIndex,
        ItemIndex = document.ItemIndex,
        Position = document.Position,
        ErrorKind = kind,
        Message = message,
        SchemaOrigin = schemaOrigin,
        Violations = violations ?? [],
    };
}
