using System.Globalization;
using System.Text;

namespace MarketAnalytics;

/// <summary>A parsed indicator specification such as <c>macd(12,26,9)</c> or the chained <c>sma(rsi(14),5)</c>.</summary>
/// <remarks>
/// Grammar: <c>name [ "(" [source ","] number ("," number)* ")" ]</c> where <c>source</c> is another spec,
/// optionally with an output selector (<c>macd(12,26,9).signal</c>). Parameters left out take their defaults.
/// </remarks>
/// <param name="Name">Lower-case indicator name.</param>
/// <param name="Parameters">Numeric parameters as written (may be fewer than the indicator takes).</param>
/// <param name="Source">Source spec for a chained indicator, or null to read candles.</param>
/// <param name="SourceOutput">Output of the source to read (null: its first output).</param>
public sealed record IndicatorSpec(string Name, IReadOnlyList<double> Parameters, IndicatorSpec? Source = null, string? SourceOutput = null)
{
    /// <summary>Parses a comma-separated list of specs (commas inside parentheses belong to a spec).</summary>
    public static IReadOnlyList<IndicatorSpec> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<IndicatorSpec>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || (text[i] == ',' && depth == 0))
            {
                var part = text[start..i].Trim();
                if (part.Length == 0) throw new InvalidSpecException(text, $"empty entry at position {start}");
                result.Add(Parse(part));
                start = i + 1;
            }
            else if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
        }
        return result;
    }

    /// <summary>Parses one spec.</summary>
    public static IndicatorSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pos = 0;
        var spec = ParseSpec(text, ref pos);
        SkipSpace(text, ref pos);
        if (pos != text.Length) throw new InvalidSpecException(text, $"unexpected '{text[pos]}' at position {pos}");
        return spec;
    }

    private static IndicatorSpec ParseSpec(string text, ref int pos)
    {
        SkipSpace(text, ref pos);
        var name = ReadName(text, ref pos);
        if (name.Length == 0) throw new InvalidSpecException(text, $"expected an indicator name at position {pos}");
        SkipSpace(text, ref pos);
        var parameters = new List<double>();
        IndicatorSpec? source = null;
        string? sourceOutput = null;
        if (pos < text.Length && text[pos] == '(')
        {
            pos++;
            SkipSpace(text, ref pos);
            var first = true;
            while (pos < text.Length && text[pos] != ')')
            {
                if (first && pos < text.Length && char.IsAsciiLetter(text[pos]))
                {
                    source = ParseSpec(text, ref pos);
                    SkipSpace(text, ref pos);
                    if (pos < text.Length && text[pos] == '.')
                    {
                        pos++;
                        sourceOutput = ReadName(text, ref pos);
                        if (sourceOutput.Length == 0) throw new InvalidSpecException(text, $"expected an output name after '.' at position {pos}");
                    }
                }
                else
                {
                    parameters.Add(ReadNumber(text, ref pos));
                }
                first = false;
                SkipSpace(text, ref pos);
                if (pos < text.Length && text[pos] == ',') { pos++; SkipSpace(text, ref pos); continue; }
                if (pos >= text.Length || text[pos] != ')') throw new InvalidSpecException(text, $"expected ',' or ')' at position {pos}");
            }
            if (pos >= text.Length) throw new InvalidSpecException(text, "missing ')'");
            pos++;
        }
        return new IndicatorSpec(name, parameters, source, sourceOutput);
    }

    private static string ReadName(string text, ref int pos)
    {
        var start = pos;
        while (pos < text.Length && (char.IsAsciiLetterOrDigit(text[pos]) || text[pos] == '_')) pos++;
        return text[start..pos].ToLowerInvariant();
    }

    private static double ReadNumber(string text, ref int pos)
    {
        var start = pos;
        while (pos < text.Length && (char.IsAsciiDigit(text[pos]) || text[pos] is '.' or '-' or '+' or 'e' or 'E')) pos++;
        var token = text[start..pos];
        if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw new InvalidSpecException(text, $"'{(token.Length == 0 && pos < text.Length ? text[pos].ToString() : token)}' at position {start} is not a number");
        return value;
    }

    private static void SkipSpace(string text, ref int pos)
    {
        while (pos < text.Length && char.IsWhiteSpace(text[pos])) pos++;
    }

    /// <summary>Formats a parameter the way column names and specs show it: invariant culture, shortest round-trip, no trailing zeros.</summary>
    public static string FormatNumber(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The canonical column-name stem for fully defaulted parameters, e.g. <c>bbands_20_2_2</c> or <c>sma_rsi_14_5</c>.</summary>
    public static string ColumnStem(string name, IReadOnlyList<double> parameters, string? sourceStem = null)
    {
        var sb = new StringBuilder(name);
        if (sourceStem is not null) sb.Append('_').Append(sourceStem);
        foreach (var p in parameters) sb.Append('_').Append(FormatNumber(p));
        return sb.ToString();
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var args = new List<string>();
        if (Source is not null) args.Add(SourceOutput is null ? Source.ToString() : $"{Source}.{SourceOutput}");
        args.AddRange(Parameters.Select(FormatNumber));
        return args.Count == 0 ? Name : $"{Name}({string.Join(',', args)})";
    }
}
