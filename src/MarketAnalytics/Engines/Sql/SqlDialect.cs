using System.Globalization;
using System.Text;

namespace MarketAnalytics.Engines.Sql;

/// <summary>Validation of identifiers that reach SQL text (column and table names).</summary>
internal static class SqlIdentifier
{
    /// <summary>Longest identifier accepted.</summary>
    public const int MaxLength = 128;

    /// <summary>Accepts lower/upper ASCII letters, digits, '_', '.', '-' (indicator parameters such as 2.5 or -1 appear in column names); first character a letter or '_'.</summary>
    public static string Validate(string? name, string what)
    {
        var problem = Check(name);
        if (problem is not null) throw new UnsafeSqlInputException(what, name, problem);
        return name!;
    }

    public static string? Check(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "it is empty";
        if (name.Length > MaxLength) return $"it is longer than {MaxLength} characters";
        if (!(char.IsAsciiLetter(name[0]) || name[0] == '_')) return "it must start with an ASCII letter or '_'";
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-') continue;
            return char.IsControl(c) ? $"control character U+{(int)c:X4}" : $"character '{c}' is not allowed";
        }
        return null;
    }
}

/// <summary>A SQL dialect: how identifiers, literals, functions, windows and sources are written.</summary>
public abstract class SqlDialect
{
    private protected SqlDialect()
    {
    }

    /// <summary>DuckDB (embedded; reads the Parquet lake with <c>read_parquet</c>).</summary>
    public static SqlDialect DuckDb { get; } = new DuckDbDialect();

    /// <summary>Apache Spark SQL (3.5 / 4.x; reads the lake with <c>parquet.`path`</c>).</summary>
    public static SqlDialect Spark { get; } = new SparkDialect();

    /// <summary>
    /// True when sliding-frame sums cost O(frame) per row in this engine (Spark recomputes a sliding SUM frame), so the
    /// truncated recursions use per-block cumulative sums (O(1) per row) instead of sliding frame sums.
    /// </summary>
    internal abstract bool PrefersCumulativeBlocks { get; }

    /// <summary>Short name: <c>duckdb</c> or <c>spark</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Finds a dialect by name (case-insensitive).</summary>
    /// <exception cref="InvalidSpecException">Unknown name.</exception>
    public static SqlDialect Parse(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "duckdb" => DuckDb,
        "spark" => Spark,
        _ => throw new InvalidSpecException(name ?? "<null>", "unknown SQL dialect; valid dialects: duckdb, spark"),
    };

    /// <summary>Quotes a validated identifier.</summary>
    public abstract string QuoteIdentifier(string name);

    /// <summary>Writes a string literal with every special character escaped.</summary>
    /// <exception cref="UnsafeSqlInputException">The text holds control characters, which no path or symbol needs.</exception>
    public abstract string StringLiteral(string value);

    internal abstract string IntegerDivisionOperator { get; }

    internal abstract string FunctionName(SqlFunction function);

