using System.CommandLine;
using System.Globalization;
using MarketAnalytics.Engines.Sql;

namespace MarketAnalytics.Cli.Commands;

/// <summary><c>marketanalytics sql</c>: prints the SQL an analysis plan compiles to, for pasting into a notebook.</summary>
internal static class SqlCommand
{
    public static Command Create(CliContext context)
    {
        var dialect = new Option<string>("--dialect") { Description = "SQL dialect: spark or duckdb.", DefaultValueFactory = _ => "spark" };
        var spec = new Option<string>("--spec") { Description = "Indicator specs, e.g. \"sma(20),macd(12,26,9)\" (empty for none).", DefaultValueFactory = _ => string.Empty };
        var detectors = new Option<string>("--detectors") { Description = $"Detectors with a SQL form: {string.Join(", ", SqlPlanCompiler.BuiltInSqlDetectors)} (comma-separated).", DefaultValueFactory = _ => string.Empty };
        var lake = new Option<string>("--lake") { Description = "Lake root as the engine sees it (local path, hdfs:// or s3a:// URI).", DefaultValueFactory = _ => "lake" };
        var symbols = new Option<string>("--symbols") { Description = "Comma-separated symbols.", DefaultValueFactory = _ => "BTCUSDT" };
        var interval = new Option<string>("--interval") { Description = "Candle interval.", DefaultValueFactory = _ => "1m" };
        var from = new Option<string?>("--from") { Description = "First open time included (UTC date or ISO-8601 time)." };
        var to = new Option<string?>("--to") { Description = "First open time excluded (UTC date or ISO-8601 time)." };
        var plugins = new Option<string[]>("--plugin") { Description = "Assemblies with custom indicators (those implementing ISqlIndicator compile to SQL).", AllowMultipleArgumentsPerToken = true };
        var command = new Command("sql", "Print the Spark SQL or DuckDB SQL of an analysis plan (indicators and detectors) over the lake.");
        foreach (var o in new Option[] { dialect, spec, detectors, lake, symbols, interval, from, to, plugins }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            try
            {
                var d = SqlDialect.Parse(parse.GetValue(dialect)!);
                var specs = string.IsNullOrWhiteSpace(parse.GetValue(spec)) ? [] : IndicatorSpec.ParseList(parse.GetValue(spec)!);
                var detectorNames = (parse.GetValue(detectors) ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                if (specs.Count == 0 && detectorNames.Length == 0) throw new InvalidSpecException(string.Empty, "give --spec and/or --detectors");
                var selection = new LakeSelection(
                    parse.GetValue(symbols)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(SymbolId.Parse).ToList(),
                    Interval.Parse(parse.GetValue(interval)!),
                    ParseTime(parse.GetValue(from), "--from"),
                    ParseTime(parse.GetValue(to), "--to"));
                var runtime = context.CreateBuilder(parse.GetValue(plugins));
                var compiled = new SqlPlanCompiler(runtime.Indicators).Compile(new AnalysisPlan(specs, detectorNames), SqlSource.Lake(parse.GetValue(lake)!, selection), d);
                if (specs.Count > 0)
                {
                    context.Out.WriteLine($"-- MarketAnalytics {d.Name} SQL: indicators {string.Join(", ", specs)}");
                    foreach (var c in compiled.Columns.Where(c => c.Truncated))
                        context.Out.WriteLine($"-- {c.Name}: truncated recursion, NULL before row {c.FirstRow} of each symbol; {c.ErrorBound}");
                    context.Out.WriteLine(compiled.IndicatorQuery + ";");
                }
                foreach (var detector in compiled.Detectors)
                {
                    context.Out.WriteLine();
                    context.Out.WriteLine($"-- detector {detector.Name}: candidate rows; alert episodes (cool-down) are folded by the engine");
                    context.Out.WriteLine(detector.Query + ";");
                }
                return CliApp.Ok;
            }
            catch (MarketAnalyticsException e)
            {
                return context.Fail(e);
            }
        });
        return command;
    }

    private static long? ParseTime(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)) return t.ToUnixTimeMilliseconds();
        throw new InvalidSpecException(text, $"{option} is not a UTC date or time (e.g. 2023-08-01 or 2023-08-01T12:00:00Z)");
    }
}
