using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MarketAnalytics.Binance;
using MarketAnalytics.Lake;

namespace MarketAnalytics.Cli.Commands;

/// <summary><c>marketanalytics ingest</c>: Binance klines (REST, bulk archives or a local folder) into the Parquet lake.</summary>
internal static class IngestCommand
{
    public static Command Create(CliContext context)
    {
        var symbols = new Option<string>("--symbols") { Description = "Comma-separated symbols, e.g. FILUSDT,NEARUSDT.", Required = true };
        var interval = new Option<string>("--interval") { Description = "Kline interval (1s 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M).", Required = true };
        var from = new Option<string>("--from") { Description = "First day or instant, UTC (2023-08-01 or 2023-08-01T12:00:00Z).", Required = true };
        var to = new Option<string>("--to") { Description = "End, exclusive, UTC.", Required = true };
        var lake = new Option<string>("--lake") { Description = "Lake root folder.", DefaultValueFactory = _ => "lake" };
        var source = new Option<string>("--source") { Description = "rest | archive (data.binance.vision, REST for the rest) | <folder of archives/CSVs/JSON>.", DefaultValueFactory = _ => "rest" };
        var binanceUrl = new Option<string?>("--binance-url") { Description = "REST base URL (default https://data-api.binance.vision)." };
        var archiveUrl = new Option<string?>("--archive-url") { Description = "Archive base URL (default https://data.binance.vision)." };
        var concurrency = new Option<int>("--concurrency") { Description = "REST requests in flight at most.", DefaultValueFactory = _ => 8 };
        var retries = new Option<int>("--retries") { Description = "Retries of a transient failure per request.", DefaultValueFactory = _ => 6 };
        var progressOption = new Option<string>("--progress") { Description = "auto | bar | lines.", DefaultValueFactory = _ => "auto" };

        var command = new Command("ingest", "Ingest Binance klines into the local Parquet lake (resumable; re-runs are idempotent).");
        foreach (var o in new Option[] { symbols, interval, from, to, lake, source, binanceUrl, archiveUrl, concurrency, retries, progressOption })
            command.Options.Add(o);
        command.SetAction((parse, ct) => RunAsync(context, new Args(
            parse.GetValue(symbols)!, parse.GetValue(interval)!, parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(lake)!,
            parse.GetValue(source)!, parse.GetValue(binanceUrl), parse.GetValue(archiveUrl), parse.GetValue(concurrency),
            parse.GetValue(retries), parse.GetValue(progressOption)!), ct));
        return command;
    }

    private sealed record Args(string Symbols, string Interval, string From, string To, string Lake, string Source, string? BinanceUrl,
        string? ArchiveUrl, int Concurrency, int Retries, string Progress);

