using System.CommandLine;
using System.Globalization;
using System.Text;
using MarketAnalytics.Detectors;
using MarketAnalytics.IO;
using MarketAnalytics.Trades;

namespace MarketAnalytics.Cli.Commands;

/// <summary><c>marketanalytics detect</c>: runs anomaly detectors (streaming, causal) over a kline or trade file and writes one CSV row per alert episode.</summary>
internal static class DetectCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Option<string>("--input") { Description = "Kline file (data.binance.vision CSV/zip, freqtrade JSON), Binance aggTrades CSV/zip, or ccxt trade export (symbol,timestamp,datetime,side,price,amount,...).", Required = true };
        var symbol = new Option<string?>("--symbol") { Description = "Symbol, e.g. NASBTC (default: from the file name or the trade file)." };
        var interval = new Option<string?>("--interval") { Description = "Candle interval; trades are resampled to it (default: from the kline file name, else 1m)." };
        var detectors = new Option<string>("--detectors") { Description = "Comma-separated detector names or 'all'.", DefaultValueFactory = _ => "all" };
        var output = new Option<string?>("--output") { Description = "CSV to write (symbol,open_time,kind,score,severity,explanation); stdout when omitted." };
        var engine = EngineOption.Create();
        var command = new Command("detect", "Detect anomalies (volume spikes, price jumps, flash crashes, pump-and-dumps, regime shifts, data-quality issues) and write one row per alert episode.");
        command.Options.Add(input);
        command.Options.Add(symbol);
        command.Options.Add(interval);
        command.Options.Add(detectors);
        command.Options.Add(output);
        command.Options.Add(engine);
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var builder = context.CreateBuilder();
                var registry = builder.Detectors;
                var engineText = parse.GetValue(engine);
                var chosen = EngineOption.IsInProcess(engineText) ? registry.CreateMany(parse.GetValue(detectors)) : [];
                var loaded = CandleInput.Load(parse.GetValue(input)!, parse.GetValue(symbol), parse.GetValue(interval));
                var anomalies = EngineOption.IsInProcess(engineText)
                    ? Run(loaded.Series, chosen)
                    : await EngineOption.RunDetectorsAsync(engineText!, builder.Indicators, parse.GetValue(detectors), loaded.Series, context.Err, cancellationToken);
                var csv = ToCsv(anomalies);
                var path = parse.GetValue(output);
                if (path is null) context.Out.Write(csv);
                else
                {
                    AtomicFile.WriteAllText(path, csv);
                    context.Out.WriteLine($"{loaded.Description}; {anomalies.Count} alert episode(s) written to {path}");
                    foreach (var g in anomalies.GroupBy(a => a.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
                        context.Out.WriteLine($"  {g.Key}: {g.Count()}");
                }
                return CliApp.Ok;
            }
            catch (MarketAnalyticsException e) { return context.Fail(e, EngineOption.ExitCode(e)); }
            catch (FileNotFoundException e) { return context.Fail(e); }
            catch (DirectoryNotFoundException e) { return context.Fail(e); }
            catch (UnauthorizedAccessException e) { return context.Fail(e, CliApp.EnvironmentError); }
            catch (IOException e) { return context.Fail(e, CliApp.EnvironmentError); }
        });
        return command;
    }

    /// <summary>Streams every candle through every detector (in file order) and returns the alerts ordered by open time.</summary>
    internal static IReadOnlyList<Anomaly> Run(CandleSeries series, IReadOnlyList<IAnomalyDetector> detectors) =>
        DetectorRegistry.Run(series, detectors);

    internal static string ToCsv(IEnumerable<Anomaly> anomalies)
    {
        var sb = new StringBuilder("symbol,open_time,kind,score,severity,explanation\n");
        foreach (var a in anomalies)
        {
            sb.Append(a.Symbol.Value).Append(',')
              .Append(a.OpenTime.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(a.Kind).Append(',')
              .Append(a.Score.ToString("R", CultureInfo.InvariantCulture)).Append(',')
              .Append(a.Severity.ToString().ToLowerInvariant()).Append(',')
              .Append('"').Append(a.Explanation.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"').Append('\n');
        }
        return sb.ToString();
    }
}

/// <summary>Loads candles from a kline file or resamples a trade file.</summary>
internal static class CandleInput
{
    internal sealed record Loaded(CandleSeries Series, string Description, TradeReadResult? Trades);

    public static Loaded Load(string path, string? symbolText, string? intervalText)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Input file '{path}' does not exist.", path);
        var fromName = KlineReader.TryParseFileName(path, out var nameSymbol, out var nameInterval);
        Interval? explicitInterval = intervalText is null ? null : Interval.Parse(intervalText);
        SymbolId? explicitSymbol = symbolText is null ? null : SymbolId.Parse(symbolText);

        if (IsTradeFile(path))
        {
            var read = TradeFileReader.ReadFile(path);
            var symbol = explicitSymbol ?? read.Symbol ?? (fromName ? nameSymbol : throw new MalformedDataException(path, 0, "the trade file does not state its symbol; pass --symbol"));
            var interval = explicitInterval ?? Interval.OneMinute;
            var series = TradeResampler.Resample(read.Trades, symbol, interval);
            return new Loaded(series,
                $"{symbol} {interval}: {read.Rows} trade rows ({read.Layout}, {read.DuplicatesRemoved} duplicate rows dropped, {read.OutOfOrderRows} out of order) resampled to {series.Count} candles",
                read);
        }
        var sym = explicitSymbol ?? (fromName ? nameSymbol : throw new MalformedDataException(path, 0, "cannot infer the symbol from the file name; pass --symbol"));
        var iv = explicitInterval ?? (fromName ? nameInterval : Interval.OneMinute);
        var klines = KlineReader.ReadFile(path, sym, iv);
        return new Loaded(klines, $"{sym} {iv}: {klines.Count} candles", null);
    }

    private static bool IsTradeFile(string path)
    {
        if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            return Path.GetFileName(path).Contains("aggTrades", StringComparison.OrdinalIgnoreCase) || Path.GetFileName(path).Contains("-trades-", StringComparison.OrdinalIgnoreCase);
        Span<byte> head = stackalloc byte[4096];
        using var f = File.OpenRead(path);
        var n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var span = head[..n];
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
        return TradeFileReader.LooksLikeTrades(span, out _);
    }
}

/// <summary>Atomic text writes: temp file in the target folder, then rename.</summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string text)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(tmp, text, new UTF8Encoding(false));
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}
