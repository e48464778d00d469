using System.CommandLine;
using System.Globalization;
using System.Text;
using MarketAnalytics.IO;

namespace MarketAnalytics.Cli.Commands;

/// <summary><c>marketanalytics indicators</c>: computes indicators over a kline file (or a labelled synthetic series) and writes a CSV.</summary>
internal static class IndicatorsCommand
{
    public const string DefaultSpec = "sma(20),ema(20),rsi(14),macd(12,26,9),bbands(20,2,2),atr(14)";
    private const int SyntheticRows = 500;
    private const int SyntheticSeed = 42;

    public static Command Create(CliContext context)
    {
        var input = new Option<string?>("--input", "-i") { Description = "Kline file: data.binance.vision CSV/zip or freqtrade JSON. Omit to use a small seeded synthetic random walk (labelled as synthetic on stderr)." };
        var spec = new Option<string>("--spec", "-s")
        {
            Description = "Indicator specs, e.g. \"sma(20),macd(12,26,9),sma(rsi(14),5),ema(macd(12,26,9).signal,3)\"; \"all\" = every built-in with defaults.",
            DefaultValueFactory = _ => DefaultSpec,
        };
        var output = new Option<string?>("--output", "-o") { Description = "Output CSV path (written atomically). Omit to write to stdout." };
        var plugins = new Option<string[]>("--plugin") { Description = "Assembly with custom IIndicatorDefinition types to register (repeatable).", AllowMultipleArgumentsPerToken = false };
        var symbol = new Option<string?>("--symbol") { Description = "Symbol of the input (overrides inference from the file name), e.g. BTCUSDT." };
        var interval = new Option<string?>("--interval") { Description = "Candle interval of the input (overrides inference from the file name), e.g. 1h." };
        var engine = EngineOption.Create();

        var command = new Command("indicators", "Compute technical indicators over a kline file and write a CSV (open_time in Unix ms, one column per indicator output).");
        command.Options.Add(input);
        command.Options.Add(spec);
        command.Options.Add(output);
        command.Options.Add(plugins);
        command.Options.Add(symbol);
        command.Options.Add(interval);
        command.Options.Add(engine);
        command.SetAction((parse, cancellationToken) => RunAsync(context,
            parse.GetValue(input), parse.GetValue(spec) ?? DefaultSpec, parse.GetValue(output),
            parse.GetValue(plugins) ?? [], parse.GetValue(symbol), parse.GetValue(interval), parse.GetValue(engine), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string? inputPath, string specText, string? outputPath,
        string[] plugins, string? symbolText, string? intervalText, string? engineText, CancellationToken cancellationToken)
    {
        IReadOnlyList<IIndicator> indicators;
        CandleSeries series;
        MarketAnalyticsBuilder builder;
        try
        {
            builder = context.CreateBuilder(plugins);
            indicators = builder.Indicators.ResolveList(specText);
            series = ReadSeries(context, inputPath, symbolText, intervalText);
        }
        catch (Exception e) when (e is MarketAnalyticsException or ArgumentException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return context.Fail(e);
        }
        catch (IOException e)
        {
            return context.Fail(e, CliApp.EnvironmentError);
        }

        var n = series.Count;
        var names = new List<string>();
        var columns = new List<double[]>();
        if (!EngineOption.IsInProcess(engineText))
        {
            try
            {
                (names, columns) = await EngineOption.RunIndicatorsAsync(engineText!, builder.Indicators, specText, series, cancellationToken);
            }
            catch (MarketAnalyticsException e)
            {
                return context.Fail(e, EngineOption.ExitCode(e));
            }
            indicators = [];
        }
        try
        {
            ComputeInProcess(indicators, series, names, columns, cancellationToken);
        }
        catch (MarketAnalyticsException e)
        {
            return context.Fail(e);
        }
        var duplicate = names.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            return context.Fail(new InvalidSpecException(specText, $"column '{duplicate.Key}' would appear twice; list each indicator once"));

        try
        {
            if (outputPath is null)
            {
                await WriteCsvAsync(context.Out, series.OpenTime.ToArray(), names, columns, cancellationToken);
            }
            else
            {
                await WriteFileAtomicallyAsync(outputPath, series.OpenTime.ToArray(), names, columns, cancellationToken);
                await context.Err.WriteLineAsync($"wrote {n} rows x {names.Count} indicator columns for {series.Symbol} {series.Interval} to {outputPath}");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return context.Fail(new MarketAnalyticsException($"cannot write '{outputPath}': {e.Message}", e), CliApp.EnvironmentError);
        }
        return CliApp.Ok;
    }

    /// <summary>Runs the in-process kernels (synchronous: the input spans cannot cross an await).</summary>
    private static void ComputeInProcess(IReadOnlyList<IIndicator> indicators, CandleSeries series, List<string> names, List<double[]> columns, CancellationToken cancellationToken)
    {
        var n = series.Count;
        var inputColumns = IndicatorInput.FromSeries(series);
        foreach (var indicator in indicators)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var buffer = new double[indicator.Outputs.Count * n];
            indicator.Compute(inputColumns, buffer);
            for (var k = 0; k < indicator.Outputs.Count; k++)
            {
                names.Add(indicator.ColumnNames[k]);
                columns.Add(buffer.AsSpan(k * n, n).ToArray());
            }
        }
    }

    private static CandleSeries ReadSeries(CliContext context, string? path, string? symbolText, string? intervalText)
    {
        if (path is null)
        {
            var symbol = symbolText is null ? SymbolId.Parse("SYNTHETIC") : SymbolId.Parse(symbolText);
            var interval = intervalText is null ? Interval.OneHour : Interval.Parse(intervalText);
            context.Err.WriteLine($"note: no --input given; using SYNTHETIC data: a seeded random walk of {SyntheticRows} {interval} candles (seed {SyntheticSeed}), not market data.");
            return Synthetic(symbol, interval, SyntheticRows, SyntheticSeed);
        }
        if (symbolText is null && intervalText is null) return KlineReader.ReadFile(path);
        SymbolId inferredSymbol = default;
        Interval inferredInterval = default;
        var inferred = KlineReader.TryParseFileName(path, out inferredSymbol, out inferredInterval);
        if ((symbolText is null || intervalText is null) && !inferred)
            throw new MalformedDataException(path, 0, "cannot infer symbol and interval from the file name; pass both --symbol and --interval");
        var sym = symbolText is null ? inferredSymbol : SymbolId.Parse(symbolText);
        var iv = intervalText is null ? inferredInterval : Interval.Parse(intervalText);
        return KlineReader.ReadFile(path, sym, iv);
    }

    /// <summary>A reproducible geometric random walk with plausible highs, lows and volumes.</summary>
    internal static CandleSeries Synthetic(SymbolId symbol, Interval interval, int rows, int seed)
    {
        var rng = new Random(seed);
        var series = new CandleSeries(symbol, interval, rows);
        var t = interval.Floor(DateTimeOffset.Parse("2024-01-01T00:00:00Z", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds());
        var price = 100.0;
        for (var i = 0; i < rows; i++)
        {
            var open = price;
            price *= Math.Exp((rng.NextDouble() - 0.5) * 0.02);
            var close = Math.Round(price, 4);
            var high = Math.Round(Math.Max(open, close) * (1 + rng.NextDouble() * 0.004), 4);
            var low = Math.Round(Math.Min(open, close) * (1 - rng.NextDouble() * 0.004), 4);
            var volume = Math.Round(10 + rng.NextDouble() * 90, 3);
            var next = interval.Next(t);
            series.Add(new Candle(t, open, high, low, close, volume, next - 1, volume * close, 100 + i % 50, volume / 2, volume * close / 2));
            t = next;
            price = close;
        }
        return series;
    }

    private static async Task WriteFileAtomicallyAsync(string path, long[] openTime, List<string> names, List<double[]> columns, CancellationToken ct)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            await using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16))
            {
                await WriteCsvAsync(writer, openTime, names, columns, ct);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>CSV: header, open_time (Unix ms) then one column per output; round-trip values, empty where undefined.</summary>
    internal static async Task WriteCsvAsync(TextWriter writer, long[] openTime, List<string> names, List<double[]> columns, CancellationToken ct)
    {
        var sb = new StringBuilder(256);
        sb.Append("open_time");
        foreach (var name in names) sb.Append(',').Append(name);
        sb.Append('\n');
        var number = new char[32];
        for (var i = 0; i < openTime.Length; i++)
        {
            // TryFormat into the scratch buffer: no string per row (long always fits in 32 chars).
            openTime[i].TryFormat(number, out var timeWritten, default, CultureInfo.InvariantCulture);
            sb.Append(number, 0, timeWritten);
            foreach (var column in columns)
            {
                sb.Append(',');
                var v = column[i];
                if (double.IsNaN(v)) continue;
                if (v.TryFormat(number, out var written, "R", CultureInfo.InvariantCulture)) sb.Append(number, 0, written);
                else sb.Append(v.ToString("R", CultureInfo.InvariantCulture));
            }
            sb.Append('\n');
            if (sb.Length > 1 << 16)
            {
                await writer.WriteAsync(sb.ToString().AsMemory(), ct);
                sb.Clear();
            }
        }
        await writer.WriteAsync(sb.ToString().AsMemory(), ct);
        await writer.FlushAsync(ct);
    }
}
