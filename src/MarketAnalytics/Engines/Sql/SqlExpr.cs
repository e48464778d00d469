using System.Text;

namespace MarketAnalytics.Engines.Sql;

/// <summary>A node of the engine-independent SQL expression tree; rendered per dialect, never from user text.</summary>
/// <remarks>
/// Expressions are built with <see cref="Sql"/> and the operators below. Literals are typed (numbers are finite
/// doubles or integers, strings are escaped by the dialect) and identifiers are validated, so no user input is
/// ever concatenated into SQL text.
/// </remarks>
public abstract class SqlExpr
{
    private protected SqlExpr()
    {
    }

    internal abstract void Render(StringBuilder sb, SqlDialect dialect);

    /// <summary>Columns this expression reads (for staging into common table expressions).</summary>
    internal abstract void CollectColumns(List<SqlColumn> into);

    /// <summary>True when the expression contains a window function.</summary>
    internal abstract bool HasWindow { get; }

    /// <summary>Adds two expressions.</summary>
    public static SqlExpr operator +(SqlExpr a, SqlExpr b) => new SqlBinary("+", a, b);
    /// <summary>Subtracts two expressions.</summary>
    public static SqlExpr operator -(SqlExpr a, SqlExpr b) => new SqlBinary("-", a, b);
    /// <summary>Multiplies two expressions.</summary>
    public static SqlExpr operator *(SqlExpr a, SqlExpr b) => new SqlBinary("*", a, b);
    /// <summary>Negates an expression.</summary>
    public static SqlExpr operator -(SqlExpr a) => new SqlBinary("-", Sql.Num(0), a);
    /// <summary>Adds a number.</summary>
    public static SqlExpr operator +(SqlExpr a, double b) => a + Sql.Num(b);
    /// <summary>Subtracts a number.</summary>
    public static SqlExpr operator -(SqlExpr a, double b) => a - Sql.Num(b);
    /// <summary>Multiplies by a number.</summary>
    public static SqlExpr operator *(SqlExpr a, double b) => a * Sql.Num(b);
    /// <summary>Multiplies a number by an expression.</summary>
    public static SqlExpr operator *(double a, SqlExpr b) => Sql.Num(a) * b;
    /// <summary>Subtracts an expression from a number.</summary>
    public static SqlExpr operator -(double a, SqlExpr b) => Sql.Num(a) - b;

    /// <summary>Renders the expression in <paramref name="dialect"/> (for diagnostics and tests).</summary>
    public string ToSql(SqlDialect dialect)
    {
        var sb = new StringBuilder();
        Render(sb, dialect);
        return sb.ToString();
    }
}

/// <summary>A column of the staged query: a base candle column, the row index, or a derived column.</summary>
public sealed class SqlColumn : SqlExpr
{
    internal SqlColumn(string name, int stage)
    {
        SqlIdentifier.Validate(name, "column name");
        Name = name;
        Stage = stage;
    }

    /// <summary>The column's identifier (validated).</summary>
    public string Name { get; }

    /// <summary>The query stage (common table expression) that defines it; 0 for base columns.</summary>
    internal int Stage { get; }

    internal override bool HasWindow => false;

    internal override void Render(StringBuilder sb, SqlDialect dialect) => sb.Append(dialect.QuoteIdentifier(Name));

    internal override void CollectColumns(List<SqlColumn> into) => into.Add(this);
}

internal sealed class SqlNumber : SqlExpr
{
    public SqlNumber(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "SQL numeric literals must be finite.");
        Value = value;
    }

    public double Value { get; }

    internal override bool HasWindow => false;

    internal override void Render(StringBuilder sb, SqlDialect dialect) => sb.Append(dialect.DoubleLiteral(Value));

    internal override void CollectColumns(List<SqlColumn> into)
    {
    }
}

internal sealed class SqlInteger(long value) : SqlExpr
{
    public long Value { get; } = value;

    internal override bool HasWindow => false;

    internal override void Render(StringBuilder sb, SqlDialect dialect) => sb.Append(dialect.IntegerLiteral(Value));

    internal override void CollectColumns(List<SqlColumn> into)
    {
    }
}

internal sealed class SqlString(string value) : SqlExpr
{
    public string Value { get; } = value ?? throw new ArgumentNullException(nameof(value));

    internal override bool HasWindow => false;

    internal override void Render(StringBuilder sb, SqlDialect dialect) => sb.Append(dialect.StringLiteral(Value));

    internal override void CollectColumns(List<SqlColumn> into)
    {
    }
}

internal sealed class SqlNull : SqlExpr
{
    public static readonly SqlNull Instance = new();

    internal override bool HasWindow => false;

    internal override void Render(StringBuilder sb, SqlDialect dialect) => sb.Append("CAST(NULL AS DOUBLE)");

    internal override void CollectColumns(List<SqlColumn> into)
    {
    }
}

internal sealed class SqlBinary(string op, SqlExpr left, SqlExpr right) : SqlExpr
{
    public string Op { get; } = op;
    public SqlExpr Left { get; } = left;
    public SqlExpr Right { get; } = right;

    internal override bool HasWindow => Left.HasWindow || Right.HasWindow;

    internal override void Render(StringBuilder sb, SqlDialect dialect)
    {
        sb.Append('(');
        Left.Render(sb, dialect);
        sb.Append(' ').Append(Op == "DIV" ? dialect.IntegerDivisionOperator : Op).Append(' ');
        Right.Render(sb, dialect);
        sb.Append(')');
    }

