using System.Data;
using DuckDB.NET.Data;
using MarketAnalytics.Engines;
using MarketAnalytics.Engines.Sql;
using MarketAnalytics.Indicators;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MarketAnalytics.DuckDb;

/// <summary>Options of the DuckDB engine.</summary>
public sealed class DuckDbEngineOptions
{
    /// <summary>Root of the local Parquet lake (the same layout the ingest writes).</summary>
    public string LakePath { get; set; } = "lake";

    /// <summary>DuckDB worker threads; 0 lets DuckDB decide (all cores).</summary>
    public int Threads { get; set; }

    /// <summary>DuckDB memory limit such as <c>4GB</c>; null for DuckDB's default (80% of RAM).</summary>
    public string? MemoryLimit { get; set; }

    /// <summary>Returns the problems with these options; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(LakePath)) problems.Add("DuckDB LakePath must not be empty.");
        else if (LakePath.Any(char.IsControl)) problems.Add("DuckDB LakePath contains control characters.");
        if (Threads < 0) problems.Add($"DuckDB Threads must be >= 0 (got {Threads}).");
        if (MemoryLimit is not null && !System.Text.RegularExpressions.Regex.IsMatch(MemoryLimit, "^[0-9]+(\\.[0-9]+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$"))
            problems.Add($"DuckDB MemoryLimit '{MemoryLimit}' is not a size such as 4GB.");
        return problems;
    }
}

/// <summary>Creates DuckDB engines and registers them with a <see cref="MarketAnalyticsBuilder"/>.</summary>
public static class DuckDbEngineExtensions
{
    /// <summary>Service key of the DuckDB engine (<c>duckdb</c>).</summary>
    public const string EngineKey = "duckdb";

    /// <summary>Registers the DuckDB engine as the keyed <see cref="IAnalysisEngine"/>/<see cref="ISqlAnalysisEngine"/> <c>duckdb</c>.</summary>
    public static MarketAnalyticsBuilder AddDuckDbEngine(this MarketAnalyticsBuilder builder, Action<DuckDbEngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (configure is not null) builder.Services.Configure(configure);
        builder.AddStartupCheck<DuckDbEngineOptions>(o => o.Validate());
        builder.Services.AddKeyedSingleton<ISqlAnalysisEngine>(EngineKey, (sp, _) =>
            new DuckDbEngine(sp.GetRequiredService<IndicatorRegistry>(), sp.GetRequiredService<IOptions<DuckDbEngineOptions>>().Value));
        builder.Services.AddKeyedSingleton<IAnalysisEngine>(EngineKey, (sp, key) => sp.GetRequiredKeyedService<ISqlAnalysisEngine>(key));
        return builder;
    }

    /// <summary>Creates an engine without a container.</summary>
    /// <exception cref="InvalidOptionsException">The options are invalid.</exception>
    public static ISqlAnalysisEngine Create(IndicatorRegistry registry, DuckDbEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0) throw new InvalidOptionsException(nameof(DuckDbEngineOptions), problems);
        return new DuckDbEngine(registry, options);
    }
}

/// <summary>Runs compiled DuckDB SQL over the lake or over series loaded into an in-memory table.</summary>
internal sealed class DuckDbEngine(IndicatorRegistry registry, DuckDbEngineOptions options) : ISqlAnalysisEngine
{
    private const string CandleTable = "ma_candles";
    private readonly SqlPlanCompiler _compiler = new(registry);

    public string Name => "duckdb";

    public SqlDialect Dialect => SqlDialect.DuckDb;

    public DuckDbEngineOptions Options { get; } = options;

    public async Task<AnalysisResult> RunAsync(AnalysisPlan plan, CandleSeries series, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(series);
        var compiled = _compiler.Compile(plan, SqlSource.Table(CandleTable, series.Interval), Dialect);
        using var connection = Open();
        LoadSeries(connection, series);
        var results = await ExecuteAsync(connection, compiled, series.Interval, cancellationToken).ConfigureAwait(false);
        if (results.Count == 0)
            return new AnalysisResult(series.Symbol, series.Interval, [], compiled.Columns.Select(c => new IndicatorColumn(c.Name, [])).ToList(), []);
        return results[0];
    }

