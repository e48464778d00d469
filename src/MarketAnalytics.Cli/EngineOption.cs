using System.CommandLine;
using MarketAnalytics.DuckDb;
using MarketAnalytics.Engines.Sql;
using MarketAnalytics.Indicators;
using MarketAnalytics.Spark;

namespace MarketAnalytics.Cli;

/// <summary>The <c>--engine inprocess|duckdb|sc://host:port</c> option shared by the analysis commands.</summary>
internal static class EngineOption
{
    public const string InProcess = "inprocess";

    public static Option<string> Create() => new("--engine")
    {
        Description = "Where to compute: inprocess (default), duckdb (embedded SQL), or a Spark Connect URL sc://host[:port][/;token=...] (Spark SQL). " +
                      "SQL engines leave a recursive indicator's cells empty before its documented horizon.",
        DefaultValueFactory = _ => InProcess,
    };

    public static bool IsInProcess(string? engine) => string.IsNullOrWhiteSpace(engine) || engine.Trim().Equals(InProcess, StringComparison.OrdinalIgnoreCase);

    /// <summary>Creates the SQL engine named by <paramref name="engine"/>.</summary>
    /// <exception cref="InvalidSpecException">Unknown engine name.</exception>
    public static IAnalysisEngine CreateSqlEngine(string engine, IndicatorRegistry registry)
    {
        var text = engine.Trim();
        if (text.Equals("duckdb", StringComparison.OrdinalIgnoreCase)) return DuckDbEngineExtensions.Create(registry, new DuckDbEngineOptions());
        if (SparkConnectionString.IsSparkConnect(text)) return SparkEngineExtensions.Create(registry, new SparkEngineOptions { Remote = text });
        throw new InvalidSpecException(text.Length > 60 ? text[..60] : text, "unknown engine; use inprocess, duckdb or a Spark Connect URL sc://host[:port]");
    }

    /// <summary>Runs the indicator specs on a SQL engine over one series; returns the columns in plan order (NaN where empty).</summary>
    public static async Task<(List<string> Names, List<double[]> Columns)> RunIndicatorsAsync(string engine, IndicatorRegistry registry, string specText, CandleSeries series, CancellationToken cancellationToken)
    {
        var specs = specText.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)
            ? IndicatorRegistry.BuiltinNames.Select(n => new IndicatorSpec(n, [])).ToList()
            : IndicatorSpec.ParseList(specText);
        var sqlEngine = CreateSqlEngine(engine, registry);
        try
        {
            var result = await sqlEngine.RunAsync(new AnalysisPlan(specs, []), series, cancellationToken).ConfigureAwait(false);
            return (result.Columns.Select(c => c.Name).ToList(), result.Columns.Select(c => c.Values).ToList());
        }
        finally
        {
            (sqlEngine as IDisposable)?.Dispose();
        }
    }

    /// <summary>Runs detectors on a SQL engine over one series; <c>all</c> means every detector with a SQL form.</summary>
    public static async Task<IReadOnlyList<Anomaly>> RunDetectorsAsync(string engine, IndicatorRegistry registry, string? detectorList, CandleSeries series, TextWriter err, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> names;
        if (string.IsNullOrWhiteSpace(detectorList) || detectorList.Trim() == "all")
        {
            names = SqlPlanCompiler.BuiltInSqlDetectors;
            var label = SparkConnectionString.IsSparkConnect(engine) ? "spark" : engine.Trim(); // never echo a connection string (token)
            await err.WriteLineAsync($"note: the {label} engine runs the detectors with a SQL form: {string.Join(", ", names)}.").ConfigureAwait(false);
        }
        else
        {
            names = detectorList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }
        var sqlEngine = CreateSqlEngine(engine, registry);
        try
        {
            var result = await sqlEngine.RunAsync(new AnalysisPlan([], names), series, cancellationToken).ConfigureAwait(false);
            return result.Anomalies;
        }
        finally
        {
            (sqlEngine as IDisposable)?.Dispose();
        }
    }

    /// <summary>Exit code for an engine failure: environment (unreachable server) or input.</summary>
    public static int ExitCode(Exception e) => e is SparkConnectUnavailableException ? CliApp.EnvironmentError : CliApp.InputError;
}
