using System.CommandLine;
using MarketAnalytics.Cleaning;

namespace MarketAnalytics.Cli.Commands;

/// <summary><c>marketanalytics clean</c>: prints the data-quality report of a kline or trade file and optionally writes it as JSON.</summary>
internal static class CleanCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Option<string>("--input") { Description = "Kline file (CSV/zip/freqtrade JSON) or trade file (aggTrades CSV, ccxt export).", Required = true };
        var symbol = new Option<string?>("--symbol") { Description = "Symbol (default: from the file name or the trade file)." };
        var interval = new Option<string?>("--interval") { Description = "Interval (default: from the kline file name, else 1m)." };
        var report = new Option<string?>("--report") { Description = "Write the full report as JSON to this file." };
        var gapFill = new Option<string>("--gap-fill") { Description = "Gap policy for the cleaned series: none (default) or flat (flat zero-volume candles at the previous close).", DefaultValueFactory = _ => "none" };
        gapFill.AcceptOnlyFromAmong("none", "flat");
        var command = new Command("clean", "Check a kline or trade file: order, duplicates, gaps, trading halts, OHLC consistency, invalid values, stale prices, bad ticks.");
        command.Options.Add(input);
        command.Options.Add(symbol);
        command.Options.Add(interval);
        command.Options.Add(report);
        command.Options.Add(gapFill);
        command.SetAction(parse =>
        {
            try
            {
                var loaded = CandleInput.Load(parse.GetValue(input)!, parse.GetValue(symbol), parse.GetValue(interval));
                var options = new CleaningOptions { GapFill = parse.GetValue(gapFill) == "flat" ? GapFillPolicy.FlatZeroVolume : GapFillPolicy.None };
                var result = DataCleaner.Clean(loaded.Series, options);
                context.Out.WriteLine(loaded.Description);
                context.Out.WriteLine(result.Report.Summary());
                var path = parse.GetValue(report);
                if (path is not null)
                {
                    AtomicFile.WriteAllText(path, result.Report.ToJson());
                    context.Out.WriteLine($"report written to {path}");
                }
                return CliApp.Ok;
            }
            catch (MarketAnalyticsException e) { return context.Fail(e); }
            catch (FileNotFoundException e) { return context.Fail(e); }
            catch (DirectoryNotFoundException e) { return context.Fail(e); }
            catch (UnauthorizedAccessException e) { return context.Fail(e, CliApp.EnvironmentError); }
            catch (IOException e) { return context.Fail(e, CliApp.EnvironmentError); }
        });
        return command;
    }
}
