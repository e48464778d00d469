namespace MarketAnalytics;

/// <summary>Core options shared by every MarketAnalytics package.</summary>
public sealed class MarketAnalyticsOptions
{
    /// <summary>Root folder of the local Parquet lake.</summary>
    public string LakePath { get; set; } = "lake";

    /// <summary>Returns the problems with these options; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(LakePath)) problems.Add("LakePath must not be empty.");
        else if (LakePath.IndexOfAny(Path.GetInvalidPathChars()) >= 0) problems.Add($"LakePath '{LakePath}' contains characters that are not valid in a path.");
        return problems;
    }
}

/// <summary>Options that failed validation at start-up.</summary>
public sealed class InvalidOptionsException : MarketAnalyticsException
{
    /// <summary>Creates the exception listing every problem.</summary>
    public InvalidOptionsException(string optionsName, IReadOnlyList<string> problems)
        : base($"{optionsName} are invalid: {string.Join(" ", problems)}")
    {
        OptionsName = optionsName;
        Problems = problems;
    }

    /// <summary>Which options type failed.</summary>
    public string OptionsName { get; }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Problems { get; }
}
