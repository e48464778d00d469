using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace MarketAnalytics.IO;

/// <summary>Allocation-free parsing of ASCII decimal numbers, correctly rounded like <see cref="double.Parse(string)"/>.</summary>
internal static class FastNumber
{
    // Powers of ten that are exact doubles (10^0 .. 10^22).
    private static readonly double[] Pow10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>Parses a plain decimal such as <c>-16541.77000000</c>.</summary>
    /// <remarks>
    /// Fast path (Clinger): when the digits fit in 53 bits and at most 22 fraction digits remain, the value is
    /// <c>m / 10^k</c> with both operands exact, so one IEEE division gives the correctly rounded result.
    /// Anything else (exponents, long mantissas, inf/nan words) falls back to the framework parser.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseDouble(ReadOnlySpan<byte> s, out double value)
    {
        var i = 0;
        var negative = false;
        if (s.Length > 0 && (s[0] == (byte)'-' || s[0] == (byte)'+'))
        {
            negative = s[0] == (byte)'-';
            i = 1;
        }
        ulong mantissa = 0;
        var digits = 0;
        var fraction = -1;
        var start = i;
        for (; i < s.Length; i++)
        {
            var d = (uint)(s[i] - (byte)'0');
            if (d <= 9)
            {
                if (mantissa == 0 && d == 0)
                {
                    if (fraction >= 0) fraction++;
                    continue; // leading zeros do not count toward precision
                }
                if (digits >= 19) return Slow(s, out value);
                mantissa = mantissa * 10 + d;
                digits++;
                if (fraction >= 0) fraction++;
            }
            else if (s[i] == (byte)'.' && fraction < 0)
            {
                fraction = 0;
            }
            else
            {
                return Slow(s, out value);
            }
        }
        if (i == start || (fraction == 0 && i == start + 1)) return Slow(s, out value);
        var scale = fraction < 0 ? 0 : fraction;
        if (mantissa > (1UL << 53) || scale > 22)
        {
            // Trailing fraction zeros ("...77000000") add no precision; dropping them may bring us back to the fast path.
            while (scale > 0 && mantissa % 10 == 0 && mantissa != 0)
            {
                mantissa /= 10;
                scale--;
            }
            if (mantissa > (1UL << 53) || scale > 22) return Slow(s, out value);
        }
        var v = scale == 0 ? mantissa : mantissa / Pow10[scale];
        value = negative ? -v : v;
        return true;
    }

    /// <summary>Parses the field that starts at <paramref name="pos"/> and ends at the next comma (or the end), moving past the comma.</summary>
    /// <returns>False when the field is not a number; <paramref name="pos"/> then still moves past it.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseDoubleField(ReadOnlySpan<byte> line, ref int pos, out double value)
    {
        var start = pos;
        var i = pos;
        ulong mantissa = 0;
        var digits = 0;
        var scale = 0;
        var seenDot = false;
        var negative = false;
        if (i < line.Length && line[i] == (byte)'-')
        {
            negative = true;
            i++;
        }
        var first = i;
        for (; i < line.Length; i++)
        {
            var c = line[i];
            var d = (uint)(c - (byte)'0');
            if (d <= 9)
            {
                if (digits < 19)
                {
                    mantissa = mantissa * 10 + d;
                    if (mantissa != 0) digits++;
                    if (seenDot) scale++;
                    continue;
                }
                break; // too many digits: slow path
            }
            if (c == (byte)'.' && !seenDot)
            {
                seenDot = true;
                continue;
            }
            break;
        }
        if ((i == line.Length || line[i] == (byte)',') && i > first && !(seenDot && i == first + 1) && mantissa <= (1UL << 53) && scale <= 22)
        {
            var v = scale == 0 ? mantissa : mantissa / Pow10[scale];
            value = negative ? -v : v;
            pos = i < line.Length ? i + 1 : i;
            return true;
        }
        var comma = line[start..].IndexOf((byte)',');
        var end = comma < 0 ? line.Length : start + comma;
        pos = comma < 0 ? line.Length : end + 1;
        return TryParseDouble(line[start..end], out value);
    }

    /// <summary>Parses an integer field ending at the next comma (or the end), moving past the comma.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseLongField(ReadOnlySpan<byte> line, ref int pos, out long value)
    {
        var start = pos;
        var i = pos;
        long v = 0;
        var negative = i < line.Length && line[i] == (byte)'-';
        if (negative) i++;
        var first = i;
        for (; i < line.Length && i - first < 18; i++)
        {
            var d = (uint)(line[i] - (byte)'0');
            if (d > 9) break;
            v = v * 10 + d;
        }
        if (i > first && (i == line.Length || line[i] == (byte)','))
        {
            value = negative ? -v : v;
            pos = i < line.Length ? i + 1 : i;
            return true;
        }
        var comma = line[start..].IndexOf((byte)',');
        var end = comma < 0 ? line.Length : start + comma;
        pos = comma < 0 ? line.Length : end + 1;
        return TryParseLong(line[start..end].Trim((byte)' '), out value);
    }

    /// <summary>Parses a non-negative or negative integer.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParseLong(ReadOnlySpan<byte> s, out long value) =>
        Utf8Parser.TryParse(s, out value, out var consumed) && consumed == s.Length;

    /// <summary>The framework parser for the rare forms; "NaN", "Infinity" and out-of-range values (e.g. 1e400) are not prices and fail.</summary>
    private static bool Slow(ReadOnlySpan<byte> s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
