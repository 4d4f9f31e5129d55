using System.Globalization;

namespace Handoff.Policy.Values;

/// <summary>Go's <c>time.ParseDuration</c> (e.g. <c>1h30m</c>, <c>300ms</c>, <c>-1.5h</c>), in nanoseconds as Go keeps them.</summary>
public static class GoDuration
{
    public static bool TryParse(string? text, out long nanoseconds)
    {
        nanoseconds = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var s = text.AsSpan();
        var negative = false;
        if (s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s.SequenceEqual("0"))
        {
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        decimal total = 0;
        while (!s.IsEmpty)
        {
            var i = 0;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (i == 0 || s[..i].SequenceEqual(".") || s[..i].Count('.') > 1)
            {
                return false;
            }

            if (!decimal.TryParse(s[..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            s = s[i..];
            var u = 0;
            while (u < s.Length && !char.IsAsciiDigit(s[u]) && s[u] != '.')
            {
                u++;
            }

            if (u == 0)
            {
                return false;
            }

            decimal unit = s[..u] switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                "h" => 3_600_000_000_000m,
                _ => -1m,
            };
            if (unit < 0)
            {
                return false;
            }

            total += number * unit;
            if (total > long.MaxValue)
            {
                return false;
            }

            s = s[u..];
        }

        nanoseconds = (long)decimal.Truncate(negative ? -total : total);
        return true;
    }
}
