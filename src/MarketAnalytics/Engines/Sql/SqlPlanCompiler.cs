using System.Text;
using MarketAnalytics.Indicators;

namespace MarketAnalytics.Engines.Sql;

/// <summary>Which candles of the lake an analysis reads: symbols, interval and an optional half-open time range.</summary>
/// <param name="Symbols">Validated symbols (at least one).</param>
/// <param name="Interval">The candle interval.</param>
/// <param name="From">First open time included (Unix ms), or null for the beginning.</param>
/// <param name="To">First open time excluded (Unix ms), or null for the end.</param>
public sealed record LakeSelection(IReadOnlyList<SymbolId> Symbols, Interval Interval, long? From = null, long? To = null);

/// <summary>Where a compiled query reads candles from.</summary>
public abstract class SqlSource
{
    private protected SqlSource(Interval interval) => Interval = interval;

    /// <summary>The candle interval of the source.</summary>
    public Interval Interval { get; }

    /// <summary>The Parquet lake at <paramref name="lakeRoot"/> (a local path, or an HDFS/S3 URI for Spark), filtered by <paramref name="selection"/>.</summary>
    public static SqlSource Lake(string lakeRoot, LakeSelection selection) => new LakeSource(lakeRoot, selection);

    /// <summary>A table or view already holding one or more series (columns as in the lake plus <c>symbol</c>).</summary>
    public static SqlSource Table(string tableName, Interval interval) => new TableSource(tableName, interval);

    internal abstract string RenderSelect(SqlDialect dialect);

    internal static string Columns(SqlDialect dialect, bool withSymbol)
    {
        var sb = new StringBuilder();
        if (withSymbol) sb.Append(dialect.QuoteIdentifier(SqlNames.Symbol)).Append(", ");
        sb.Append(string.Join(", ", SqlQueryBuilder.BaseColumns.Select(dialect.QuoteIdentifier)));
        return sb.ToString();
    }

    private sealed class LakeSource : SqlSource
    {
        private readonly string _root;
        private readonly LakeSelection _selection;

        public LakeSource(string root, LakeSelection selection) : base(selection.Interval)
        {
            if (string.IsNullOrWhiteSpace(root)) throw new ArgumentException("The lake path must not be empty.", nameof(root));
            ArgumentNullException.ThrowIfNull(selection);
            if (selection.Symbols.Count == 0) throw new ArgumentException("Select at least one symbol.", nameof(selection));
            if (selection.From is { } f && selection.To is { } t && t <= f) throw new ArgumentException($"Empty time range [{f}, {t}).", nameof(selection));
            _root = root;
            _selection = selection;
        }

        internal override string RenderSelect(SqlDialect dialect)
        {
            var sb = new StringBuilder("SELECT ");
            sb.Append(Columns(dialect, true)).Append("\n  FROM ").Append(dialect.LakeKlinesRelation(_root));
            sb.Append("\n  WHERE ").Append(dialect.QuoteIdentifier(SqlNames.Symbol)).Append(" IN (");
            // SymbolId is validated (A-Z, 0-9) and the literal is escaped by the dialect as well.
            sb.Append(string.Join(", ", _selection.Symbols.Select(s => dialect.StringLiteral(s.Value))));
            sb.Append(") AND ").Append(dialect.QuoteIdentifier("interval")).Append(" = ").Append(dialect.StringLiteral(_selection.Interval.Name));
            if (_selection.From is { } from) sb.Append(" AND ").Append(dialect.QuoteIdentifier(SqlNames.OpenTime)).Append(" >= ").Append(dialect.IntegerLiteral(from));
            if (_selection.To is { } to) sb.Append(" AND ").Append(dialect.QuoteIdentifier(SqlNames.OpenTime)).Append(" < ").Append(dialect.IntegerLiteral(to));
            return sb.ToString();
        }
    }

    private sealed class TableSource : SqlSource
    {
        private readonly string _table;

        public TableSource(string table, Interval interval) : base(interval) => _table = SqlIdentifier.Validate(table, "table name");

        internal override string RenderSelect(SqlDialect dialect) => $"SELECT {Columns(dialect, true)} FROM {dialect.QuoteIdentifier(_table)}";
    }
}

/// <summary>One compiled output column.</summary>
/// <param name="Name">Column name, e.g. <c>macd_12_26_9_signal</c>.</param>
/// <param name="FirstRow">0-based row index of the first non-NULL value (the horizon for truncated recursive indicators).</param>
/// <param name="Truncated">True when the SQL uses a truncated closed form of a recursion.</param>
/// <param name="ErrorBound">The documented error bound against the exact (in-process) computation.</param>
public sealed record CompiledSqlColumn(string Name, int FirstRow, bool Truncated, string ErrorBound);

