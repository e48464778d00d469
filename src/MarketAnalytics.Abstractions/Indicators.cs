namespace MarketAnalytics;

/// <summary>The price and volume columns an indicator reads, all of one length.</summary>
/// <remarks>Single-input indicators read <see cref="Close"/>; a chained indicator receives its source's output there.</remarks>
public readonly ref struct IndicatorInput
{
    /// <summary>Creates an input over columns of equal length.</summary>
    public IndicatorInput(ReadOnlySpan<double> open, ReadOnlySpan<double> high, ReadOnlySpan<double> low,
        ReadOnlySpan<double> close, ReadOnlySpan<double> volume, ReadOnlySpan<double> quoteVolume = default)
    {
        var n = close.Length;
        if (open.Length != n || high.Length != n || low.Length != n || volume.Length != n || (quoteVolume.Length != 0 && quoteVolume.Length != n))
            throw new ArgumentException($"All input columns must have the same length as close ({n}).");
        Open = open;
        High = high;
        Low = low;
        Close = close;
        Volume = volume;
        QuoteVolume = quoteVolume;
    }

    /// <summary>An input over a single value column (used by single-input indicators and chaining).</summary>
    public static IndicatorInput FromValues(ReadOnlySpan<double> values) => new(values, values, values, values, values);

    /// <summary>An input over the columns of a series.</summary>
    public static IndicatorInput FromSeries(CandleSeries series) =>
        new(series.Open, series.High, series.Low, series.Close, series.Volume, series.QuoteVolume) { Interval = series.Interval };

    /// <summary>The candle interval of the rows, when known (needed by indicators that annualise, e.g. realized volatility).</summary>
    public Interval? Interval { get; init; }

    /// <summary>Open prices.</summary>
    public ReadOnlySpan<double> Open { get; }
    /// <summary>High prices.</summary>
    public ReadOnlySpan<double> High { get; }
    /// <summary>Low prices.</summary>
    public ReadOnlySpan<double> Low { get; }
    /// <summary>Close prices (or the source values of a chained indicator).</summary>
    public ReadOnlySpan<double> Close { get; }
    /// <summary>Base volumes.</summary>
    public ReadOnlySpan<double> Volume { get; }
    /// <summary>Quote volumes; empty when the source lacks them.</summary>
    public ReadOnlySpan<double> QuoteVolume { get; }
    /// <summary>Number of rows.</summary>
    public int Length => Close.Length;
}

/// <summary>A technical indicator with fixed parameters: batch kernel plus streaming form.</summary>
/// <remarks>
/// Batch output is output-major: output <c>k</c> occupies <c>outputs[k*n .. (k+1)*n)</c>, NaN where undefined.
/// The first defined index of every output is <see cref="Lookback"/> (TA-Lib's lookback) for inputs free of NaN.
/// </remarks>
public interface IIndicator : IAnalyzer
{
    /// <summary>Output names; a single-output indicator has one (its name is not appended to the column).</summary>
    IReadOnlyList<string> Outputs { get; }

    /// <summary>Column names in CSV/SQL form, e.g. <c>macd_12_26_9_macd</c>; one per output.</summary>
    IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Number of leading rows without a value (TA-Lib's lookback).</summary>
    int Lookback { get; }

    /// <summary>Computes every output over <paramref name="input"/> into <paramref name="outputs"/> (length <c>Outputs.Count * input.Length</c>).</summary>
    void Compute(scoped in IndicatorInput input, Span<double> outputs);

    /// <summary>Creates O(1)-per-update streaming state that reproduces <see cref="Compute"/> exactly.</summary>
    IIndicatorStream CreateStream();
}

/// <summary>Streaming state of an indicator.</summary>
/// <remarks>
/// Calling <see cref="Update"/> again with the same open time as the previous call revises that (still-open)
/// candle: the state is rolled back to before it and recomputed. A later open time commits the previous candle.
/// </remarks>
public interface IIndicatorStream
{
    /// <summary>Number of outputs written by <see cref="Update"/>.</summary>
    int OutputCount { get; }

    /// <summary>Feeds a candle (new or a revision of the last one) and writes the current outputs (NaN during warm-up).</summary>
    void Update(in Candle candle, Span<double> outputs);

    /// <summary>Forgets everything.</summary>
    void Reset();
}

/// <summary>Describes an indicator family (e.g. <c>sma</c>) and creates instances from parameters; what users register.</summary>
public interface IIndicatorDefinition
{
    /// <summary>Lower-case name used in specs, e.g. <c>sma</c>.</summary>
    string Name { get; }

    /// <summary>One-line description for help texts.</summary>
    string Description { get; }

    /// <summary>Parameters in positional order with defaults.</summary>
    IReadOnlyList<IndicatorParameter> Parameters { get; }

    /// <summary>Creates an instance; <paramref name="parameters"/> has one value per <see cref="Parameters"/> entry, already defaulted.</summary>
    /// <exception cref="InvalidSpecException">A parameter is out of range.</exception>
    IIndicator Create(IReadOnlyList<double> parameters);
}

/// <summary>A positional indicator parameter.</summary>
/// <param name="Name">Name, e.g. <c>period</c>.</param>
/// <param name="Default">Default value.</param>
/// <param name="Min">Smallest allowed value.</param>
/// <param name="Max">Largest allowed value.</param>
/// <param name="IsInteger">True when only whole numbers are allowed.</param>
public sealed record IndicatorParameter(string Name, double Default, double Min, double Max, bool IsInteger = true);