    internal override void CollectColumns(List<SqlColumn> into)
    {
        Left.CollectColumns(into);
        Right.CollectColumns(into);
    }
}

internal sealed class SqlNot(SqlExpr operand) : SqlExpr
{
    internal override bool HasWindow => operand.HasWindow;

    internal override void Render(StringBuilder sb, SqlDialect dialect)
    {
        sb.Append("(NOT ");
        operand.Render(sb, dialect);
        sb.Append(')');
    }

    internal override void CollectColumns(List<SqlColumn> into) => operand.CollectColumns(into);
}

internal sealed class SqlIsNull(SqlExpr operand, bool negate) : SqlExpr
{
    internal override bool HasWindow => operand.HasWindow;

    internal override void Render(StringBuilder sb, SqlDialect dialect)
    {
        sb.Append('(');
        operand.Render(sb, dialect);
        sb.Append(negate ? " IS NOT NULL)" : " IS NULL)");
    }

    internal override void CollectColumns(List<SqlColumn> into) => operand.CollectColumns(into);
}

/// <summary>Scalar functions both dialects support.</summary>
internal enum SqlFunction
{
    Abs,
    Sqrt,
    Ln,
    Power,
    Greatest,
    Least,
    Coalesce,
    CastDouble,
}

internal sealed class SqlCall(SqlFunction function, IReadOnlyList<SqlExpr> args) : SqlExpr
{
    public SqlFunction Function { get; } = function;
    public IReadOnlyList<SqlExpr> Args { get; } = args;

    internal override bool HasWindow => Args.Any(a => a.HasWindow);

    internal override void Render(StringBuilder sb, SqlDialect dialect)
    {
        if (Function == SqlFunction.CastDouble)
        {
            sb.Append("CAST(");
            Args[0].Render(sb, dialect);
            sb.Append(" AS DOUBLE)");
            return;
        }
        sb.Append(dialect.FunctionName(Function)).Append('(');
        for (var i = 0; i < Args.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            Args[i].Render(sb, dialect);
        }
        sb.Append(')');
    }

    internal override void CollectColumns(List<SqlColumn> into)
    {
        foreach (var a in Args) a.CollectColumns(into);
    }
}

internal sealed class SqlCase(IReadOnlyList<(SqlExpr When, SqlExpr Then)> branches, SqlExpr? otherwise) : SqlExpr
{
    internal override bool HasWindow => branches.Any(b => b.When.HasWindow || b.Then.HasWindow) || (otherwise?.HasWindow ?? false);

    internal override void Render(StringBuilder sb, SqlDialect dialect)
    {
        sb.Append("CASE");
        foreach (var (when, then) in branches)
        {
            sb.Append(" WHEN ");
            when.Render(sb, dialect);
            sb.Append(" THEN ");
            then.Render(sb, dialect);
        }
        if (otherwise is not null)
        {
            sb.Append(" ELSE ");
            otherwise.Render(sb, dialect);
        }
        sb.Append(" END");
    }

    internal override void CollectColumns(List<SqlColumn> into)
    {
        foreach (var (when, then) in branches)
        {
            when.CollectColumns(into);
            then.CollectColumns(into);
        }
        otherwise?.CollectColumns(into);
    }
}

/// <summary>Window functions over the per-symbol, time-ordered partition.</summary>
internal enum SqlWindowFunction
{
    Lag,
    Sum,
    Avg,
    Min,
    Max,
    Count,
    FirstValue,
    Median,
    MedianAbsoluteDeviation,
    VarPop,
    VarSamp,
}

/// <summary>A window frame: <c>ROWS</c> over the row index or <c>RANGE</c> over another integer sequence column.</summary>
internal sealed record SqlFrame(long? Preceding, long? Following, SqlColumn? RangeOrder = null)
{
    /// <summary>The whole partition (no ORDER BY, no frame).</summary>
    public static readonly SqlFrame WholePartition = new(null, null);

    /// <summary>From the start of the partition to the current row.</summary>
    public static readonly SqlFrame Cumulative = new(null, 0);

    /// <summary>The last <paramref name="n"/> rows including the current one.</summary>
    public static SqlFrame Last(long n) => new(n - 1, 0);
}

internal sealed class SqlWindow(SqlWindowFunction function, SqlExpr argument, long offset, SqlFrame? frame, SqlExpr? partitionExtra = null) : SqlExpr
{
    public SqlWindowFunction Function { get; } = function;
    public SqlExpr Argument { get; } = argument;
    public long Offset { get; } = offset;
    public SqlFrame? Frame { get; } = frame;

    /// <summary>An extra partition key after the symbol (e.g. the block index of the cumulative closed form).</summary>
    public SqlExpr? PartitionExtra { get; } = partitionExtra;

    internal override bool HasWindow => true;

    internal override void Render(StringBuilder sb, SqlDialect dialect) => dialect.RenderWindow(sb, this);

    internal override void CollectColumns(List<SqlColumn> into)
    {
        Argument.CollectColumns(into);
        PartitionExtra?.CollectColumns(into);
        if (Frame?.RangeOrder is { } order) into.Add(order); // a RANGE frame's order column must come from an earlier stage
    }
}