/// <summary>A compiled analysis: the indicator query and the detector queries, in one dialect.</summary>
/// <param name="Dialect">The dialect.</param>
/// <param name="IndicatorQuery">SELECT returning <c>symbol, open_time</c> and one column per indicator output, ordered by symbol and time.</param>
/// <param name="Columns">The indicator columns in order.</param>
/// <param name="Detectors">One query per detector, returning candidate anomaly rows.</param>
public sealed record CompiledSqlPlan(SqlDialect Dialect, string IndicatorQuery, IReadOnlyList<CompiledSqlColumn> Columns, IReadOnlyList<CompiledSqlDetector> Detectors);

/// <summary>Compiles an <see cref="AnalysisPlan"/> into SQL for DuckDB or Spark from one intermediate form.</summary>
/// <remarks>
/// Built-in indicators follow TA-Lib (see <c>SqlIndicatorLibrary</c>); custom indicators provide a SQL form by implementing
/// <see cref="ISqlIndicator"/>, otherwise compilation fails with <see cref="SqlNotSupportedException"/> naming them.
/// </remarks>
public sealed class SqlPlanCompiler
{
    private readonly IndicatorRegistry _registry;

    /// <summary>Creates a compiler resolving indicator names through <paramref name="registry"/>.</summary>
    public SqlPlanCompiler(IndicatorRegistry registry) => _registry = registry ?? throw new ArgumentNullException(nameof(registry));

    /// <summary>Names of the indicators with a built-in SQL form.</summary>
    public static IReadOnlyCollection<string> BuiltInSqlIndicators => SqlIndicatorLibrary.Forms.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Names of the detectors with a SQL form.</summary>
    public static IReadOnlyList<string> BuiltInSqlDetectors => SqlDetectorLibrary.Names;

    /// <summary>Compiles <paramref name="plan"/> over <paramref name="source"/> in <paramref name="dialect"/>.</summary>
    /// <exception cref="InvalidSpecException">Unknown indicator/detector or bad parameters.</exception>
    /// <exception cref="SqlNotSupportedException">A custom analyzer without a SQL form.</exception>
    public CompiledSqlPlan Compile(AnalysisPlan plan, SqlSource source, SqlDialect dialect) => Compile(plan, source, dialect, dialect?.PrefersCumulativeBlocks ?? false);

