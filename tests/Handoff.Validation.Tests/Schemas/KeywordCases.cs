namespace Handoff.Validation.Tests.Schemas;

/// <summary>Each draft-07 keyword with the instances where implementations tend to differ.</summary>
internal static class KeywordCases
{
    private static readonly string[] Numbers =
        ["0", "-0", "1", "1.0", "1.5", "-1", "2", "3", "9", "10", "1e2", "1E+2", "100.000", "0.1", "0.30000000000000004", "9223372036854775807",
         "9223372036854775808", "-9223372036854775809", "1e300", "12345678901234567890123", "-2.5", "0.0001", "\"1\"", "null", "true"];

    private static readonly string[] Strings =
        ["\"\"", "\"a\"", "\"ab\"", "\"abc\"", "\"abcd\"", "\"é\"", "\"éé\"", "\"e\\u0301\"", "\"👍\"", "\"👍🏽\"", "\"a\\r\\nb\"", "\"a\\nb\"", "\"\\\"q\\\"\"",
         "\"\\u0041\"", "\"a/b\"", "\"ABC\"", "\"abc-123\"", "\"-abc\"", "\"2024-01-02T03:04:05Z\"", "\"2024-13-02T03:04:05Z\"", "\"1h30m\"", "\"PT1H\"", "\"soon\"",
         "\"user@example.com\"", "\"not an email\"", "\"10.0.0.1\"", "\"300.0.0.1\"", "\"https://example.com/x\"", "\"::1\"", "\"b4b64bd1-0a5e-4b62-9b36-8d3f5a1c1f0e\"", "1", "null"];

    private static readonly string[] Values =
        ["null", "true", "false", "0", "1", "1.0", "\"a\"", "\"b\"", "\"\"", "[]", "[1]", "[1, 1.0]", "[1, 2]", "[\"a\", \"a\"]", "[{\"a\": 1}, {\"a\": 1.0}]",
         "[{\"a\": 1}, {\"a\": 2}]", "[[1], [1]]", "{}", "{\"a\": 1}", "{\"a\": \"x\", \"b\": 2}", "{\"a/b\": 1}", "{\"a~b\": 1, \"c\": null}",
         "{\"a\\\"b\": 1}", "{\"foo1\": 1, \"bar\": \"x\"}", "{\"foo1\": \"x\"}", "{\"a\": 1, \"b\": 2, \"c\": 3, \"d\": 4}", "[1, \"a\", null]", "[\"a\", 1]",
         "[\"a\", \"b\", \"c\"]", "[1, 2, 3, 4, 5]", "{\"kind\": \"x\", \"spec\": {}}"];