    private static async Task<int> RunAsync(CliContext context, Args a, CancellationToken ct)
    {
        // 1. Inputs: everything is validated before it reaches a URL or a path.
        List<SymbolId> symbolList;
        Interval iv;
        long fromMs, toMs;
        try
        {
            symbolList = a.Symbols.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(SymbolId.Parse).Distinct().ToList();
            if (symbolList.Count == 0) throw new InvalidSymbolException(a.Symbols, "no symbol given");
            iv = Interval.Parse(a.Interval);
            fromMs = ParseInstant(a.From, "--from");
            toMs = ParseInstant(a.To, "--to");
            if (toMs <= fromMs) throw new MarketAnalyticsException($"--to ({a.To}) must be after --from ({a.From}); --to is exclusive.");
            if (a.Progress is not ("auto" or "bar" or "lines")) throw new MarketAnalyticsException($"--progress must be auto, bar or lines (was '{a.Progress}').");
        }
        catch (MarketAnalyticsException e)
        {
            return context.Fail(e);
        }

        var kind = a.Source switch
        {
            "rest" => BinanceSourceKind.Rest,
            "archive" => BinanceSourceKind.Archive,
            _ => BinanceSourceKind.LocalDirectory,
        };
        if (kind == BinanceSourceKind.LocalDirectory && !Directory.Exists(a.Source))
            return context.Fail(new MarketAnalyticsException($"--source '{a.Source}' is neither 'rest', 'archive' nor an existing folder."));

        MarketAnalyticsRuntime runtime;
        try
        {
            runtime = context.CreateBuilder()
                .AddParquetLake(o => o.Root = a.Lake)
                .AddBinanceSource(o =>
                {
                    if (a.BinanceUrl is not null) o.RestBaseUrl = a.BinanceUrl;
                    if (a.ArchiveUrl is not null) o.ArchiveBaseUrl = a.ArchiveUrl;
                    o.Source = kind;
                    if (kind == BinanceSourceKind.LocalDirectory) o.LocalDirectory = a.Source;
                    o.MaxConcurrentRequests = a.Concurrency;
                    o.MaxRetries = a.Retries;
                })
                .Build();
        }
        catch (MarketAnalyticsException e)
        {
            return context.Fail(e);
        }

        await using (runtime)
        {
            var lakeStore = runtime.Get<IParquetLake>();
            try
            {
                lakeStore.EnsureWritable();
            }
            catch (LakeNotWritableException e)
            {
                return context.Fail(e, CliApp.EnvironmentError);
            }

            var dataSource = runtime.Get<IMarketDataSource>();
            var rest = runtime.Get<IBinanceClient>();
            try
            {
                if (kind != BinanceSourceKind.LocalDirectory)
                {
                    // One exchangeInfo call validates every symbol (-1121 otherwise) and reads the live rate limits.
                    // In archive mode the REST host is only needed for recent days, so its absence is not fatal there.
                    try
                    {
                        var info = await rest.GetExchangeInfoAsync(symbolList, ct).ConfigureAwait(false);
                        foreach (var s in symbolList)
                        {
                            if (!info.Symbols.Any(x => x.Symbol == s))
                                throw new BinanceApiException(BinanceApiException.InvalidSymbol, $"Invalid symbol {s}.", 400, "/api/v3/exchangeInfo");
                        }
                    }
                    catch (BinanceUnreachableException e) when (kind == BinanceSourceKind.Archive)
                    {
                        await context.Err.WriteLineAsync($"warning: {e.Message}; symbols not validated, continuing with archives only.").ConfigureAwait(false);
                    }
                }

                var progress = new ProgressBoard(symbolList, context.Out,
                    a.Progress == "bar" || (a.Progress == "auto" && ReferenceEquals(context.Out, Console.Out) && !Console.IsOutputRedirected));
                var stopwatch = Stopwatch.StartNew();
                using var drawCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var drawing = progress.RunAsync(drawCts.Token);
                var tasks = symbolList.Select(s => IngestOneAsync(lakeStore, dataSource, rest, new CandleRange(s, iv, fromMs, toMs), progress, ct)).ToList();
                IngestLine[] lines;
                try
                {
                    lines = await Task.WhenAll(tasks).ConfigureAwait(false);
                }
                finally
                {
                    await drawCts.CancelAsync().ConfigureAwait(false);
                    await drawing.ConfigureAwait(false);
                }
                foreach (var line in lines) await context.Out.WriteLineAsync(line.Text).ConfigureAwait(false);
                var totalWritten = lines.Sum(l => l.Result.Write.Written);
                await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"done: {lines.Length} symbol(s), {totalWritten} new candles in {stopwatch.Elapsed.TotalSeconds:F1} s; lake {lakeStore.Root}")).ConfigureAwait(false);
                if (dataSource is IBinanceArchiveSource archive)
                {
                    await context.Out.WriteLineAsync($"archive: {archive.FilesRead} files verified and read, {archive.RestSegments} period(s) from REST, {archive.Statistics.Retries} retries").ConfigureAwait(false);
                }
                return CliApp.Ok;
            }
            catch (BinanceApiException e) when (e.Code == BinanceApiException.InvalidSymbol)
            {
                return context.Fail(new MarketAnalyticsException($"unknown symbol: Binance says '{e.ApiMessage}' (code {e.Code}). Symbols asked: {string.Join(",", symbolList)}.", e));
            }
            catch (BinanceUnreachableException e)
            {
                context.Err.WriteLine($"error: {e.Message}");
                context.Err.WriteLine("hint: check the network or --binance-url/--archive-url, or ingest from local files with --source <dir> (data.binance.vision zips, CSVs or freqtrade JSON).");
                return CliApp.EnvironmentError;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return context.Fail(new MarketAnalyticsException($"writing the lake failed: {e.Message}", e), CliApp.EnvironmentError);
            }
            catch (MarketAnalyticsException e)
            {
                return context.Fail(e);
            }
        }
    }

    private sealed record IngestLine(IngestResult Result, string Text);

    private static async Task<IngestLine> IngestOneAsync(IParquetLake lake, IMarketDataSource source, IBinanceClient rest, CandleRange range,
        ProgressBoard board, CancellationToken ct)
    {
        var result = await lake.Ingestor.IngestAsync(source, range, new SyncProgress(board), ct).ConfigureAwait(false);
        var stats = rest.StatisticsFor(range.Symbol);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{range.Symbol} {range.Interval.Name}: {result.Write.Written} candles written, {result.Write.Replaced} replaced, {result.Write.Unchanged} unchanged " +
            $"({result.Received} received{(result.ResumedFrom is long r ? $", resumed from {DateTimeOffset.FromUnixTimeMilliseconds(r):yyyy-MM-ddTHH:mm}Z" : "")}); " +
            $"{stats.Requests} requests, {stats.Retries} retries, {stats.RateLimited} 429s, {result.Elapsed.TotalSeconds:F1} s");
        return new IngestLine(result, text);
    }

    private sealed class SyncProgress(ProgressBoard board) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value) => board.Report(value);
    }

    private static long ParseInstant(string text, string option)
    {
        if (DateTimeOffset.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var day))
            return day.ToUnixTimeMilliseconds();
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
            return t.ToUnixTimeMilliseconds();
        throw new MarketAnalyticsException($"{option} '{text}' is not a date (yyyy-MM-dd) or an ISO 8601 instant.");
    }

    /// <summary>Draws one progress bar line on a terminal; silent otherwise.</summary>
    private sealed class ProgressBoard(IReadOnlyList<SymbolId> symbols, TextWriter output, bool enabled)
    {
        private readonly Dictionary<SymbolId, IngestProgress> _state = new();
        private readonly Lock _gate = new();

        public void Report(IngestProgress p)
        {
            lock (_gate) _state[p.Symbol] = p;
        }

        public async Task RunAsync(CancellationToken ct)
        {
            if (!enabled) return;
            try
            {
                while (true)
                {
                    Draw();
                    await Task.Delay(250, ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                Draw();
                await output.WriteLineAsync().ConfigureAwait(false);
            }
        }

        private void Draw()
        {
            double sum = 0;
            long candles = 0;
            lock (_gate)
            {
                foreach (var s in symbols)
                {
                    if (_state.TryGetValue(s, out var p)) { sum += p.Fraction; candles += p.Candles; }
                }
            }
            var fraction = symbols.Count == 0 ? 1 : sum / symbols.Count;
            const int width = 30;
            var filled = (int)Math.Round(fraction * width);
            output.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r[{new string('#', filled)}{new string('.', width - filled)}] {fraction * 100,5:F1}%  {candles} candles, {symbols.Count} symbol(s)"));
        }
    }
}
