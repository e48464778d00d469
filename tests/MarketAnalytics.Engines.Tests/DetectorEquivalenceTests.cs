using MarketAnalytics.Detectors;
using MarketAnalytics.DuckDb;
using MarketAnalytics.Indicators;
using MarketAnalytics.IO;
using MarketAnalytics.Testing;
using MarketAnalytics.Trades;
using Xunit;
using Xunit.Abstractions;

namespace MarketAnalytics.Engines.Tests;

/// <summary>The SQL forms of volume_spike, price_jump and pump_and_dump (DuckDB) against the in-process detectors on real data: same alert episodes, same scores.</summary>
public sealed class DetectorEquivalenceTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "events/pump-and-dump/pugoev-2023/trades/VIB_2021-09-05_17.00.csv", "VIBBTC" },
        { "events/pump-and-dump/pugoev-2023/trades/MDA_2021-11-23_15.00.csv", "MDABTC" },
        { "events/pump-and-dump/pugoev-2023/trades/NEBL_2021-08-24_15.00.csv", "NEBLBTC" },
        { "binance/futures-um/klines/NEARUSDT/1m/NEARUSDT-1m-2023-08.csv", "" },
        { "binance/klines/ADABTC/1m/ADA_BTC-1m.json", "" },
    };

    [Fact]
    public async Task VolumeSpikesAndJumpsInjectedIntoARandomWalkMatch()
    {
        var walk = TestLake.RandomWalk("BTCUSDT", 6000, 21);
        var series = new CandleSeries(walk.Symbol, walk.Interval, walk.Count);
        for (var i = 0; i < walk.Count; i++)
        {
            var c = walk[i];
            if (i % 700 == 350) c = c with { Volume = c.Volume * 40, QuoteVolume = c.QuoteVolume * 40 };
            if (i % 900 == 450) c = c with { Close = c.Close * 1.05, High = c.Close * 1.05 };
            if (i % 1300 == 20) c = c with { QuoteVolume = 0, Volume = 0 };
            series.Add(c);
        }
        var engine = DuckDbEngineExtensions.Create(new IndicatorRegistry(), new DuckDbEngineOptions());
        var registry = DetectorRegistry.CreateDefault();
        foreach (var name in new[] { AnomalyKinds.VolumeSpike, AnomalyKinds.PriceJump })
        {
            var expected = DetectorRegistry.Run(series, [registry.Create(name)]);
            var actual = (await engine.RunAsync(new AnalysisPlan([], [name]), series)).Anomalies;
            Assert.True(expected.Count >= 3, $"{name}: only {expected.Count} in-process alerts");
            Assert.Equal(expected.Select(a => a.OpenTime), actual.Select(a => a.OpenTime));
            Assert.Equal(expected.Select(a => Math.Round(a.Score, 9)), actual.Select(a => Math.Round(a.Score, 9)));
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public async Task SqlDetectorsMatchTheInProcessDetectors(string file, string symbol)
    {
        var path = SharedData.Require(file);
        var series = symbol.Length > 0 ? TradeResampler.ResampleFile(path, SymbolId.Parse(symbol), Interval.OneMinute, out _) : KlineReader.ReadFile(path);
        var engine = DuckDbEngineExtensions.Create(new IndicatorRegistry(), new DuckDbEngineOptions());
        var registry = DetectorRegistry.CreateDefault();
        var total = 0;
        foreach (var name in new[] { AnomalyKinds.VolumeSpike, AnomalyKinds.PriceJump, AnomalyKinds.PumpAndDump })
        {
            var expected = DetectorRegistry.Run(series, [registry.Create(name)]);
            var actual = (await engine.RunAsync(new AnalysisPlan([], [name]), series)).Anomalies;
            output.WriteLine($"{file} {name}: in-process {expected.Count}, SQL {actual.Count}");
            Assert.Equal(expected.Select(a => a.OpenTime), actual.Select(a => a.OpenTime));
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Kind, actual[i].Kind);
                Assert.True(Math.Abs(expected[i].Score - actual[i].Score) <= 1e-9 * Math.Max(1, Math.Abs(expected[i].Score)),
                    $"{name} at {expected[i].OpenTime}: score {actual[i].Score:R} vs in-process {expected[i].Score:R}");
                Assert.Equal(expected[i].Severity, actual[i].Severity);
            }
            total += expected.Count;
        }
        output.WriteLine($"{file}: {total} alerts compared");
    }
}
