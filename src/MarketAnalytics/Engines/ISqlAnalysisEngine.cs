using MarketAnalytics.Engines.Sql;

namespace MarketAnalytics.Engines;

/// <summary>An engine that runs analysis plans as SQL (DuckDB, Spark) over the lake as well as over in-memory series.</summary>
public interface ISqlAnalysisEngine : IAnalysisEngine
{
    /// <summary>The SQL dialect the engine speaks.</summary>
    SqlDialect Dialect { get; }

    /// <summary>Runs <paramref name="plan"/> over the lake's candles of <paramref name="selection"/>; one result per symbol, in symbol order.</summary>
    Task<IReadOnlyList<AnalysisResult>> RunLakeAsync(AnalysisPlan plan, LakeSelection selection, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs the plan's indicators over the lake and writes them into
    /// <c>&lt;lake&gt;/indicators/exchange=binance/symbol=&lt;SYM&gt;/interval=&lt;iv&gt;/year=&lt;YYYY&gt;/month=&lt;MM&gt;/</c>,
    /// replacing the partitions it produces (idempotent).
    /// </summary>
    /// <returns>Number of rows written.</returns>
    Task<long> WriteLakeAsync(AnalysisPlan plan, LakeSelection selection, CancellationToken cancellationToken = default);
}

/// <summary>Turns SQL result rows into <see cref="AnalysisResult"/>s (NULL becomes NaN, as in-process).</summary>
internal static class SqlResultAssembler
{
    /// <summary>Accumulates rows of one symbol.</summary>
    internal sealed class SeriesBuffer(SymbolId symbol, int columns)
    {
        public SymbolId Symbol { get; } = symbol;
        public List<long> OpenTime { get; } = [];
        public List<double>[] Values { get; } = Enumerable.Range(0, columns).Select(_ => new List<double>()).ToArray();

        public AnalysisResult ToResult(Interval interval, IReadOnlyList<CompiledSqlColumn> columns, IReadOnlyList<Anomaly> anomalies) =>
            new(Symbol, interval, OpenTime.ToArray(), columns.Select((c, i) => new IndicatorColumn(c.Name, Values[i].ToArray())).ToList(), anomalies);
    }
}
