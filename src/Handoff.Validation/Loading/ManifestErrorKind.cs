namespace Handoff.Validation.Loading;

/// <summary>Why a file, document or resource could not be validated. Reports group and filter on this.</summary>
public enum ManifestErrorKind
{
    FileNotFound,
    ReadFailed,
    InvalidEncoding,
    SyntaxError,
    DuplicateKey,
    AliasLimitExceeded,
    UnsupportedValue,
    NotAnObject,
    MissingKind,
    MissingApiVersion,
    RejectedKind,
    SchemaNotFound,
    SchemaUnavailable,
    SchemaInvalid,
    ObjectTooLarge,
}