    /// <summary>Compiles with an explicit choice of the recursions' closed form (tests run Spark's cumulative form on DuckDB).</summary>
    internal CompiledSqlPlan Compile(AnalysisPlan plan, SqlSource source, SqlDialect dialect, bool cumulativeBlocks)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(dialect);
        var builder = new SqlQueryBuilder(cumulativeBlocks);
        var outputs = new List<(string, SqlExpr)>();
        var columns = new List<CompiledSqlColumn>();
        foreach (var spec in plan.Indicators)
        {
            var compiled = CompileSpec(spec, builder, source.Interval);
            for (var i = 0; i < compiled.Names.Count; i++)
            {
                var output = compiled.Outputs[i];
                var guarded = Sql.If(Sql.Ge(builder.RowIndex, Sql.Int(output.FirstRow)), output.Value);
                outputs.Add((compiled.Names[i], guarded));
                columns.Add(new CompiledSqlColumn(compiled.Names[i], output.FirstRow, compiled.Recursive, compiled.ErrorBound));
            }
        }
        var duplicate = columns.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidSpecException(duplicate.Key, "the plan produces this column twice");
        var query = builder.Render(dialect, source.RenderSelect(dialect), outputs);
        var detectors = plan.Detectors.Select(d => SqlDetectorLibrary.Compile(d, source, dialect)).ToList();
        return new CompiledSqlPlan(dialect, query, columns, detectors);
    }

    private sealed record CompiledSpec(IReadOnlyList<string> Names, IReadOnlyList<SqlIndicatorOutput> Outputs, bool Recursive, string ErrorBound);

    private CompiledSpec CompileSpec(IndicatorSpec spec, SqlQueryBuilder builder, Interval interval)
    {
        SqlIndicatorContext context;
        string? sourceStem = null;
        if (spec.Source is not null)
        {
            var inner = CompileSpec(spec.Source, builder, interval);
            var index = 0;
            if (spec.SourceOutput is not null)
            {
                index = inner.Names.ToList().FindIndex(n => n.EndsWith("_" + spec.SourceOutput, StringComparison.Ordinal));
                if (index < 0) throw new InvalidSpecException(spec.ToString(), $"'{spec.Source}' has no output '{spec.SourceOutput}' (outputs: {string.Join(", ", inner.Names)})");
            }
            var value = inner.Outputs[index];
            var column = value.Value as SqlColumn ?? builder.Define(value.Value);
            // NULL before the source's first row, so the outer windows never see warm-up values.
            var guarded = builder.Define(Sql.If(Sql.Ge(builder.RowIndex, Sql.Int(value.FirstRow)), column));
            context = builder.ValueContext(guarded, value.FirstRow, interval);
            sourceStem = inner.Names[index];
        }
        else
        {
            context = builder.CandleContext(interval);
        }

        SqlIndicatorForm? form = SqlIndicatorLibrary.Forms.GetValueOrDefault(spec.Name);
        if (_registry.TryGet(spec.Name, out var definition))
        {
            var values = Defaulted(spec, definition.Parameters);
            var indicator = definition.Create(values);
            var names = spec.Source is null ? indicator.ColumnNames : ChainedNames(spec.Name, values, sourceStem!, indicator.Outputs);
            if (indicator is ISqlIndicator custom)
            {
                var built = custom.BuildSql(context);
                if (built.Count != names.Count)
                    throw new SqlNotSupportedException(indicator.Name, $"its SQL form has {built.Count} outputs but the indicator declares {names.Count}");
                return new CompiledSpec(names, built, false, "defined by the custom indicator");
            }
            if (form is null)
                throw new SqlNotSupportedException(indicator.Name, $"it is a custom indicator without a SQL form; implement {typeof(ISqlIndicator).FullName} on it to run it on DuckDB or Spark, or use the in-process engine");
            var outputs = form.Build(context, values);
            return new CompiledSpec(names, MapOutputs(form, indicator.Outputs, outputs, spec), form.Recursive, form.ErrorBound);
        }
        if (form is null)
            throw new InvalidSpecException(spec.ToString(), $"unknown indicator '{spec.Name}'; indicators with a SQL form: {string.Join(", ", BuiltInSqlIndicators)}");
        var parameters = Defaulted(spec, form.Parameters);
        for (var i = 0; i < parameters.Count; i++)
        {
            var p = form.Parameters[i];
            if (parameters[i] < p.Min || parameters[i] > p.Max || (p.IsInteger && parameters[i] != Math.Floor(parameters[i])))
                throw new InvalidSpecException(spec.ToString(), $"parameter {p.Name}={IndicatorSpec.FormatNumber(parameters[i])} is out of range [{IndicatorSpec.FormatNumber(p.Min)}, {IndicatorSpec.FormatNumber(p.Max)}]{(p.IsInteger ? " or not an integer" : string.Empty)}");
        }
        // Same naming as the in-process registry: stddev shows nbdev only when it is not 1 (stddev_20).
        var shown = spec.Name == "stddev" && parameters.Count == 2 && parameters[1] == 1 ? parameters.Take(1).ToList() : parameters;
        var stem = IndicatorSpec.ColumnStem(spec.Name, shown, sourceStem);
        var columnNames = form.Outputs.Count == 1 ? [stem] : form.Outputs.Select(o => stem + "_" + o).ToList();
        return new CompiledSpec(columnNames, form.Build(context, parameters), form.Recursive, form.ErrorBound);
    }

    private static IReadOnlyList<string> ChainedNames(string name, IReadOnlyList<double> values, string sourceStem, IReadOnlyList<string> outputs)
    {
        var stem = IndicatorSpec.ColumnStem(name, values, sourceStem);
        return outputs.Count <= 1 ? [stem] : outputs.Select(o => stem + "_" + o).ToList();
    }

    private static IReadOnlyList<SqlIndicatorOutput> MapOutputs(SqlIndicatorForm form, IReadOnlyList<string> declared, IReadOnlyList<SqlIndicatorOutput> built, IndicatorSpec spec)
    {
        if (declared.Count <= 1 && built.Count == 1) return built;
        if (declared.Count != built.Count)
            throw new SqlNotSupportedException(spec.ToString(), $"the registered indicator declares {declared.Count} outputs but the SQL form has {built.Count}");
        var result = new SqlIndicatorOutput[declared.Count];
        for (var i = 0; i < declared.Count; i++)
        {
            var j = FindOutput(form.Outputs, declared[i]);
            if (j < 0) throw new SqlNotSupportedException(spec.ToString(), $"output '{declared[i]}' has no SQL form (SQL outputs: {string.Join(", ", form.Outputs)})");
            result[i] = built[j];
        }
        return result;
    }

    private static int FindOutput(IReadOnlyList<string> outputs, string name)
    {
        var n = name.ToLowerInvariant();
        for (var i = 0; i < outputs.Count; i++)
        {
            if (outputs[i] == n) return i;
        }
        // TA-Lib style long names (e.g. slowk, aroonup, macdsignal) map to the short ones.
        for (var i = 0; i < outputs.Count; i++)
        {
            if (n.EndsWith(outputs[i], StringComparison.Ordinal)) return i;
        }
        return -1;
    }

    private static IReadOnlyList<double> Defaulted(IndicatorSpec spec, IReadOnlyList<IndicatorParameter> parameters)
    {
        if (spec.Parameters.Count > parameters.Count)
            throw new InvalidSpecException(spec.ToString(), $"'{spec.Name}' takes at most {parameters.Count} parameters ({string.Join(", ", parameters.Select(p => p.Name))})");
        var values = new double[parameters.Count];
        for (var i = 0; i < values.Length; i++) values[i] = i < spec.Parameters.Count ? spec.Parameters[i] : parameters[i].Default;
        return values;
    }
}
