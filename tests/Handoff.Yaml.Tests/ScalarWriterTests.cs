using Handoff.Yaml.Editing;
using YamlDotNet.Core;

namespace Handoff.Yaml.Tests;

public class ScalarWriterTests
{
    [TestCase("6.14.1")]
    [TestCase("v1.10")]
    [TestCase("latest")]
    [TestCase("1.2.3-rc.1")]
    [TestCase("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [TestCase("ghcr.io/org/app")]
    [TestCase("reg:5000/app@sha256:0123")]
    [TestCase("a#b")]
    [TestCase("main_2024")]
    [TestCase("Überfall")]
    public void Safe_strings_stay_plain(string value)
    {
        Assert.That(ScalarWriter.IsPlainSafe(value, inFlow: false), Is.True);
        Assert.That(ScalarWriter.Write(value, ScalarStyle.Plain, inFlow: false), Is.EqualTo(value));
        RoundTrips(value, ScalarWriter.Write(value, ScalarStyle.Plain, inFlow: false));
    }

    [TestCase("1.10")]
    [TestCase("1")]
    [TestCase("-1")]
    [TestCase("+1.5")]
    [TestCase(".5")]
    [TestCase("1e3")]
    [TestCase("1E-3")]
    [TestCase("0x1F")]
    [TestCase("0o17")]
    [TestCase("0b101")]
    [TestCase("017")]
    [TestCase("1_000")]
    [TestCase("1:20")]
    [TestCase(".inf")]
    [TestCase("-.Inf")]
    [TestCase(".NaN")]
    [TestCase("true")]
    [TestCase("False")]
    [TestCase("yes")]
    [TestCase("NO")]
    [TestCase("on")]
    [TestCase("Off")]
    [TestCase("y")]
    [TestCase("N")]
    [TestCase("~")]
    [TestCase("null")]
    [TestCase("NULL")]
    [TestCase("")]
    [TestCase("2001-12-14")]
    [TestCase("2001-12-14t21:59:43.10-05:00")]
    [TestCase("<<")]
    [TestCase("=")]
    [TestCase("a: b")]
    [TestCase("a #b")]
    [TestCase("end:")]
    [TestCase("-x")]
    [TestCase("- x")]
    [TestCase("?x")]
    [TestCase("*alias")]
    [TestCase("&anchor")]
    [TestCase("!tag")]
    [TestCase("%x")]
    [TestCase("@x")]
    [TestCase("`x")]
    [TestCase("|x")]
    [TestCase(">x")]
    [TestCase("'x")]
    [TestCase("\"x")]
    [TestCase("[x")]
    [TestCase("{x")]
    [TestCase(" x")]
    [TestCase("x ")]
    [TestCase("a\nb")]
    [TestCase("a\tb")]
    public void Strings_that_would_change_type_or_meaning_are_double_quoted(string value)
    {
        Assert.That(ScalarWriter.IsPlainSafe(value, inFlow: false), Is.False);
        var written = ScalarWriter.Write(value, ScalarStyle.Plain, inFlow: false);
        Assert.That(written, Does.StartWith("\"").And.EndWith("\""));
        RoundTrips(value, written);
    }

    [TestCase("a,b")]
    [TestCase("a]")]
    [TestCase("{x}")]
    public void Flow_indicators_are_quoted_only_in_flow(string value)
    {
        Assert.That(ScalarWriter.IsPlainSafe(value, inFlow: true), Is.False);
        Assert.That(ScalarWriter.IsPlainSafe(value, inFlow: false), Is.EqualTo(value[0] != '{'));
    }

    [Test]
    public void Single_quoted_style_is_kept_with_doubled_quotes()
    {
        Assert.That(ScalarWriter.Write("it's 1.10", ScalarStyle.SingleQuoted, inFlow: false), Is.EqualTo("'it''s 1.10'"));
        Assert.That(ScalarWriter.Write("a\nb", ScalarStyle.SingleQuoted, inFlow: false), Is.EqualTo("\"a\\nb\""));
    }

    private static void RoundTrips(string value, string written)
    {
        var parsed = EditAssert.Flatten("k: " + written + "\n");
        Assert.That(parsed, Is.EqualTo(new[] { ("#0.k", "str:" + value) }), $"{written} reads back as the string");
    }
}
