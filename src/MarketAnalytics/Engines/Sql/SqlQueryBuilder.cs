using System.Text;

namespace MarketAnalytics.Engines.Sql;

/// <summary>Collects staged column definitions and renders them as a chain of common table expressions.</summary>
/// <remarks>
/// A column defined from others lands one stage after the latest of them, so no window function ever reads a
/// window result of the same SELECT. Stage 0 is the source with the per-symbol row index <c>_rn</c>.
/// </remarks>
internal sealed class SqlQueryBuilder
{
    /// <summary>Truncation weight of the recursive indicators' closed forms.</summary>
    public const double TruncationWeight = 1e-14;

    private readonly List<(SqlColumn Column, SqlExpr Expr)> _definitions = [];
    private readonly Dictionary<string, SqlColumn> _shared = new(StringComparer.Ordinal);
    private int _next;

    public SqlQueryBuilder(bool cumulativeBlocks = false)
    {
        CumulativeBlocks = cumulativeBlocks;
        RowIndex = new SqlColumn(SqlNames.RowIndex, 0);
        Open = Base("open");
        High = Base("high");
        Low = Base("low");
        Close = Base("close");
        Volume = Base("volume");
        QuoteVolume = Base("quote_volume");
        TakerBuyBase = Base("taker_buy_base");
        TakerBuyQuote = Base("taker_buy_quote");
        OpenTime = Base(SqlNames.OpenTime);
    }

    public static readonly string[] BaseColumns =
        [SqlNames.OpenTime, "open", "high", "low", "close", "volume", "close_time", "quote_volume", "trades", "taker_buy_base", "taker_buy_quote"];

    /// <summary>Use per-block cumulative sums (O(1) per row on every engine) instead of sliding frame sums.</summary>
    public bool CumulativeBlocks { get; }

    public SqlColumn RowIndex { get; }
    public SqlColumn Open { get; }
    public SqlColumn High { get; }
    public SqlColumn Low { get; }
    public SqlColumn Close { get; }
    public SqlColumn Volume { get; }
    public SqlColumn QuoteVolume { get; }
    public SqlColumn TakerBuyBase { get; }
    public SqlColumn TakerBuyQuote { get; }
    public SqlColumn OpenTime { get; }

    public int StageCount => _definitions.Count == 0 ? 0 : _definitions.Max(d => d.Column.Stage);

    private static SqlColumn Base(string name) => new(name, 0);

    public SqlIndicatorContext CandleContext(Interval interval) => new(this, Open, High, Low, Close, Volume, QuoteVolume, 0, interval);

    /// <summary>A chained indicator reads its source's output as open/high/low/close and the candles' own volume (as in-process).</summary>
    public SqlIndicatorContext ValueContext(SqlColumn values, int start, Interval interval) => new(this, values, values, values, values, Volume, QuoteVolume, start, interval);

    public SqlColumn Define(SqlExpr expr)
    {
        ArgumentNullException.ThrowIfNull(expr);
        var deps = new List<SqlColumn>();
        expr.CollectColumns(deps);
        var stage = 1 + (deps.Count == 0 ? 0 : deps.Max(d => d.Stage));
        var column = new SqlColumn("_c" + (++_next).ToString(System.Globalization.CultureInfo.InvariantCulture), stage);
        _definitions.Add((column, expr));
        return column;
    }

    /// <summary>Defines a column once per key (e.g. the true range shared by ATR and ADX).</summary>
    public SqlColumn Shared(string key, Func<SqlExpr> factory)
    {
        if (_shared.TryGetValue(key, out var existing)) return existing;
        var column = Define(factory());
        _shared[key] = column;
        return column;
    }

    /// <summary>B such that w^B ≤ <see cref="TruncationWeight"/>; 0 when w is 0.</summary>
    public static int Horizon(double w)
    {
        if (!(w >= 0 && w < 1)) throw new ArgumentOutOfRangeException(nameof(w), w, "The decay factor must be in [0, 1).");
        if (w == 0) return 0;
        var b = (int)Math.Ceiling(Math.Log(TruncationWeight) / Math.Log(w));
        while (Math.Pow(w, b) > TruncationWeight) b++;
        return Math.Max(b, 1);
    }

    /// <summary>
    /// Σ_{j=0}^{B−1} w^j·x[i−j] over the sequence <paramref name="seq"/> (row index when null), computed in O(1) window
    /// sums per row: rows are cut into blocks of B; a row's window holds its own block (weights w^{r−s}) and the tail of the
    /// previous one (weights w^{r+B−s}); the two blocks have opposite parity, so two frame sums separate them and the
    /// factors w^{−s} never exceed w^{−B} ≈ 1e14 (no overflow, no cancellation beyond the value's own).
    /// </summary>
    public SqlExpr ExpSum(SqlColumn x, double w, int b, SqlColumn? seq)
    {
        if (CumulativeBlocks && seq is null) return ExpSumCumulative(x, w, b);
        var order = seq ?? RowIndex;
        // r and p are written inline (not as columns) so the frame sums land in the same window stage as the input's
        // other windows (e.g. the tail LAG): every extra window stage costs DuckDB/Spark a sort of the whole series.
        var r = Sql.Mod(order, Sql.Int(b));
        var p = Sql.Mod(Sql.IntDiv(order, Sql.Int(b)), Sql.Int(2));
        var wNum = Sql.Num(w);
        var scaled = Sql.Coalesce(x, Sql.Num(0)) * Sql.Pow(wNum, Sql.Int(0) - r);
        var even = Sql.If(Sql.Eq(p, Sql.Int(0)), scaled, Sql.Num(0));
        var odd = Sql.If(Sql.Eq(p, Sql.Int(1)), scaled, Sql.Num(0));
        SqlExpr sumEven, sumOdd;
        if (seq is null)
        {
            sumEven = Sql.RollingSum(even, b);
            sumOdd = Sql.RollingSum(odd, b);
        }
        else
        {
            sumEven = Sql.RangeSum(even, seq, b - 1, 0);
            sumOdd = Sql.RangeSum(odd, seq, b - 1, 0);
        }
        var se = Define(sumEven);
        var so = Define(sumOdd);
        var current = Sql.If(Sql.Eq(p, Sql.Int(0)), se, so);
        var previous = Sql.If(Sql.Eq(p, Sql.Int(0)), so, se);
        return Sql.Pow(wNum, r) * current + Sql.Pow(wNum, r + Sql.Int(b)) * previous;
    }

