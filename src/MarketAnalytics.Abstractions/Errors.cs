namespace MarketAnalytics;

/// <summary>Base class of every error MarketAnalytics raises on purpose.</summary>
public class MarketAnalyticsException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public MarketAnalyticsException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public MarketAnalyticsException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>A symbol that is not 1–20 upper-case ASCII letters or digits.</summary>
public sealed class InvalidSymbolException : MarketAnalyticsException
{
    /// <summary>Creates the exception for the rejected input.</summary>
    public InvalidSymbolException(string? input, string reason)
        : base($"Invalid symbol '{Printable(input)}': {reason}. A symbol is 1-20 upper-case letters A-Z or digits 0-9, e.g. BTCUSDT.")
    {
        Input = input;
    }

    /// <summary>The text that was rejected.</summary>
    public string? Input { get; }

    internal static string Printable(string? s)
    {
        if (s is null) return "<null>";
        var clipped = s.Length > 40 ? s[..40] + "..." : s;
        return string.Concat(clipped.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}

/// <summary>An interval name Binance does not define.</summary>
public sealed class InvalidIntervalException : MarketAnalyticsException
{
    /// <summary>Creates the exception for the rejected input.</summary>
    public InvalidIntervalException(string? input)
        : base($"Invalid interval '{InvalidSymbolException.Printable(input)}'. Valid intervals (case-sensitive): {string.Join(' ', Interval.All.Select(i => i.Name))}.")
    {
        Input = input;
    }

    /// <summary>The text that was rejected.</summary>
    public string? Input { get; }
}

/// <summary>Input data that cannot be read: names the source, the position and what is wrong.</summary>
public sealed class MalformedDataException : MarketAnalyticsException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">File name or other description of the input.</param>
    /// <param name="position">1-based line (CSV) or 0-based element index (JSON); 0 when not applicable.</param>
    /// <param name="problem">What is wrong, in one sentence.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public MalformedDataException(string source, long position, string problem, Exception? inner = null)
        : base($"{source}{(position > 0 ? $": line/element {position}" : string.Empty)}: {problem}", inner)
    {
        Source = source;
        Position = position;
        Problem = problem;
    }

    /// <summary>File name or description of the input.</summary>
    public new string Source { get; }

    /// <summary>1-based line (CSV) or element index (JSON) where the problem is; 0 when unknown.</summary>
    public long Position { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}

/// <summary>A downloaded or local archive whose SHA-256 does not match its published checksum.</summary>
public sealed class ChecksumMismatchException : MarketAnalyticsException
{
    /// <summary>Creates the exception.</summary>
    public ChecksumMismatchException(string file, string expected, string actual)
        : base($"{file}: SHA-256 mismatch (expected {expected}, computed {actual}); the file is corrupt or incomplete and was not used.")
    {
        File = file;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The file that failed verification.</summary>
    public string File { get; }

    /// <summary>The checksum published beside the file.</summary>
    public string Expected { get; }

    /// <summary>The checksum computed from the file's bytes.</summary>
    public string Actual { get; }
}

/// <summary>An indicator or detector specification that names an unknown analyzer or carries bad parameters.</summary>
public sealed class InvalidSpecException : MarketAnalyticsException
{
    /// <summary>Creates the exception.</summary>
    public InvalidSpecException(string spec, string problem) : base($"Invalid spec '{spec}': {problem}")
    {
        Spec = spec;
        Problem = problem;
    }

    /// <summary>The specification text that was rejected.</summary>
    public string Spec { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