    /// <summary>Writes a finite double so that both engines parse it as DOUBLE (never DECIMAL) with the same bits.</summary>
    public string DoubleLiteral(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "Only finite numbers can be SQL literals.");
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        if (!text.Contains('E', StringComparison.Ordinal)) text += "E0";
        return value < 0 || (value == 0 && double.IsNegative(value)) ? "(" + text + ")" : text;
    }

    /// <summary>Writes an integer literal.</summary>
    public string IntegerLiteral(long value) =>
        value < 0 ? "(" + value.ToString(CultureInfo.InvariantCulture) + ")" : value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The relation that reads the lake's klines under <paramref name="lakeRoot"/>, with partition columns.</summary>
    internal abstract string LakeKlinesRelation(string lakeRoot);

    internal abstract void RenderWindowFunctionCall(StringBuilder sb, SqlWindow window);

    internal void RenderWindow(StringBuilder sb, SqlWindow window)
    {
        RenderWindowFunctionCall(sb, window);
        sb.Append(" OVER (PARTITION BY ").Append(QuoteIdentifier(SqlNames.Symbol));
        if (window.PartitionExtra is not null)
        {
            sb.Append(", ");
            window.PartitionExtra.Render(sb, this);
        }
        var frame = window.Frame;
        if (ReferenceEquals(frame, SqlFrame.WholePartition))
        {
            sb.Append(')');
            return;
        }
        sb.Append(" ORDER BY ");
        sb.Append(QuoteIdentifier(frame?.RangeOrder?.Name ?? SqlNames.RowIndex));
        if (frame is not null)
        {
            sb.Append(frame.RangeOrder is null ? " ROWS BETWEEN " : " RANGE BETWEEN ");
            sb.Append(frame.Preceding is { } p ? (p >= 0 ? $"{p.ToString(CultureInfo.InvariantCulture)} PRECEDING" : $"{(-p).ToString(CultureInfo.InvariantCulture)} FOLLOWING") : "UNBOUNDED PRECEDING");
            sb.Append(" AND ");
            sb.Append(frame.Following switch
            {
                null => "UNBOUNDED FOLLOWING",
                0 => "CURRENT ROW",
                > 0 and long f => $"{f.ToString(CultureInfo.InvariantCulture)} FOLLOWING",
                long f => $"{(-f).ToString(CultureInfo.InvariantCulture)} PRECEDING",
            });
        }
        sb.Append(')');
    }

    private protected static void RejectControl(string value, string what)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c)) throw new UnsafeSqlInputException(what, value, $"control character U+{(int)c:X4}");
        }
    }

    private protected static string CommonWindowName(SqlWindowFunction f) => f switch
    {
        SqlWindowFunction.Lag => "lag",
        SqlWindowFunction.Sum => "sum",
        SqlWindowFunction.Avg => "avg",
        SqlWindowFunction.Min => "min",
        SqlWindowFunction.Max => "max",
        SqlWindowFunction.Count => "count",
        SqlWindowFunction.FirstValue => "first_value",
        SqlWindowFunction.VarPop => "var_pop",
        SqlWindowFunction.VarSamp => "var_samp",
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, null),
    };

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>Names of the columns every compiled query carries.</summary>
internal static class SqlNames
{
    public const string Symbol = "symbol";
    public const string OpenTime = "open_time";
    public const string RowIndex = "_rn";
}

internal sealed class DuckDbDialect : SqlDialect
{
    public override string Name => "duckdb";

    internal override bool PrefersCumulativeBlocks => false;

    public override string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public override string StringLiteral(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        RejectControl(value, "string literal");
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    internal override string IntegerDivisionOperator => "//";

    internal override string FunctionName(SqlFunction function) => function switch
    {
        SqlFunction.Abs => "abs",
        SqlFunction.Sqrt => "sqrt",
        SqlFunction.Ln => "ln",
        SqlFunction.Power => "power",
        SqlFunction.Greatest => "greatest",
        SqlFunction.Least => "least",
        SqlFunction.Coalesce => "coalesce",
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, null),
    };

    internal override string LakeKlinesRelation(string lakeRoot)
    {
        var glob = lakeRoot.TrimEnd('/') + "/klines/exchange=binance/symbol=*/interval=*/year=*/month=*/*.parquet";
        return $"read_parquet({StringLiteral(glob)}, hive_partitioning = true, hive_types = {{'exchange': VARCHAR, 'symbol': VARCHAR, 'interval': VARCHAR, 'year': INTEGER, 'month': INTEGER}})";
    }

    internal override void RenderWindowFunctionCall(StringBuilder sb, SqlWindow window)
    {
        var name = window.Function switch
        {
            SqlWindowFunction.Median => "median",
            SqlWindowFunction.MedianAbsoluteDeviation => "mad",
            var f => CommonWindowName(f),
        };
        sb.Append(name).Append('(');
        window.Argument.Render(sb, this);
        if (window.Function == SqlWindowFunction.Lag) sb.Append(", ").Append(IntegerLiteral(window.Offset));
        sb.Append(')');
    }
}

