using Apache.Arrow;
using MarketAnalytics.Engines.Sql;
using MarketAnalytics.Indicators;
using Xunit;

namespace MarketAnalytics.Spark.Tests;

/// <summary>Client transport, Arrow decoding, cancellation (Interrupt) and error mapping against the in-test gRPC server.</summary>
public sealed class TransportTests
{
    private static RecordBatch Table(int rows, params string[] symbols)
    {
        var sym = new StringArray.Builder();
        var time = new Int64Array.Builder();
        var value = new DoubleArray.Builder();
        foreach (var s in symbols)
        {
            for (var i = 0; i < rows; i++)
            {
                sym.Append(s);
                time.Append(1_700_000_000_000 + i * 60_000L);
                if (i < 2) value.AppendNull(); else value.Append(i * 1.5);
            }
        }
        return new RecordBatch.Builder().Append("symbol", false, sym.Build()).Append("open_time", false, time.Build()).Append("sma_3", true, value.Build()).Build();
    }

    [Fact]
    public async Task QueryStreamsArrowBatchesInSeveralChunks()
    {
        await using var server = await FakeSparkConnectServer.StartAsync(_ => [Table(100, "BTCUSDT")], chunks: 4);
        using var client = new SparkConnectClient(SparkConnectionString.Parse(server.Remote + "/;user_id=carol"));
        using var result = await client.QueryAsync("SELECT 1");
        Assert.True(result.Batches.Count >= 4, $"expected several Arrow streams, got {result.Batches.Count}");
        Assert.Equal(100, result.RowCount);
        Assert.True(result.ResultComplete);
        var request = Assert.Single(server.Recorded.Executed);
        Assert.Equal(client.SessionId, request.SessionId);
        Assert.Equal("carol", request.UserContext.UserId);
        Assert.Equal(result.OperationId, request.OperationId);
        Assert.Equal("SELECT 1", request.Plan.Root.Sql.Query);
    }

    [Fact]
    public async Task ExtraParametersBecomeHeadersAndNoTokenMeansNoAuthorization()
    {
        // A token implies TLS (the test server is plain HTTP/2), so only the absence of the header is checked here.
        await using var server = await FakeSparkConnectServer.StartAsync(_ => [Table(3, "A")]);
        using var client = new SparkConnectClient(SparkConnectionString.Parse(server.Remote + "/;x-trace=42"));
        using var _ = await client.QueryAsync("SELECT 1");
        Assert.Equal(string.Empty, Assert.Single(server.Recorded.Authorization));
        Assert.Equal("42", Assert.Single(server.Recorded.Trace));
    }

    [Fact]
    public async Task AnalysisErrorsCarrySparkErrorClassAndSqlState()
    {
        await using var server = await FakeSparkConnectServer.StartAsync();
        using var client = new SparkConnectClient(SparkConnectionString.Parse(server.Remote));
        var e = await Assert.ThrowsAsync<SparkAnalysisException>(() => client.QueryAsync("SELECT * FROM missing_table"));
        Assert.Equal("TABLE_OR_VIEW_NOT_FOUND", e.ErrorClass);
        Assert.Equal("42P01", e.SqlState);
        Assert.Equal("org.apache.spark.sql.AnalysisException", e.ExceptionClass);
        Assert.Equal("`missing_table`", e.MessageParameters["relationName"]);
        Assert.Contains("cannot be found", e.Message, StringComparison.Ordinal);
        Assert.Equal(Grpc.Core.StatusCode.Internal, e.Status);
    }

    [Fact]
    public async Task ParseErrorsMapToSparkParseException()
    {
        await using var server = await FakeSparkConnectServer.StartAsync();
        using var client = new SparkConnectClient(SparkConnectionString.Parse(server.Remote));
        var e = await Assert.ThrowsAsync<SparkParseException>(() => client.QueryAsync("SELEC 1"));
        Assert.Equal("PARSE_SYNTAX_ERROR", e.ErrorClass);
        Assert.Equal("42601", e.SqlState);
    }

    [Fact]
    public async Task UnreachableServerIsTyped()
    {
        using var client = new SparkConnectClient(SparkConnectionString.Parse("sc://127.0.0.1:1"));
        await Assert.ThrowsAsync<SparkConnectUnavailableException>(() => client.QueryAsync("SELECT 1"));
    }