    /// <summary>
    /// Same sum with cumulative windows only: C = running sum of x·w^{−r} inside the row's block (partition symbol, block),
    /// T = that block's total; the row's window is w^r·C[i] + w^{r+B}·(T[i−B] − C[i−B]) (the previous block's rows after
    /// offset r). Spark evaluates cumulative and whole-partition frames in O(1) per row, sliding frames in O(frame).
    /// </summary>
    private SqlExpr ExpSumCumulative(SqlColumn x, double w, int b)
    {
        var r = Sql.Mod(RowIndex, Sql.Int(b));
        var block = Sql.IntDiv(RowIndex, Sql.Int(b));
        var wNum = Sql.Num(w);
        var scaled = Sql.Coalesce(x, Sql.Num(0)) * Sql.Pow(wNum, Sql.Int(0) - r);
        var c = Define(new SqlWindow(SqlWindowFunction.Sum, scaled, 0, SqlFrame.Cumulative, block));
        var t = Define(new SqlWindow(SqlWindowFunction.Sum, scaled, 0, SqlFrame.WholePartition, block));
        var previous = Define(Sql.Lag(t, b) - Sql.Lag(c, b));
        return Sql.Pow(wNum, r) * c + Sql.Pow(wNum, r + Sql.Int(b)) * previous;
    }

    /// <summary>Truncated EMA-type recursion y = (1−α)·y₋₁ + α·x; tail y[i−B] approximated by x[i−B].</summary>
    public (SqlColumn Value, int FirstRow) Ema(SqlColumn x, int xStart, double alpha, int seedRow)
    {
        if (!(alpha > 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in (0, 1].");
        var w = 1 - alpha;
        var b = Horizon(w);
        var first = Math.Max(xStart, seedRow) + b;
        if (b == 0) return (x, first);
        var tail = Define(Sql.Lag(x, b)); // same window stage as the frame sums
        var s = ExpSum(x, w, b, null);
        return (Define(alpha * s + Sql.Num(Math.Pow(w, b)) * tail), first);
    }

    /// <summary>Truncated Wilder running sum y = (1 − 1/n)·y₋₁ + x; tail y[i−B] approximated by n·x[i−B].</summary>
    public (SqlColumn Value, int FirstRow) WilderSum(SqlColumn x, int xStart, int n, int seedRow)
    {
        var w = 1 - 1.0 / n;
        var b = Horizon(w);
        var first = Math.Max(xStart, seedRow) + b;
        if (b == 0) return (x, first);
        var tail = Define(Sql.Lag(x, b));
        var s = ExpSum(x, w, b, null);
        return (Define(s + Sql.Num(Math.Pow(w, b) * n) * tail), first);
    }

    /// <summary>Renders the staged query: source, row index, stages, final projection.</summary>
    public string Render(SqlDialect dialect, string sourceSelect, IReadOnlyList<(string Name, SqlExpr Expr)> outputs, string? where = null, bool orderBy = true)
    {
        var sb = new StringBuilder();
        sb.Append("WITH _src AS (\n  ").Append(sourceSelect).Append("\n),\n");
        sb.Append("_s0 AS (\n  SELECT *, ROW_NUMBER() OVER (PARTITION BY ").Append(dialect.QuoteIdentifier(SqlNames.Symbol))
            .Append(" ORDER BY ").Append(dialect.QuoteIdentifier(SqlNames.OpenTime)).Append(") - 1 AS ")
            .Append(dialect.QuoteIdentifier(SqlNames.RowIndex)).Append("\n  FROM _src\n)");
        var stages = StageCount;
        for (var s = 1; s <= stages; s++)
        {
            sb.Append(",\n_s").Append(s).Append(" AS (\n  SELECT *");
            foreach (var (column, expr) in _definitions)
            {
                if (column.Stage != s) continue;
                sb.Append(",\n    ");
                expr.Render(sb, dialect);
                sb.Append(" AS ").Append(dialect.QuoteIdentifier(column.Name));
            }
            sb.Append("\n  FROM _s").Append(s - 1).Append("\n)");
        }
        sb.Append("\nSELECT ").Append(dialect.QuoteIdentifier(SqlNames.Symbol)).Append(", ").Append(dialect.QuoteIdentifier(SqlNames.OpenTime));
        foreach (var (name, expr) in outputs)
        {
            sb.Append(",\n  ");
            expr.Render(sb, dialect);
            sb.Append(" AS ").Append(dialect.QuoteIdentifier(SqlIdentifier.Validate(name, "output column name")));
        }
        sb.Append("\nFROM _s").Append(stages);
        if (where is not null) sb.Append("\nWHERE ").Append(where);
        if (orderBy) sb.Append("\nORDER BY ").Append(dialect.QuoteIdentifier(SqlNames.Symbol)).Append(", ").Append(dialect.QuoteIdentifier(SqlNames.OpenTime));
        return sb.ToString();
    }
}
