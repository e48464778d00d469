namespace MarketAnalytics.Engines.Sql;

/// <summary>Factory of <see cref="SqlExpr"/> nodes: typed literals, guarded arithmetic, comparisons and window functions.</summary>
/// <remarks>Every window function is partitioned by symbol and ordered by the row index (open-time order).</remarks>
public static class Sql
{
    /// <summary>TA-Lib 0.6 <c>TA_EPSILON</c>: <c>TA_IS_ZERO</c> holds strictly inside (−1e-14, 1e-14).</summary>
    public const double TaLibZero = 0.00000000000001;

    /// <summary>A DOUBLE literal (finite).</summary>
    public static SqlExpr Num(double value) => new SqlNumber(value);

    /// <summary>An integer literal.</summary>
    public static SqlExpr Int(long value) => new SqlInteger(value);

    /// <summary>A string literal; the dialect escapes it.</summary>
    public static SqlExpr Str(string value) => new SqlString(value);

    /// <summary>A typed NULL.</summary>
    public static SqlExpr Null => SqlNull.Instance;

    /// <summary><c>a / b</c>, or <paramref name="whenZero"/> when <c>b = 0</c> (never divides by zero, even in ANSI mode).</summary>
    public static SqlExpr Div(SqlExpr a, SqlExpr b, SqlExpr whenZero) => If(Eq(b, Num(0)), whenZero, new SqlBinary("/", a, b));

    /// <summary><c>a / b</c> for a divisor that is a non-zero constant.</summary>
    public static SqlExpr Div(SqlExpr a, double b)
    {
        if (b == 0 || !double.IsFinite(b)) throw new ArgumentOutOfRangeException(nameof(b), b, "The constant divisor must be finite and non-zero.");
        return new SqlBinary("/", a, Num(b));
    }

    /// <summary><c>a / b</c> where the caller has already guarded <paramref name="b"/> against zero (e.g. inside a CASE branch).</summary>
    public static SqlExpr DivUnchecked(SqlExpr a, SqlExpr b) => new SqlBinary("/", a, b);

    /// <summary>Integer division of integer expressions.</summary>
    public static SqlExpr IntDiv(SqlExpr a, SqlExpr b) => new SqlBinary("DIV", a, b);

    /// <summary>Integer remainder.</summary>
    public static SqlExpr Mod(SqlExpr a, SqlExpr b) => new SqlBinary("%", a, b);

    /// <summary>Absolute value.</summary>
    public static SqlExpr Abs(SqlExpr x) => new SqlCall(SqlFunction.Abs, [x]);

    /// <summary>Square root (callers guard negative input).</summary>
    public static SqlExpr Sqrt(SqlExpr x) => new SqlCall(SqlFunction.Sqrt, [x]);

    /// <summary>Natural logarithm (callers guard non-positive input).</summary>
    public static SqlExpr Ln(SqlExpr x) => new SqlCall(SqlFunction.Ln, [x]);

    /// <summary><c>b^e</c> as DOUBLE.</summary>
    public static SqlExpr Pow(SqlExpr b, SqlExpr e) => new SqlCall(SqlFunction.Power, [b, new SqlCall(SqlFunction.CastDouble, [e])]);

    /// <summary>Largest argument.</summary>
    public static SqlExpr Greatest(params SqlExpr[] args) => new SqlCall(SqlFunction.Greatest, args);

    /// <summary>Smallest argument.</summary>
    public static SqlExpr Least(params SqlExpr[] args) => new SqlCall(SqlFunction.Least, args);

    /// <summary>First non-NULL argument.</summary>
    public static SqlExpr Coalesce(params SqlExpr[] args) => new SqlCall(SqlFunction.Coalesce, args);

    /// <summary>Casts to DOUBLE.</summary>
    public static SqlExpr ToDouble(SqlExpr x) => new SqlCall(SqlFunction.CastDouble, [x]);

    /// <summary><c>a = b</c>.</summary>
    public static SqlExpr Eq(SqlExpr a, SqlExpr b) => new SqlBinary("=", a, b);
    /// <summary><c>a &lt;&gt; b</c>.</summary>
    public static SqlExpr Ne(SqlExpr a, SqlExpr b) => new SqlBinary("<>", a, b);
    /// <summary><c>a &lt; b</c>.</summary>
    public static SqlExpr Lt(SqlExpr a, SqlExpr b) => new SqlBinary("<", a, b);
    /// <summary><c>a &lt;= b</c>.</summary>
    public static SqlExpr Le(SqlExpr a, SqlExpr b) => new SqlBinary("<=", a, b);
    /// <summary><c>a &gt; b</c>.</summary>
    public static SqlExpr Gt(SqlExpr a, SqlExpr b) => new SqlBinary(">", a, b);
    /// <summary><c>a &gt;= b</c>.</summary>
    public static SqlExpr Ge(SqlExpr a, SqlExpr b) => new SqlBinary(">=", a, b);
    /// <summary>Logical AND.</summary>
    public static SqlExpr And(SqlExpr a, SqlExpr b) => new SqlBinary("AND", a, b);
    /// <summary>Logical OR.</summary>
    public static SqlExpr Or(SqlExpr a, SqlExpr b) => new SqlBinary("OR", a, b);
    /// <summary>Logical NOT.</summary>
    public static SqlExpr Not(SqlExpr a) => new SqlNot(a);
    /// <summary><c>x IS NULL</c>.</summary>
    public static SqlExpr IsNull(SqlExpr x) => new SqlIsNull(x, false);
    /// <summary><c>x IS NOT NULL</c>.</summary>
    public static SqlExpr IsNotNull(SqlExpr x) => new SqlIsNull(x, true);

