using Apache.Arrow;
using Apache.Arrow.Ipc;
using MarketAnalytics.Engines;
using MarketAnalytics.Engines.Sql;
using MarketAnalytics.Indicators;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MarketAnalytics.Spark;

/// <summary>Options of the Spark engine.</summary>
public sealed class SparkEngineOptions
{
    /// <summary>Spark Connect connection string, e.g. <c>sc://spark-host:15002</c>.</summary>
    public string Remote { get; set; } = "sc://localhost:15002";

    /// <summary>The lake root as Spark sees it: a path on the Spark host, or an <c>hdfs://</c> / <c>s3a://</c> URI.</summary>
    public string LakeUri { get; set; } = "/lake";

    /// <summary>Extra Spark SQL settings applied to the session (<c>spark.sql.session.timeZone</c> is always UTC).</summary>
    public IDictionary<string, string> Config { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Returns the problems with these options; empty when valid. Never echoes the token.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        try
        {
            SparkConnectionString.Parse(Remote);
        }
        catch (InvalidSparkConnectionStringException e)
        {
            problems.Add(e.Message);
        }
        if (string.IsNullOrWhiteSpace(LakeUri)) problems.Add("Spark LakeUri must not be empty.");
        else if (LakeUri.Any(char.IsControl) || LakeUri.Contains('`', StringComparison.Ordinal)) problems.Add("Spark LakeUri must not contain control characters or backticks.");
        foreach (var key in Config.Keys)
        {
            if (!key.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) problems.Add($"Spark config key '{key}' is not a valid key.");
        }
        return problems;
    }
}

/// <summary>Creates Spark engines and registers them with a <see cref="MarketAnalyticsBuilder"/>.</summary>
public static class SparkEngineExtensions
{
    /// <summary>Service key of the Spark engine (<c>spark</c>).</summary>
    public const string EngineKey = "spark";

    /// <summary>Registers the Spark engine as the keyed <see cref="IAnalysisEngine"/>/<see cref="ISqlAnalysisEngine"/> <c>spark</c>.</summary>
    public static MarketAnalyticsBuilder AddSparkEngine(this MarketAnalyticsBuilder builder, Action<SparkEngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (configure is not null) builder.Services.Configure(configure);
        builder.AddStartupCheck<SparkEngineOptions>(o => o.Validate());
        builder.Services.AddKeyedSingleton<ISqlAnalysisEngine>(EngineKey, (sp, _) =>
            new SparkEngine(sp.GetRequiredService<IndicatorRegistry>(), sp.GetRequiredService<IOptions<SparkEngineOptions>>().Value));
        builder.Services.AddKeyedSingleton<IAnalysisEngine>(EngineKey, (sp, key) => sp.GetRequiredKeyedService<ISqlAnalysisEngine>(key));
        return builder;
    }

    /// <summary>Creates an engine without a container (dispose it to close the channel).</summary>
    /// <exception cref="InvalidOptionsException">The options are invalid.</exception>
    public static ISqlAnalysisEngine Create(IndicatorRegistry registry, SparkEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0) throw new InvalidOptionsException(nameof(SparkEngineOptions), problems);
        return new SparkEngine(registry, options);
    }
}

/// <summary>Runs the Spark dialect through Spark Connect; one Spark session per engine instance.</summary>
internal sealed class SparkEngine : ISqlAnalysisEngine, IDisposable
{
    private readonly SqlPlanCompiler _compiler;
    private readonly SparkEngineOptions _options;
    private readonly SparkConnectClient _client;
    private readonly SemaphoreSlim _configured = new(1, 1);
    private bool _sessionReady;

    public SparkEngine(IndicatorRegistry registry, SparkEngineOptions options, SparkConnectClient? client = null)
    {
        _compiler = new SqlPlanCompiler(registry);
        _options = options;
        _client = client ?? new SparkConnectClient(SparkConnectionString.Parse(options.Remote));
    }

    public string Name => "spark";

    public SqlDialect Dialect => SqlDialect.Spark;

    internal SparkConnectClient Client => _client;