internal sealed class SparkDialect : SqlDialect
{
    public override string Name => "spark";

    internal override bool PrefersCumulativeBlocks => true;

    public override string QuoteIdentifier(string name) => "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";

    public override string StringLiteral(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        RejectControl(value, "string literal");
        // Spark unescapes backslash sequences inside literals (spark.sql.parser.escapedStringLiterals=false, the default).
        return "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
    }

    internal override string IntegerDivisionOperator => "DIV";

    internal override string FunctionName(SqlFunction function) => function switch
    {
        SqlFunction.Abs => "abs",
        SqlFunction.Sqrt => "sqrt",
        SqlFunction.Ln => "ln",
        SqlFunction.Power => "power",
        SqlFunction.Greatest => "greatest",
        SqlFunction.Least => "least",
        SqlFunction.Coalesce => "coalesce",
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, null),
    };

    internal override string LakeKlinesRelation(string lakeRoot)
    {
        RejectControl(lakeRoot, "lake path");
        var path = lakeRoot.TrimEnd('/') + "/klines/exchange=binance";
        // parquet.`path` with partition discovery below exchange=binance: symbol, interval, year, month columns.
        return "parquet." + QuoteIdentifier(path);
    }

    internal override void RenderWindowFunctionCall(StringBuilder sb, SqlWindow window)
    {
        switch (window.Function)
        {
            case SqlWindowFunction.Median:
                sb.Append("percentile(");
                window.Argument.Render(sb, this);
                sb.Append(", 0.5D)");
                return;
            case SqlWindowFunction.MedianAbsoluteDeviation:
                throw new InvalidOperationException("MAD is rendered by the compiler through an array stage in Spark.");
            default:
                sb.Append(CommonWindowName(window.Function)).Append('(');
                window.Argument.Render(sb, this);
                if (window.Function == SqlWindowFunction.Lag) sb.Append(", ").Append(IntegerLiteral(window.Offset));
                sb.Append(')');
                return;
        }
    }
}

/// <summary>Input that cannot be put into SQL safely (an identifier or literal with forbidden characters).</summary>
public sealed class UnsafeSqlInputException : MarketAnalyticsException
{
    /// <summary>Creates the exception naming the field, the rejected value and why.</summary>
    public UnsafeSqlInputException(string field, string? value, string problem)
        : base($"Refusing to put {field} '{InvalidSymbolExceptionPrintable(value)}' into SQL: {problem}.")
    {
        Field = field;
        Problem = problem;
    }

    /// <summary>Which input was rejected (e.g. <c>column name</c>, <c>lake path</c>).</summary>
    public string Field { get; }

    /// <summary>Why.</summary>
    public string Problem { get; }

    private static string InvalidSymbolExceptionPrintable(string? s)
    {
        if (s is null) return "<null>";
        var clipped = s.Length > 60 ? s[..60] + "..." : s;
        var sb = new StringBuilder(clipped.Length);
        foreach (var c in clipped) sb.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        return sb.ToString();
    }
}

/// <summary>A plan that a SQL engine cannot run, e.g. a custom indicator without a SQL form.</summary>
public sealed class SqlNotSupportedException : MarketAnalyticsException
{
    /// <summary>Creates the exception naming the analyzer.</summary>
    public SqlNotSupportedException(string analyzer, string reason)
        : base($"'{analyzer}' cannot run on a SQL engine: {reason}")
    {
        Analyzer = analyzer;
    }

    /// <summary>The indicator or detector that has no SQL form.</summary>
    public string Analyzer { get; }
}

/// <summary>A SQL engine rejected or failed a query; carries the engine's own error text.</summary>
public class SqlEngineException : MarketAnalyticsException
{
    /// <summary>Creates the exception.</summary>
    public SqlEngineException(string engine, string message, Exception? inner = null) : base($"{engine}: {message}", inner)
    {
        Engine = engine;
    }

    /// <summary>The engine (<c>duckdb</c>, <c>spark</c>).</summary>
    public string Engine { get; }
}