    /// <summary>TA-Lib.s <c>TA_IS_ZERO(x)</c>: −1e-14 &lt; x &lt; 1e-14.</summary>
    public static SqlExpr IsTaLibZero(SqlExpr x) => And(Gt(x, Num(-TaLibZero)), Lt(x, Num(TaLibZero)));

    /// <summary><c>CASE WHEN condition THEN then ELSE otherwise END</c> (otherwise NULL when omitted).</summary>
    public static SqlExpr If(SqlExpr condition, SqlExpr then, SqlExpr? otherwise = null) => new SqlCase([(condition, then)], otherwise);

    /// <summary>A searched CASE with several branches.</summary>
    public static SqlExpr Case(IReadOnlyList<(SqlExpr When, SqlExpr Then)> branches, SqlExpr? otherwise = null) => new SqlCase(branches, otherwise);

    /// <summary>The value <paramref name="k"/> rows earlier (NULL before the partition start).</summary>
    public static SqlExpr Lag(SqlExpr x, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        return k == 0 ? x : new SqlWindow(SqlWindowFunction.Lag, x, k, null);
    }

    /// <summary>Sum over the last <paramref name="n"/> rows (current included).</summary>
    public static SqlExpr RollingSum(SqlExpr x, int n) => Rolling(SqlWindowFunction.Sum, x, n);
    /// <summary>Mean over the last <paramref name="n"/> rows.</summary>
    public static SqlExpr RollingAvg(SqlExpr x, int n) => Rolling(SqlWindowFunction.Avg, x, n);
    /// <summary>Minimum over the last <paramref name="n"/> rows.</summary>
    public static SqlExpr RollingMin(SqlExpr x, int n) => Rolling(SqlWindowFunction.Min, x, n);
    /// <summary>Maximum over the last <paramref name="n"/> rows.</summary>
    public static SqlExpr RollingMax(SqlExpr x, int n) => Rolling(SqlWindowFunction.Max, x, n);
    /// <summary>Population variance over the last <paramref name="n"/> rows.</summary>
    public static SqlExpr RollingVarPop(SqlExpr x, int n) => Rolling(SqlWindowFunction.VarPop, x, n);
    /// <summary>Sample variance over the last <paramref name="n"/> rows.</summary>
    public static SqlExpr RollingVarSamp(SqlExpr x, int n) => Rolling(SqlWindowFunction.VarSamp, x, n);
    /// <summary>Median over the rows from <paramref name="fromLag"/> to <paramref name="toLag"/> rows back (inclusive).</summary>
    public static SqlExpr RollingMedian(SqlExpr x, int fromLag, int toLag) => new SqlWindow(SqlWindowFunction.Median, x, 0, new SqlFrame(fromLag, -toLag));
    /// <summary>Median absolute deviation (from the window's own median) over rows <paramref name="fromLag"/>..<paramref name="toLag"/> back.</summary>
    public static SqlExpr RollingMad(SqlExpr x, int fromLag, int toLag) => new SqlWindow(SqlWindowFunction.MedianAbsoluteDeviation, x, 0, new SqlFrame(fromLag, -toLag));
    /// <summary>Sum from the start of the partition to the current row.</summary>
    public static SqlExpr CumulativeSum(SqlExpr x) => new SqlWindow(SqlWindowFunction.Sum, x, 0, SqlFrame.Cumulative);
    /// <summary>Count of non-NULL values from the start of the partition to the current row.</summary>
    public static SqlExpr CumulativeCount(SqlExpr x) => new SqlWindow(SqlWindowFunction.Count, x, 0, SqlFrame.Cumulative);
    /// <summary>First value of the partition.</summary>
    public static SqlExpr FirstValue(SqlExpr x) => new SqlWindow(SqlWindowFunction.FirstValue, x, 0, SqlFrame.Cumulative);

    internal static SqlExpr Rolling(SqlWindowFunction f, SqlExpr x, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        return new SqlWindow(f, x, 0, SqlFrame.Last(n));
    }

    internal static SqlExpr RangeSum(SqlExpr x, SqlColumn order, long preceding, long following) =>
        new SqlWindow(SqlWindowFunction.Sum, x, 0, new SqlFrame(preceding, following, order));
}