    public static IEnumerable<(string Schema, string[] Instances)> All
    {
        get
        {
            foreach (var type in new[] { "\"integer\"", "\"number\"", "[\"integer\", \"string\"]", "[\"number\", \"null\"]", "\"string\"", "\"boolean\"", "\"null\"", "\"object\"", "\"array\"", "[\"object\", \"array\"]" })
            {
                yield return ($$"""{"type": {{type}}}""", [.. Numbers, .. Values]);
            }

            foreach (var bound in new[] { "0", "1", "1.0", "1.5", "-1", "10", "1e2", "9223372036854775807", "0.1" })
            {
                foreach (var keyword in new[] { "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum" })
                {
                    yield return ($$"""{"{{keyword}}": {{bound}}}""", Numbers);
                }
            }

            foreach (var divisor in new[] { "1", "2", "0.1", "0.01", "1e-2", "3" })
            {
                yield return ($$"""{"multipleOf": {{divisor}}}""", Numbers);
            }

            foreach (var length in new[] { "0", "1", "2", "3", "4", "5" })
            {
                yield return ($$"""{"minLength": {{length}}}""", Strings);
                yield return ($$"""{"maxLength": {{length}}}""", Strings);
            }

            foreach (var pattern in new[] { "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "\\\\d", "^\\\\w+$", "b$", "^(\\\\+|-)?(([0-9]+(\\\\.[0-9]*)?)|(\\\\.[0-9]+))$" })
            {
                yield return ($$"""{"pattern": "{{pattern}}"}""", Strings);
            }

            foreach (var format in new[] { "date-time", "duration", "email", "ipv4", "ipv6", "uri", "uuid", "hostname", "date", "int32", "byte" })
            {
                yield return ($$"""{"format": "{{format}}"}""", Strings);
            }

            yield return ("""{"enum": ["a", "b", null]}""", [.. Values, .. Strings]);
            yield return ("""{"enum": [1, "1", true, {"a": 1}, [1]]}""", [.. Values, .. Numbers]);
            yield return ("""{"const": {"a": 1}}""", Values);
            yield return ("""{"const": 1}""", [.. Values, .. Numbers]);
            yield return ("""{"const": "a"}""", Values);
            yield return ("""{"uniqueItems": true}""", Values);
            yield return ("""{"minItems": 1, "maxItems": 2}""", Values);
            yield return ("""{"minProperties": 1, "maxProperties": 2}""", Values);
            yield return ("""{"required": ["a", "a/b", "a\"b"]}""", Values);
            yield return ("""{"properties": {"a": {"type": "integer"}, "a/b": {"type": "string"}, "a~b": {"type": "integer"}, "a\"b": {"type": "string"}}, "additionalProperties": false}""", Values);
            yield return ("""{"properties": {"a": {"type": "integer"}}, "required": ["a", "b"], "additionalProperties": {"type": "string"}}""", Values);
            yield return ("""{"patternProperties": {"^foo": {"type": "integer"}}, "additionalProperties": false}""", Values);
            yield return ("""{"properties": {"bar": {"type": "string"}}, "patternProperties": {"o": {"type": "integer"}}, "additionalProperties": {"type": "number"}}""", Values);
            yield return ("""{"dependencies": {"a": ["b"], "b": {"required": ["c"]}}}""", Values);
            yield return ("""{"propertyNames": {"maxLength": 1}}""", Values);
            yield return ("""{"propertyNames": {"pattern": "^[a-z]+$"}}""", Values);
            yield return ("""{"items": {"type": "integer"}}""", Values);
            yield return ("""{"items": [{"type": "string"}, {"type": "integer"}], "additionalItems": false}""", Values);
            yield return ("""{"items": [{"type": "string"}], "additionalItems": {"type": "integer"}}""", Values);
            yield return ("""{"items": {"type": "string"}, "additionalItems": false}""", Values);
            yield return ("""{"additionalItems": false}""", Values);
            yield return ("""{"contains": {"type": "string"}}""", Values);
            yield return ("""{"allOf": [{"type": "object"}, {"required": ["a"]}]}""", Values);
            yield return ("""{"anyOf": [{"type": "string"}, {"type": "integer"}]}""", [.. Values, .. Numbers]);
            yield return ("""{"oneOf": [{"type": "number"}, {"type": "integer"}]}""", [.. Values, .. Numbers]);
            yield return ("""{"oneOf": [{"required": ["a"]}, {"required": ["b"]}]}""", Values);
            yield return ("""{"not": {"type": "null"}}""", Values);
            yield return ("""{"if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {"type": "array"}}""", Values);
            yield return ("""{"then": false, "else": false}""", Values);
            yield return ("""{"properties": {"a": false, "b": true}}""", Values);
            yield return ("""{"type": "object", "nullable": true, "x-kubernetes-preserve-unknown-fields": true, "prefixItems": [false], "dependentRequired": {"a": ["zz"]}}""", Values);
            yield return ("""{"$schema": "http://json-schema.org/draft-07/schema#", "title": "t", "description": "d", "default": 1, "examples": [1], "readOnly": true, "definitions": {"x": {"type": "string"}}, "type": "object"}""", Values);
        }
    }
}
