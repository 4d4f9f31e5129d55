using System.Globalization;

namespace Handoff.Policy.Values;

/// <summary>
/// A Kubernetes resource quantity (<c>100m</c>, <c>1.5Gi</c>, <c>2e3</c>) reduced to an exact decimal so that
/// <c>1Gi</c> and <c>1024Mi</c> compare equal, as <c>resource.Quantity.Cmp</c> does.
/// </summary>
public readonly record struct Quantity(decimal Value) : IComparable<Quantity>
{
    public int CompareTo(Quantity other) => Value.CompareTo(other.Value);

    public static bool TryParse(string? text, out Quantity quantity)
    {
        quantity = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var s = text.AsSpan();
        var sign = 1m;
        if (s[0] is '+' or '-')
        {
            sign = s[0] == '-' ? -1m : 1m;
            s = s[1..];
        }

        var i = 0;
        var dots = 0;
        var digits = 0;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
        {
            if (s[i] == '.')
            {
                dots++;
            }
            else
            {
                digits++;
            }

            i++;
        }

        if (digits == 0 || dots > 1)
        {
            return false;
        }

        if (!decimal.TryParse(s[..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        var suffix = s[i..];
        decimal multiplier;
        switch (suffix)
        {
            case "": multiplier = 1m; break;
            case "n": multiplier = 0.000000001m; break;
            case "u": multiplier = 0.000001m; break;
            case "m": multiplier = 0.001m; break;
            case "k": multiplier = 1_000m; break;
            case "M": multiplier = 1_000_000m; break;
            case "G": multiplier = 1_000_000_000m; break;
            case "T": multiplier = 1_000_000_000_000m; break;
            case "P": multiplier = 1_000_000_000_000_000m; break;
            case "E": multiplier = 1_000_000_000_000_000_000m; break;
            case "Ki": multiplier = 1024m; break;
            case "Mi": multiplier = 1024m * 1024; break;
            case "Gi": multiplier = 1024m * 1024 * 1024; break;
            case "Ti": multiplier = 1024m * 1024 * 1024 * 1024; break;
            case "Pi": multiplier = 1024m * 1024 * 1024 * 1024 * 1024; break;
            case "Ei": multiplier = 1024m * 1024 * 1024 * 1024 * 1024 * 1024; break;
            default:
                if (suffix.Length >= 2 && suffix[0] is 'e' or 'E' && int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent)
                    && exponent is >= -18 and <= 18)
                {
                    multiplier = Pow10(exponent);
                    break;
                }

                return false;
        }

        try
        {
            quantity = new Quantity(sign * number * multiplier);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < Math.Abs(exponent); i++)
        {
            result *= 10m;
        }

        return exponent < 0 ? 1m / result : result;
    }
}
