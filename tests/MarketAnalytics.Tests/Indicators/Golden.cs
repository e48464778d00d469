using System.Collections.Concurrent;
using System.Text.Json;
using MarketAnalytics.IO;
using MarketAnalytics.Testing;
using Xunit;

namespace MarketAnalytics.Tests.Indicators;

/// <summary>One golden file written by tools/golden/generate.js (TA-Lib 1.1.6 npm = TA-Lib C 0.6).</summary>
internal sealed class GoldenFile
{
    private static readonly ConcurrentDictionary<string, GoldenFile> Cache = new();

    public static readonly string[] Files =
    [
        "golden-fixture-walk.json",
        "golden-fixture-tiny.json",
        "golden-btcusdt-1h-2023-03.json",
        "golden-adabtc-1h.json",
    ];

    public static string Folder => Path.Combine(SharedData.RepoRoot, "tests", "MarketAnalytics.Tests", "Indicators", "Golden");

    public required string Name { get; init; }
    public required string InputKind { get; init; }
    public required string InputPath { get; init; }
    public required SymbolId Symbol { get; init; }
    public required Interval Interval { get; init; }
    public required long[] OpenTime { get; init; }
    public required double FirstClose { get; init; }
    public required double LastClose { get; init; }
    public required IReadOnlyList<GoldenCase> Cases { get; init; }

    public static GoldenFile Load(string name) => Cache.GetOrAdd(name, static n =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Folder, n)));
        var root = doc.RootElement;
        var input = root.GetProperty("input");
        var cases = new List<GoldenCase>();
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            var cols = new List<(string, double[])>();
            foreach (var col in c.GetProperty("columns").EnumerateObject())
            {
                cols.Add((col.Name, col.Value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble()).ToArray()));
            }
            cases.Add(new GoldenCase(c.GetProperty("spec").GetString()!, cols));
        }
        return new GoldenFile
        {
            Name = n,
            InputKind = input.GetProperty("kind").GetString()!,
            InputPath = input.GetProperty("path").GetString()!,
            Symbol = SymbolId.Parse(input.GetProperty("symbol").GetString()!),
            Interval = Interval.Parse(input.GetProperty("interval").GetString()!),
            OpenTime = root.GetProperty("open_time").EnumerateArray().Select(v => v.GetInt64()).ToArray(),
            FirstClose = root.GetProperty("first_close").GetDouble(),
            LastClose = root.GetProperty("last_close").GetDouble(),
            Cases = cases,
        };
    });

    /// <summary>Reads the input series: a committed fixture, or real data from ../shared/data (skips when absent).</summary>
    public CandleSeries ReadInput()
    {
        var path = InputKind == "fixture" ? Path.Combine(Folder, InputPath) : SharedData.Require(InputPath);
        var series = KlineReader.ReadFile(path, Symbol, Interval);
        Assert.True(series.Count == OpenTime.Length, $"{InputPath}: {series.Count} rows, golden has {OpenTime.Length}; the input changed since the golden was generated.");
        Assert.Equal(OpenTime, series.OpenTime.ToArray());
        Assert.Equal(FirstClose, series.Close[0]);
        Assert.Equal(LastClose, series.Close[series.Count - 1]);
        return series;
    }

    public static IEnumerable<object[]> AllCases()
    {
        foreach (var f in Files)
        {
            foreach (var c in Load(f).Cases) yield return [f, c.Spec];
        }
    }
}

internal sealed record GoldenCase(string Spec, IReadOnlyList<(string Column, double[] Values)> Columns);

internal static class Compare
{
    public const double RelTol = 1e-9;

    /// <summary>Same NaN positions and values within 1e-9 relative; returns the first problem or null.</summary>
    public static string? Values(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what)
    {
        if (expected.Length != actual.Length) return $"{what}: length {actual.Length}, expected {expected.Length}";
        for (var i = 0; i < expected.Length; i++)
        {
            var problem = Value(expected[i], actual[i]);
            if (problem is not null) return $"{what}[{i}]: {problem}";
        }
        return null;
    }

    public static string? Value(double e, double a)
    {
        if (double.IsNaN(e) || double.IsNaN(a))
            return double.IsNaN(e) && double.IsNaN(a) ? null : $"expected {e:R}, got {a:R} (warm-up/NaN index differs)";
        if (e == a) return null;
        var diff = Math.Abs(e - a);
        return diff <= RelTol * Math.Max(Math.Abs(e), Math.Abs(a)) ? null : $"expected {e:R}, got {a:R} (relative difference {diff / Math.Max(Math.Abs(e), Math.Abs(a)):E2})";
    }

    public static void Equal(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what)
    {
        var p = Values(expected, actual, what);
        Assert.True(p is null, p);
    }
}