    public async Task<IReadOnlyList<AnalysisResult>> RunLakeAsync(AnalysisPlan plan, LakeSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(selection);
        RequireLakeFiles(selection);
        var compiled = _compiler.Compile(plan, SqlSource.Lake(Options.LakePath, selection), Dialect);
        using var connection = Open();
        return await ExecuteAsync(connection, compiled, selection.Interval, cancellationToken).ConfigureAwait(false);
    }

    public Task<long> WriteLakeAsync(AnalysisPlan plan, LakeSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(selection);
        RequireLakeFiles(selection);
        var compiled = _compiler.Compile(plan with { Detectors = [] }, SqlSource.Lake(Options.LakePath, selection), Dialect);
        var d = Dialect;
        var root = Path.GetFullPath(Options.LakePath);
        var target = Path.Combine(root, "indicators", "exchange=binance");
        var staging = Path.Combine(root, "indicators", ".staging-" + Guid.NewGuid().ToString("N"));
        var columns = string.Join(", ", compiled.Columns.Select(c => d.QuoteIdentifier(c.Name)));
        var ts = $"make_timestamp({d.QuoteIdentifier(SqlNames.OpenTime)} * 1000)";
        var copy = $"COPY (\n  SELECT {d.QuoteIdentifier(SqlNames.Symbol)}, {d.StringLiteral(selection.Interval.Name)} AS {d.QuoteIdentifier("interval")}, " +
                   $"strftime({ts}, '%Y') AS {d.QuoteIdentifier("year")}, strftime({ts}, '%m') AS {d.QuoteIdentifier("month")}, " +
                   $"{d.QuoteIdentifier(SqlNames.OpenTime)}{(columns.Length > 0 ? ", " + columns : string.Empty)}\n  FROM (\n{compiled.IndicatorQuery}\n  ) AS _r\n) TO {d.StringLiteral(staging)} " +
                   "(FORMAT parquet, PARTITION_BY (symbol, interval, year, month), FILENAME_PATTERN 'part-{i}')";
        Directory.CreateDirectory(Path.GetDirectoryName(staging)!);
        long rows;
        using (var connection = Open())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = copy;
            using var registration = cancellationToken.Register(() => TryCancel(command));
            try
            {
                rows = command.ExecuteNonQuery();
            }
            catch (DuckDBException e)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new SqlEngineException("duckdb", e.Message, e);
            }
        }
        try
        {
            // Swap each produced partition in: the old one is renamed aside, then deleted (per-partition atomic rename).
            foreach (var partition in Directory.EnumerateDirectories(staging, "month=*", SearchOption.AllDirectories).ToList())
            {
                var relative = Path.GetRelativePath(staging, partition);
                var destination = Path.Combine(target, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                string? aside = null;
                if (Directory.Exists(destination))
                {
                    aside = destination + ".old-" + Guid.NewGuid().ToString("N");
                    Directory.Move(destination, aside);
                }
                Directory.Move(partition, destination);
                if (aside is not null) Directory.Delete(aside, recursive: true);
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        return Task.FromResult(rows);
    }

    private void RequireLakeFiles(LakeSelection selection)
    {
        foreach (var symbol in selection.Symbols)
        {
            var dir = Path.Combine(Options.LakePath, "klines", "exchange=binance", "symbol=" + symbol.Value, "interval=" + selection.Interval.Name);
            if (!Directory.Exists(dir) || !Directory.EnumerateFiles(dir, "*.parquet", SearchOption.AllDirectories).Any())
                throw new MarketAnalyticsException($"The lake at '{Options.LakePath}' has no {selection.Interval.Name} candles for {symbol} (looked in {dir}); ingest them first.");
        }
    }

    private DuckDBConnection Open()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        if (Options.Threads > 0)
        {
            command.CommandText = $"SET threads = {Options.Threads}";
            command.ExecuteNonQuery();
        }
        if (Options.MemoryLimit is { } limit)
        {
            command.CommandText = $"SET memory_limit = {SqlDialect.DuckDb.StringLiteral(limit)}";
            command.ExecuteNonQuery();
        }
        return connection;
    }

    private static void LoadSeries(DuckDBConnection connection, CandleSeries series)
    {
        var d = SqlDialect.DuckDb;
        using (var create = connection.CreateCommand())
        {
            create.CommandText = $"CREATE TEMP TABLE {d.QuoteIdentifier(CandleTable)} (symbol VARCHAR, open_time BIGINT, open DOUBLE, high DOUBLE, low DOUBLE, close DOUBLE, volume DOUBLE, " +
                                 "close_time BIGINT, quote_volume DOUBLE, trades BIGINT, taker_buy_base DOUBLE, taker_buy_quote DOUBLE)";
            create.ExecuteNonQuery();
        }
        var symbol = series.Symbol.Value;
        using var appender = connection.CreateAppender(CandleTable);
        for (var i = 0; i < series.Count; i++)
        {
            var row = appender.CreateRow();
            row.AppendValue(symbol)
                .AppendValue(series.OpenTime[i])
                .AppendValue(Nullable(series.Open[i]))
                .AppendValue(Nullable(series.High[i]))
                .AppendValue(Nullable(series.Low[i]))
                .AppendValue(Nullable(series.Close[i]))
                .AppendValue(Nullable(series.Volume[i]))
                .AppendValue(series.CloseTime[i])
                .AppendValue(Nullable(series.QuoteVolume[i]))
                .AppendValue(series.TradeCount[i] >= 0 ? series.TradeCount[i] : (long?)null)
                .AppendValue(Nullable(series.TakerBuyBaseVolume[i]))
                .AppendValue(Nullable(series.TakerBuyQuoteVolume[i]))
                .EndRow();
        }
    }

    private static double? Nullable(double v) => double.IsNaN(v) ? null : v;

    private async Task<IReadOnlyList<AnalysisResult>> ExecuteAsync(DuckDBConnection connection, CompiledSqlPlan compiled, Interval interval, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var buffers = new List<SqlResultAssembler.SeriesBuffer>();
        var anomalies = new Dictionary<SymbolId, List<Anomaly>>();
        try
        {
            using (var command = connection.CreateCommand())
            {
                command.CommandText = compiled.IndicatorQuery;
                using var registration = cancellationToken.Register(() => TryCancel(command));
                using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
                var n = compiled.Columns.Count;
                SqlResultAssembler.SeriesBuffer? current = null;
                string? currentSymbol = null;
                long read = 0;
                while (reader.Read())
                {
                    if ((++read & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                    var symbol = reader.GetString(0);
                    if (!string.Equals(symbol, currentSymbol, StringComparison.Ordinal))
                    {
                        current = new SqlResultAssembler.SeriesBuffer(SymbolId.Parse(symbol), n);
                        buffers.Add(current);
                        currentSymbol = symbol;
                    }
                    current!.OpenTime.Add(reader.GetInt64(1));
                    for (var c = 0; c < n; c++) current.Values[c].Add(reader.IsDBNull(c + 2) ? double.NaN : reader.GetDouble(c + 2));
                }
            }
            foreach (var detector in compiled.Detectors)
            {
                using var command = connection.CreateCommand();
                command.CommandText = detector.Query;
                using var registration = cancellationToken.Register(() => TryCancel(command));
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                var rows = new List<SqlDetectorRow>();
                while (reader.Read())
                {
                    rows.Add(new SqlDetectorRow(SymbolId.Parse(reader.GetString(0)), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5)));
                }
                foreach (var anomaly in SqlDetectorLibrary.ToAnomalies(detector, rows, interval))
                {
                    if (!anomalies.TryGetValue(anomaly.Symbol, out var list)) anomalies[anomaly.Symbol] = list = [];
                    list.Add(anomaly);
                }
            }
        }
        catch (DuckDBException e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new SqlEngineException("duckdb", e.Message, e);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return buffers.Select(b => b.ToResult(interval, compiled.Columns,
            anomalies.TryGetValue(b.Symbol, out var list) ? list.OrderBy(a => a.OpenTime).ToList() : [])).ToList();
    }

    /// <summary>Interrupts the running statement (DuckDB's interrupt; the query then fails and the token's cancellation is reported).</summary>
    private static void TryCancel(DuckDBCommand command)
    {
        try
        {
            command.Cancel();
        }
        catch (Exception e) when (e is DuckDBException or InvalidOperationException or ObjectDisposedException)
        {
            // The statement may be finishing; interrupting is best-effort.
        }
    }
}
