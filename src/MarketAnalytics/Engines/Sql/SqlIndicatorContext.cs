namespace MarketAnalytics.Engines.Sql;

/// <summary>An indicator that can run on the SQL engines (DuckDB, Spark); implement it beside <see cref="IIndicator"/>.</summary>
/// <remarks>
/// A custom indicator without this interface still works in-process; the SQL engines then reject the plan with a
/// message naming it. Build the outputs from the context's input columns with <see cref="Sql"/>
/// (no raw SQL text), one per <see cref="IIndicator.Outputs"/> entry, in the same order.
/// </remarks>
public interface ISqlIndicator
{
    /// <summary>Builds the SQL form of every output.</summary>
    IReadOnlyList<SqlIndicatorOutput> BuildSql(SqlIndicatorContext context);
}

/// <summary>One output column of an indicator in SQL form.</summary>
/// <param name="Value">The expression (may reference columns defined through the context).</param>
/// <param name="FirstRow">0-based index of the first row where the value is defined; rows before it are NULL.</param>
public sealed record SqlIndicatorOutput(SqlExpr Value, int FirstRow);

/// <summary>What a SQL indicator builds on: the input columns, the rows where they are defined, and helpers that stage derived columns.</summary>
public sealed class SqlIndicatorContext
{
    private readonly SqlQueryBuilder _builder;

    internal SqlIndicatorContext(SqlQueryBuilder builder, SqlColumn open, SqlColumn high, SqlColumn low, SqlColumn close, SqlColumn volume, SqlColumn quoteVolume, int inputStart, Interval interval)
    {
        _builder = builder;
        Interval = interval;
        Open = open;
        High = high;
        Low = low;
        Close = close;
        Volume = volume;
        QuoteVolume = quoteVolume;
        InputStart = inputStart;
    }

    internal SqlQueryBuilder Builder => _builder;

    /// <summary>Open prices (or the source values of a chained indicator).</summary>
    public SqlColumn Open { get; }
    /// <summary>High prices (or the source values).</summary>
    public SqlColumn High { get; }
    /// <summary>Low prices (or the source values).</summary>
    public SqlColumn Low { get; }
    /// <summary>Close prices (or the source values).</summary>
    public SqlColumn Close { get; }
    /// <summary>Base volumes (or the source values).</summary>
    public SqlColumn Volume { get; }
    /// <summary>Quote volumes (or the source values).</summary>
    public SqlColumn QuoteVolume { get; }

    /// <summary>The candle interval (e.g. for annualising).</summary>
    public Interval Interval { get; }

    /// <summary>0-based index of the first row where the inputs are defined (0 for candles; later for chained input).</summary>
    public int InputStart { get; }

    /// <summary>The 0-based row index within the symbol's series.</summary>
    public SqlColumn RowIndex => _builder.RowIndex;

    /// <summary>Defines a derived column (placed in the first query stage where its inputs exist).</summary>
    public SqlColumn Define(SqlExpr expression) => _builder.Define(expression);

    /// <summary>
    /// Truncated closed form of the exponential recursion <c>y[i] = (1 − alpha)·y[i−1] + alpha·x[i]</c>, exact to a
    /// truncation weight (1 − alpha)^B ≤ 1e-14, where B is <see cref="Horizon"/>(alpha).
    /// </summary>
    /// <param name="x">Input column.</param>
    /// <param name="xStart">First row where <paramref name="x"/> is defined.</param>
    /// <param name="alpha">Smoothing factor in (0, 1].</param>
    /// <param name="seedRow">First row where the exact recursion has a value (its seed).</param>
    /// <returns>The smoothed column and its first defined row <c>max(xStart, seedRow) + B</c>.</returns>
    public (SqlColumn Value, int FirstRow) Ema(SqlColumn x, int xStart, double alpha, int seedRow) => _builder.Ema(x, xStart, alpha, seedRow);

    /// <summary>Number of rows B after which the truncated form of a recursion with factor <paramref name="alpha"/> is used.</summary>
    public static int Horizon(double alpha) => SqlQueryBuilder.Horizon(1 - alpha);
}
