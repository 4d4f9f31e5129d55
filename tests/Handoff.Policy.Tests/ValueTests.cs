using Handoff.Policy.Patterns;
using Handoff.Policy.Values;

namespace Handoff.Policy.Tests;

public sealed class ValueTests
{
    [TestCase("*", "anything", true)]
    [TestCase("*", "", true)]
    [TestCase("", "", true)]
    [TestCase("", "x", false)]
    [TestCase("my-bucket?/abc*", "my-bucket1/abc", true)]
    [TestCase("my-bucket?/abc*", "mybucket/abc", false)]
    [TestCase("my-bucket/mnop*?and", "my-bucket/mnopqand", true)]
    [TestCase("my-bucket/mnop*?and", "my-bucket/mnopand", false)]
    [TestCase("my-bucket/abc????", "my-bucket/abcde", false)]
    [TestCase("?*", "", false)]
    public void Wildcard_matches_like_Kyverno(string pattern, string text, bool expected) =>
        Assert.That(Wildcard.Match(pattern, text), Is.EqualTo(expected));

    [TestCase("1h30m", 5_400_000_000_000L)]
    [TestCase("300ms", 300_000_000L)]
    [TestCase("-1.5h", -5_400_000_000_000L)]
    [TestCase("0", 0L)]
    public void Go_durations_parse(string text, long nanoseconds)
    {
        Assert.That(GoDuration.TryParse(text, out var actual), Is.True);
        Assert.That(actual, Is.EqualTo(nanoseconds));
    }

    [TestCase("5")]
    [TestCase("1x")]
    [TestCase("")]
    public void Non_durations_are_rejected(string text) => Assert.That(GoDuration.TryParse(text, out _), Is.False);

    [Test]
    public void Quantities_compare_across_units()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Parse("1Gi").CompareTo(Parse("1024Mi")), Is.EqualTo(0));
            Assert.That(Parse("500m").CompareTo(Parse("1")), Is.LessThan(0));
            Assert.That(Parse("2e3").CompareTo(Parse("2k")), Is.EqualTo(0));
            Assert.That(Quantity.TryParse("abc", out _), Is.False);
            Assert.That(Quantity.TryParse("1h", out _), Is.False);
        });

        static Quantity Parse(string text) => Quantity.TryParse(text, out var q) ? q : throw new AssertionException(text);
    }

    [TestCase(">1", 2L, true)]
    [TestCase(">1", 1L, false)]
    [TestCase(">=2", 2L, true)]
    [TestCase("<=2", 3L, false)]
    [TestCase("!5", 4L, true)]
    [TestCase("!5", 5L, false)]
    [TestCase("1-5", 3L, true)]
    [TestCase("1-5", 6L, false)]
    [TestCase("1!-5", 6L, true)]
    [TestCase("1!-5", 3L, false)]
    [TestCase(">0 & <10", 5L, true)]
    [TestCase("1 | 2", 2L, true)]
    public void Number_operators_and_ranges(string pattern, long value, bool expected) =>
        Assert.That(ValuePattern.ForString(pattern).Matches(GoValue.FromLong(value)), Is.EqualTo(expected));

    [TestCase("<=1Gi", "512Mi", true)]
    [TestCase("<=1Gi", "2Gi", false)]
    [TestCase(">100m", "0.2", true)]
    [TestCase("<1h", "30m", true)]
    [TestCase(">=1h", "30m", false)]
    [TestCase("!*:latest", "nginx:latest", false)]
    [TestCase("!*:latest", "nginx:1.25", true)]
    [TestCase("RuntimeDefault | Localhost", "Localhost", true)]
    [TestCase("RuntimeDefault | Localhost", "Unconfined", false)]
    [TestCase("?*", "", false)]
    [TestCase("*", "", true)]
    public void String_patterns_use_quantities_durations_and_globs(string pattern, string value, bool expected) =>
        Assert.That(ValuePattern.ForString(pattern).Matches(GoValue.FromString(value)), Is.EqualTo(expected));

    [Test]
    public void Booleans_match_string_patterns_by_their_text_and_null_patterns_match_empty_values()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ValuePattern.ForString("false").Matches(GoValue.FromBool(false)), Is.True);
            Assert.That(ValuePattern.ForString("false").Matches(GoValue.FromBool(true)), Is.False);
            Assert.That(ValuePattern.Compile(null).Matches(GoValue.Nil), Is.True);
            Assert.That(ValuePattern.Compile(null).Matches(GoValue.FromString("")), Is.True);
            Assert.That(ValuePattern.Compile(null).Matches(GoValue.FromString("x")), Is.False);
            Assert.That(ValuePattern.ForString(">0").Matches(GoValue.Nil), Is.False, "a missing value counts as 0");
        });
    }

    [TestCase(80.0, "80")]
    [TestCase(1000000.0, "1e+06")]
    [TestCase(123456.0, "123456")]
    [TestCase(0.5, "0.5")]
    [TestCase(0.00001, "1e-05")]
    public void Floats_print_as_Go_prints_them(double value, string expected) =>
        Assert.That(GoFormat.Float(value), Is.EqualTo(expected));
}