    [Fact]
    public async Task CancellationInterruptsTheOperationOnTheServer()
    {
        await using var server = await FakeSparkConnectServer.StartAsync();
        using var client = new SparkConnectClient(SparkConnectionString.Parse(server.Remote));
        using var cts = new CancellationTokenSource();
        var query = client.QueryAsync("SELECT slow_query()", cts.Token);
        await server.Recorded.SlowStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query);
        var interrupt = Assert.Single(server.Recorded.Interrupts);
        var executed = Assert.Single(server.Recorded.Executed);
        Assert.Equal(executed.OperationId, interrupt.OperationId);
        Assert.Equal(Protocol.InterruptRequest.Types.InterruptType.OperationId, interrupt.InterruptType);
        Assert.Equal(client.SessionId, interrupt.SessionId);
    }

    [Fact]
    public async Task SparkVersionComesFromAnalyzePlan()
    {
        await using var server = await FakeSparkConnectServer.StartAsync();
        using var client = new SparkConnectClient(SparkConnectionString.Parse(server.Remote));
        Assert.Equal("4.0.0", await client.SparkVersionAsync());
    }

    [Fact]
    public async Task EngineSetsUtcAndRunsTheSparkDialectOverTheLake()
    {
        await using var server = await FakeSparkConnectServer.StartAsync(_ => [Table(50, "BTCUSDT", "ETHUSDT")], chunks: 3);
        var options = new SparkEngineOptions { Remote = server.Remote, LakeUri = "hdfs://nn:8020/data/lake" };
        using var engine = (SparkEngine)SparkEngineExtensions.Create(new IndicatorRegistry(), options);
        var plan = new AnalysisPlan([IndicatorSpec.Parse("sma(3)")], []);
        var selection = new LakeSelection([SymbolId.Parse("BTCUSDT"), SymbolId.Parse("ETHUSDT")], Interval.OneMinute, 1_700_000_000_000, 1_800_000_000_000);
        var results = await engine.RunLakeAsync(plan, selection);

        var config = Assert.Single(server.Recorded.Configs);
        Assert.Contains(config.Operation.Set.Pairs, p => p.Key == "spark.sql.session.timeZone" && p.Value == "UTC");
        var request = Assert.Single(server.Recorded.Executed);
        Assert.Equal(config.SessionId, request.SessionId);
        var expectedSql = new SqlPlanCompiler(new IndicatorRegistry()).Compile(plan, SqlSource.Lake(options.LakeUri, selection), SqlDialect.Spark).IndicatorQuery;
        Assert.Equal(expectedSql, request.Plan.Root.Sql.Query);
        Assert.Contains("parquet.`hdfs://nn:8020/data/lake/klines/exchange=binance`", request.Plan.Root.Sql.Query, StringComparison.Ordinal);

        Assert.Equal(2, results.Count);
        Assert.Equal("BTCUSDT", results[0].Symbol.Value);
        Assert.Equal(50, results[0].OpenTime.Length);
        Assert.Equal("sma_3", results[0].Columns[0].Name);
        Assert.True(double.IsNaN(results[0].Columns[0].Values[1]));
        Assert.Equal(4.5, results[1].Columns[0].Values[3]);
    }

    [Fact]
    public async Task DetectorQueriesBecomeAlertEpisodes()
    {
        RecordBatch Candidates() => new RecordBatch.Builder()
            .Append("symbol", false, new StringArray.Builder().Append("BTCUSDT").Append("BTCUSDT").Append("BTCUSDT").Build())
            .Append("open_time", false, new Int64Array.Builder().Append(1_700_000_000_000).Append(1_700_000_060_000).Append(1_700_003_600_000).Build())
            .Append("score", false, new DoubleArray.Builder().Append(2.5).Append(3).Append(1.5).Build())
            .Append("value", false, new DoubleArray.Builder().Append(0.05).Append(0.06).Append(0.03).Build())
            .Append("baseline", false, new DoubleArray.Builder().Append(0).Append(0).Append(0).Build())
            .Append("threshold", false, new DoubleArray.Builder().Append(0.02).Append(0.02).Append(0.02).Build())
            .Build();
        await using var server = await FakeSparkConnectServer.StartAsync(sql => sql.Contains("dev / thr", StringComparison.Ordinal) ? [Candidates()] : [Table(5, "BTCUSDT")]);
        using var engine = (SparkEngine)SparkEngineExtensions.Create(new IndicatorRegistry(), new SparkEngineOptions { Remote = server.Remote });
        var results = await engine.RunLakeAsync(new AnalysisPlan([IndicatorSpec.Parse("sma(3)")], [AnomalyKinds.PriceJump]), new LakeSelection([SymbolId.Parse("BTCUSDT")], Interval.OneMinute));
        var anomalies = Assert.Single(results).Anomalies;
        // The second candidate is inside the first one's 30-candle cool-down: one episode, then a new one an hour later.
        Assert.Equal([1_700_000_000_000L, 1_700_003_600_000L], anomalies.Select(a => a.OpenTime));
        Assert.All(anomalies, a => Assert.Equal(AnomalyKinds.PriceJump, a.Kind));
        Assert.Equal(AnomalySeverity.High, anomalies[0].Severity);
    }

    [Fact]
    public async Task EngineUploadsAnInMemorySeriesAsATempView()
    {
        await using var server = await FakeSparkConnectServer.StartAsync(_ => [Table(5, "BTCUSDT")]);
        using var engine = (SparkEngine)SparkEngineExtensions.Create(new IndicatorRegistry(), new SparkEngineOptions { Remote = server.Remote });
        var series = new CandleSeries(SymbolId.Parse("BTCUSDT"), Interval.OneMinute);
        for (var i = 0; i < 5; i++) series.Add(Candle.FromOhlcv(1_700_000_000_000 + i * 60_000L, 1, 2, 0.5, 1.5, 10, 1_700_000_059_999 + i * 60_000L));
        var result = await engine.RunAsync(new AnalysisPlan([IndicatorSpec.Parse("sma(3)")], []), series);
        Assert.Equal(5, result.OpenTime.Length);
        var requests = server.Recorded.Executed.ToArray();
        Assert.Equal(2, requests.Length);
        var view = requests[0].Plan.Command.CreateDataframeView;
        Assert.StartsWith("ma_candles_", view.Name, StringComparison.Ordinal);
        using var stream = new Apache.Arrow.Ipc.ArrowStreamReader(new MemoryStream(view.Input.LocalRelation.Data.ToByteArray()));
        var uploaded = stream.ReadNextRecordBatch();
        Assert.Equal(5, uploaded.Length);
        Assert.Equal(1.5, ((DoubleArray)uploaded.Column("close")).GetValue(0));
        Assert.Contains($"`{view.Name}`", requests[1].Plan.Root.Sql.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteLakeRunsInsertOverwriteDirectoryPerPartition()
    {
        RecordBatch Partitions() => new RecordBatch.Builder()
            .Append("symbol", false, new StringArray.Builder().Append("BTCUSDT").Append("BTCUSDT").Build())
            .Append("y", false, new Int32Array.Builder().Append(2023).Append(2023).Build())
            .Append("m", false, new Int32Array.Builder().Append(8).Append(9).Build())
            .Build();
        await using var server = await FakeSparkConnectServer.StartAsync(sql => sql.StartsWith("SELECT DISTINCT", StringComparison.Ordinal) ? [Partitions()] : []);
        using var engine = (SparkEngine)SparkEngineExtensions.Create(new IndicatorRegistry(), new SparkEngineOptions { Remote = server.Remote, LakeUri = "s3a://bucket/lake" });
        var written = await engine.WriteLakeAsync(new AnalysisPlan([IndicatorSpec.Parse("ema(5)")], []), new LakeSelection([SymbolId.Parse("BTCUSDT")], Interval.OneMinute));
        Assert.Equal(2, written);
        var commands = server.Recorded.Executed.Where(r => r.Plan.OpTypeCase == Protocol.Plan.OpTypeOneofCase.Command).Select(r => r.Plan.Command.SqlCommand.Sql).ToList();
        Assert.StartsWith("CACHE TABLE", commands[0], StringComparison.Ordinal);
        Assert.StartsWith("INSERT OVERWRITE DIRECTORY 's3a://bucket/lake/indicators/exchange=binance/symbol=BTCUSDT/interval=1m/year=2023/month=08' USING parquet", commands[1], StringComparison.Ordinal);
        Assert.Contains("month=09", commands[2], StringComparison.Ordinal);
        Assert.StartsWith("UNCACHE TABLE IF EXISTS", commands[3], StringComparison.Ordinal);
    }
}