    private async Task EnsureSessionAsync(CancellationToken cancellationToken)
    {
        if (_sessionReady) return;
        await _configured.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_sessionReady) return;
            var settings = new Dictionary<string, string>(_options.Config, StringComparer.Ordinal) { ["spark.sql.session.timeZone"] = "UTC" };
            await _client.SetConfigAsync(settings, cancellationToken).ConfigureAwait(false);
            _sessionReady = true;
        }
        finally
        {
            _configured.Release();
        }
    }

    public async Task<AnalysisResult> RunAsync(AnalysisPlan plan, CandleSeries series, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(series);
        await EnsureSessionAsync(cancellationToken).ConfigureAwait(false);
        var view = "ma_candles_" + Guid.NewGuid().ToString("N");
        await _client.CreateTempViewAsync(view, SparkArrow.EncodeSeries(series), cancellationToken).ConfigureAwait(false);
        var compiled = _compiler.Compile(plan, SqlSource.Table(view, series.Interval), Dialect);
        var results = await QueryAsync(compiled, series.Interval, cancellationToken).ConfigureAwait(false);
        return results.Count > 0 ? results[0] : new AnalysisResult(series.Symbol, series.Interval, [], compiled.Columns.Select(c => new IndicatorColumn(c.Name, [])).ToList(), []);
    }

    public async Task<IReadOnlyList<AnalysisResult>> RunLakeAsync(AnalysisPlan plan, LakeSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(selection);
        await EnsureSessionAsync(cancellationToken).ConfigureAwait(false);
        var compiled = _compiler.Compile(plan, SqlSource.Lake(_options.LakeUri, selection), Dialect);
        return await QueryAsync(compiled, selection.Interval, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The SQL statements <see cref="WriteLakeAsync"/> runs (cache, partition listing and per-partition INSERT OVERWRITE DIRECTORY).</summary>
    internal (string Cache, string Partitions, Func<string, int, int, string> Insert, string Uncache) WriteStatements(AnalysisPlan plan, LakeSelection selection)
    {
        var d = Dialect;
        var compiled = _compiler.Compile(plan with { Detectors = [] }, SqlSource.Lake(_options.LakeUri, selection), d);
        var table = d.QuoteIdentifier("ma_result_" + Guid.NewGuid().ToString("N"));
        var cache = $"CACHE TABLE {table} AS\n{compiled.IndicatorQuery}";
        var ts = $"timestamp_millis({d.QuoteIdentifier(SqlNames.OpenTime)})";
        var partitions = $"SELECT DISTINCT {d.QuoteIdentifier(SqlNames.Symbol)}, year({ts}) AS y, month({ts}) AS m FROM {table} ORDER BY 1, 2, 3";
        var columns = string.Join(", ", new[] { SqlNames.OpenTime }.Concat(compiled.Columns.Select(c => c.Name)).Select(d.QuoteIdentifier));
        var root = _options.LakeUri.TrimEnd('/');
        string Insert(string symbol, int year, int month)
        {
            var sym = SymbolId.Parse(symbol);
            var dir = $"{root}/indicators/exchange=binance/symbol={sym.Value}/interval={selection.Interval.Name}/year={year:D4}/month={month:D2}";
            return $"INSERT OVERWRITE DIRECTORY {d.StringLiteral(dir)} USING parquet\nSELECT {columns} FROM {table}\nWHERE {d.QuoteIdentifier(SqlNames.Symbol)} = {d.StringLiteral(sym.Value)} AND year({ts}) = {d.IntegerLiteral(year)} AND month({ts}) = {d.IntegerLiteral(month)}";
        }
        return (cache, partitions, Insert, $"UNCACHE TABLE IF EXISTS {table}");
    }

    public async Task<long> WriteLakeAsync(AnalysisPlan plan, LakeSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(selection);
        await EnsureSessionAsync(cancellationToken).ConfigureAwait(false);
        var (cache, partitions, insert, uncache) = WriteStatements(plan, selection);
        await _client.CommandAsync(cache, cancellationToken).ConfigureAwait(false);
        try
        {
            using var list = await _client.QueryAsync(partitions, cancellationToken).ConfigureAwait(false);
            long count = 0;
            foreach (var batch in list.Batches)
            {
                var symbols = SparkArrow.Strings(batch.Column(0));
                for (var i = 0; i < batch.Length; i++)
                {
                    var year = (int)SparkArrow.Integer(batch.Column(1), i);
                    var month = (int)SparkArrow.Integer(batch.Column(2), i);
                    await _client.CommandAsync(insert(symbols[i], year, month), cancellationToken).ConfigureAwait(false);
                    count++;
                }
            }
            return count;
        }
        finally
        {
            await _client.CommandAsync(uncache, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<AnalysisResult>> QueryAsync(CompiledSqlPlan compiled, Interval interval, CancellationToken cancellationToken)
    {
        IReadOnlyList<AnalysisResult> results;
        using (var result = await _client.QueryAsync(compiled.IndicatorQuery, cancellationToken).ConfigureAwait(false))
        {
            results = SparkArrow.ToResults(result.Batches, compiled.Columns, interval);
        }
        if (compiled.Detectors.Count == 0) return results;
        var anomalies = new List<Anomaly>();
        foreach (var detector in compiled.Detectors)
        {
            using var rows = await _client.QueryAsync(detector.Query, cancellationToken).ConfigureAwait(false);
            anomalies.AddRange(SqlDetectorLibrary.ToAnomalies(detector, SparkArrow.DetectorRows(rows.Batches), interval));
        }
        return results.Select(r => r with { Anomalies = anomalies.Where(a => a.Symbol == r.Symbol).OrderBy(a => a.OpenTime).ToList() }).ToList();
    }

    public void Dispose()
    {
        _client.Dispose();
        _configured.Dispose();
    }
}

/// <summary>Arrow conversions between candle series / query results and Spark Connect payloads.</summary>
internal static class SparkArrow
{
    /// <summary>Encodes a series as one Arrow IPC stream with the lake's columns plus <c>symbol</c>.</summary>
    public static byte[] EncodeSeries(CandleSeries s)
    {
        var n = s.Count;
        var symbol = new StringArray.Builder();
        var openTime = new Int64Array.Builder();
        var closeTime = new Int64Array.Builder();
        var trades = new Int64Array.Builder();
        var doubles = new[] { CandleColumn.Open, CandleColumn.High, CandleColumn.Low, CandleColumn.Close, CandleColumn.Volume, CandleColumn.QuoteVolume, CandleColumn.TakerBuyBaseVolume, CandleColumn.TakerBuyQuoteVolume }
            .Select(_ => new DoubleArray.Builder()).ToArray();
        var sources = new[] { CandleColumn.Open, CandleColumn.High, CandleColumn.Low, CandleColumn.Close, CandleColumn.Volume, CandleColumn.QuoteVolume, CandleColumn.TakerBuyBaseVolume, CandleColumn.TakerBuyQuoteVolume };
        for (var i = 0; i < n; i++)
        {
            symbol.Append(s.Symbol.Value);
            openTime.Append(s.OpenTime[i]);
            closeTime.Append(s.CloseTime[i]);
            if (s.TradeCount[i] >= 0) trades.Append(s.TradeCount[i]); else trades.AppendNull();
            for (var c = 0; c < sources.Length; c++)
            {
                var v = s.Column(sources[c])[i];
                if (double.IsNaN(v)) doubles[c].AppendNull(); else doubles[c].Append(v);
            }
        }
        var batch = new RecordBatch.Builder()
            .Append("symbol", false, symbol.Build())
            .Append("open_time", false, openTime.Build())
            .Append("open", true, doubles[0].Build())
            .Append("high", true, doubles[1].Build())
            .Append("low", true, doubles[2].Build())
            .Append("close", true, doubles[3].Build())
            .Append("volume", true, doubles[4].Build())
            .Append("close_time", false, closeTime.Build())
            .Append("quote_volume", true, doubles[5].Build())
            .Append("trades", true, trades.Build())
            .Append("taker_buy_base", true, doubles[6].Build())
            .Append("taker_buy_quote", true, doubles[7].Build())
            .Build();
        using var ms = new MemoryStream();
        using (var writer = new ArrowStreamWriter(ms, batch.Schema, leaveOpen: true))
        {
            writer.WriteRecordBatch(batch);
            writer.WriteEnd();
        }
        batch.Dispose();
        return ms.ToArray();
    }

    public static IReadOnlyList<string> Strings(IArrowArray array) => array switch
    {
        StringArray s => Enumerable.Range(0, s.Length).Select(i => s.GetString(i) ?? string.Empty).ToList(),
        LargeStringArray s => Enumerable.Range(0, s.Length).Select(i => s.GetString(i) ?? string.Empty).ToList(),
        _ => throw new MalformedDataException("spark-connect result", 0, $"expected a string column, got {array.Data.DataType.Name}"),
    };

    public static long Integer(IArrowArray array, int i) => array switch
    {
        Int64Array a => a.GetValue(i) ?? throw Null(),
        Int32Array a => a.GetValue(i) ?? throw Null(),
        Int16Array a => a.GetValue(i) ?? throw Null(),
        _ => throw new MalformedDataException("spark-connect result", 0, $"expected an integer column, got {array.Data.DataType.Name}"),
    };

    private static MalformedDataException Null() => new("spark-connect result", 0, "unexpected NULL in a key column");

    private static double Real(IArrowArray array, int i) => array switch
    {
        DoubleArray a => a.GetValue(i) ?? double.NaN,
        FloatArray a => a.GetValue(i) ?? double.NaN,
        NullArray => double.NaN,
        _ => throw new MalformedDataException("spark-connect result", 0, $"expected a DOUBLE column, got {array.Data.DataType.Name}"),
    };

    /// <summary>Candidate rows of a detector query: symbol, open_time, score, value, baseline, threshold.</summary>
    public static IReadOnlyList<SqlDetectorRow> DetectorRows(IReadOnlyList<RecordBatch> batches)
    {
        var rows = new List<SqlDetectorRow>();
        foreach (var batch in batches)
        {
            if (batch.ColumnCount != 6) throw new MalformedDataException("spark-connect detector result", 0, $"expected 6 columns, got {batch.ColumnCount}");
            var symbols = Strings(batch.Column(0));
            for (var i = 0; i < batch.Length; i++)
                rows.Add(new SqlDetectorRow(SymbolId.Parse(symbols[i]), Integer(batch.Column(1), i), Real(batch.Column(2), i), Real(batch.Column(3), i), Real(batch.Column(4), i), Real(batch.Column(5), i)));
        }
        return rows;
    }

    /// <summary>Groups result rows (symbol, open_time, columns...) by symbol, in time order, NULL as NaN.</summary>
    public static IReadOnlyList<AnalysisResult> ToResults(IReadOnlyList<RecordBatch> batches, IReadOnlyList<CompiledSqlColumn> columns, Interval interval)
    {
        var buffers = new Dictionary<string, SqlResultAssembler.SeriesBuffer>(StringComparer.Ordinal);
        var order = new List<SqlResultAssembler.SeriesBuffer>();
        foreach (var batch in batches)
        {
            if (batch.ColumnCount != columns.Count + 2)
                throw new MalformedDataException("spark-connect result", 0, $"expected {columns.Count + 2} columns, got {batch.ColumnCount}");
            var symbols = Strings(batch.Column(0));
            for (var i = 0; i < batch.Length; i++)
            {
                if (!buffers.TryGetValue(symbols[i], out var buffer))
                {
                    buffer = new SqlResultAssembler.SeriesBuffer(SymbolId.Parse(symbols[i]), columns.Count);
                    buffers[symbols[i]] = buffer;
                    order.Add(buffer);
                }
                buffer.OpenTime.Add(Integer(batch.Column(1), i));
                for (var c = 0; c < columns.Count; c++) buffer.Values[c].Add(Real(batch.Column(c + 2), i));
            }
        }
        foreach (var b in order)
        {
            for (var i = 1; i < b.OpenTime.Count; i++)
            {
                if (b.OpenTime[i] <= b.OpenTime[i - 1])
                    throw new MalformedDataException("spark-connect result", i, $"rows of {b.Symbol} are not in open-time order");
            }
        }
        return order.OrderBy(b => b.Symbol).Select(b => b.ToResult(interval, columns, [])).ToList();
    }
}
