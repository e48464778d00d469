namespace MarketAnalytics.Lake;

/// <summary>Options of the local Parquet lake.</summary>
public sealed class ParquetLakeOptions
{
    /// <summary>Root folder of the lake; klines go under <c>&lt;Root&gt;/klines/exchange=.../</c>.</summary>
    public string Root { get; set; } = "lake";

    /// <summary>Exchange partition value (lower-case letters and digits), e.g. <c>binance</c>.</summary>
    public string Exchange { get; set; } = "binance";

    /// <summary>An ingest commits (writes its partitions and checkpoint) at least every this many candles.</summary>
    public int FlushEveryCandles { get; set; } = 250_000;

    /// <summary>Returns the problems with these options; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Root)) problems.Add("Root must not be empty.");
        else if (Root.IndexOfAny(Path.GetInvalidPathChars()) >= 0) problems.Add($"Root '{Root}' contains characters that are not valid in a path.");
        var exchangeProblem = LakeLayout.CheckExchange(Exchange);
        if (exchangeProblem is not null) problems.Add(exchangeProblem);
        if (FlushEveryCandles < 1000) problems.Add($"FlushEveryCandles must be at least 1000 (was {FlushEveryCandles}).");
        return problems;
    }
}
