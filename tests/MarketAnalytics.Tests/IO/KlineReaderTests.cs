using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using MarketAnalytics.IO;
using MarketAnalytics.Testing;
using Xunit;

namespace MarketAnalytics.Tests.IO;

public sealed class KlineReaderTests : IDisposable
{
    private const string Header = "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n";
    private const string Row1 = "1672531200000,16541.77000000,16545.70000000,16508.39000000,16529.67000000,4364.83570000,1672534799999,72146405.41936750,136862,2200.64360000,36374256.88958020,0\n";
    private const string Row2 = "1672534800000,16529.59000000,16556.80000000,16525.78000000,16551.47000000,3590.06669000,1672538399999,59372048.28432830,117380,1830.82950000,30278458.63219300,0\n";
    private readonly string _dir = Directory.CreateTempSubdirectory("ma-reader-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CandleSeries Parse(string text)
    {
        var s = new CandleSeries(SymbolId.Parse("BTCUSDT"), Interval.OneHour);
        KlineReader.Parse(Encoding.UTF8.GetBytes(text), "fixture.csv", s);
        return s;
    }

    [Fact]
    public void Parses_all_twelve_columns_with_and_without_header()
    {
        var withHeader = Parse(Header + Row1 + Row2);
        var without = Parse(Row1 + Row2.TrimEnd('\n'));
        Assert.Equal(2, withHeader.Count);
        Assert.Equal(withHeader.AsCandles(), without.AsCandles());
        var c = withHeader[0];
        Assert.Equal(new Candle(1672531200000, 16541.77, 16545.7, 16508.39, 16529.67, 4364.8357, 1672534799999,
            72146405.4193675, 136862, 2200.6436, 36374256.8895802), c);
    }

    [Fact]
    public void Microsecond_times_are_normalised_to_milliseconds()
    {
        var us = Parse("1735689600000000,1,2,0.5,1.5,10,1735689659999999,15,3,5,7.5,0\r\n");
        Assert.Equal(1735689600000, us[0].OpenTime);
        Assert.Equal(1735689659999, us[0].CloseTime);
    }

    [Theory]
    [InlineData("1672531200000,1,2,0.5,1.5,10,1672534799999,15,3,5,7.5\n", 1, "found 11")]
    [InlineData("1672531200000,1,2,0.5,1.5,10,1672534799999,15,3,5,7.5,0,9\n", 1, "more than 12")]
    [InlineData("1672531200000,1,2,0.5,1.5,10,1672534799999,15,3,5,7.5,0\n1672534800000,1,x2,0.5,1.5,10,1672538399999,15,3,5,7.5,0\n", 2, "'high': 'x2'")]
    [InlineData("1672531200000,1,2,0.5,1.5,10,1672534799999,15,3.5,5,7.5,0\n", 1, "'count': '3.5'")]
    [InlineData("hello,world\n", 1, "neither a kline row")]
    [InlineData("1672531200000,1,2,0.5,NaN,10,1672534799999,15,3,5,7.5,0\n", 1, "'close': 'NaN'")]
    [InlineData("1672531200000,1,Infinity,0.5,1.5,10,1672534799999,15,3,5,7.5,0\n", 1, "'high': 'Infinity'")]
    [InlineData("1672531200000,1,2,0.5,1.5,1e400,1672534799999,15,3,5,7.5,0\n", 1, "'volume': '1e400'")]
    [InlineData("1672531200000,1,2,0.5,1.5,10,1672534799999,15,3,5,,0\n", 1, "'taker_buy_quote_volume': ''")]
    public void Malformed_rows_name_file_line_and_problem(string text, long line, string fragment)
    {
        var e = Assert.Throws<MalformedDataException>(() => Parse(text));
        Assert.Equal("fixture.csv", e.Source);
        Assert.Equal(line, e.Position);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void Reads_freqtrade_json_and_derives_close_time()
    {
        var path = Path.Combine(_dir, "ADA_BTC-1m.json");
        File.WriteAllText(path, "[[1680365520000,1.05e-05,1.06e-05,1.04e-05,1.05e-05,1234.5],[1680365580000,1.05e-05,1.05e-05,1.05e-05,1.05e-05,0.0]]");
        var s = KlineReader.ReadFile(path);
        Assert.Equal("ADABTC", s.Symbol.Value);
        Assert.Equal(Interval.OneMinute, s.Interval);
        Assert.Equal(2, s.Count);
        Assert.Equal(1680365520000 + 59_999, s[0].CloseTime);
        Assert.Equal(1.06e-05, s[0].High);
        Assert.True(double.IsNaN(s[0].QuoteVolume));
        Assert.Equal(-1, s[0].TradeCount);
    }

    [Theory]
    [InlineData("[[1680365520000,1,2,0.5,1.5]]", 0, "has 5 values")]
    [InlineData("[[1680365520000,1,2,0.5,1.5,3],[1680365580000,\"a\",2,0.5,1.5,3]]", 1, "value 1 is a String")]
    [InlineData("[[1680365520000,1,2,0.5,1.5,3],{}]", 1, "is a StartObject")]
    [InlineData("[[1680365520000,1,2,0.5,1.5,3]", 1, "")]
    public void Malformed_json_names_the_element(string json, long element, string fragment)
    {
        var s = new CandleSeries(SymbolId.Parse("ADABTC"), Interval.OneMinute);
        var e = Assert.Throws<MalformedDataException>(() => KlineReader.Parse(Encoding.UTF8.GetBytes(json), "x.json", s));
        Assert.Equal(element, e.Position);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void Zip_with_matching_checksum_is_read_and_a_mismatch_is_refused()
    {
        var zipPath = Path.Combine(_dir, "BTCUSDT-1h-2023-01.zip");
        using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
        using (var w = new StreamWriter(zip.CreateEntry("BTCUSDT-1h-2023-01.csv").Open()))
            w.Write(Row1 + Row2);
        var digest = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(zipPath)));
        File.WriteAllText(zipPath + ".CHECKSUM", $"{digest}  BTCUSDT-1h-2023-01.zip\n");

        var s = KlineReader.ReadFile(zipPath);
        Assert.Equal(2, s.Count);
        Assert.Equal(Interval.OneHour, s.Interval);

        File.WriteAllText(zipPath + ".CHECKSUM", $"{new string('0', 64)}  BTCUSDT-1h-2023-01.zip\n");
        var e = Assert.Throws<ChecksumMismatchException>(() => KlineReader.ReadFile(zipPath));
        Assert.Equal(digest, e.Actual);
    }

    [Fact]
    public void Corrupt_zip_is_a_typed_error()
    {
        var path = Path.Combine(_dir, "BTCUSDT-1h-2023-01.zip");
        File.WriteAllBytes(path, [0x50, 0x4b, 1, 2, 3]);
        Assert.Throws<MalformedDataException>(() => KlineReader.ReadFile(path));
    }

    [Fact]
    public void Zip_with_more_than_one_entry_and_an_unreadable_checksum_file_are_typed_errors()
    {
        var path = Path.Combine(_dir, "BTCUSDT-1h-2023-02.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var w = new StreamWriter(zip.CreateEntry("a.csv").Open())) w.Write(Row1);
            using (var w = new StreamWriter(zip.CreateEntry("b.csv").Open())) w.Write(Row2);
        }
        var e = Assert.Throws<MalformedDataException>(() => KlineReader.ReadFile(path));
        Assert.Contains("found 2 entries", e.Message);

        var csv = Path.Combine(_dir, "BTCUSDT-1h-2023-03.csv");
        File.WriteAllText(csv, Row1);
        File.WriteAllText(csv + ".CHECKSUM", "not-a-digest  BTCUSDT-1h-2023-03.csv\n");
        e = Assert.Throws<MalformedDataException>(() => KlineReader.ReadFile(csv));
        Assert.Equal(csv + ".CHECKSUM", e.Source);
        Assert.Contains("64-digit SHA-256", e.Message);
    }

    [Fact]
    public void Zip_entry_declaring_more_than_an_array_holds_is_a_typed_error()
    {
        var path = Path.Combine(_dir, "BTCUSDT-1h-2023-01.zip");
        using (var archive = new ZipArchive(File.Create(path), ZipArchiveMode.Create))
        {
            using var w = new StreamWriter(archive.CreateEntry("BTCUSDT-1h-2023-01.csv").Open());
            w.Write(Row1);
        }
        // Forge the central directory's uncompressed size (offset 24 of the 0x02014b50 record) to 4 GiB - 1.
        var bytes = File.ReadAllBytes(path);
        var cd = bytes.AsSpan().IndexOf("PK\u0001\u0002"u8);
        Assert.True(cd > 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(cd + 24), uint.MaxValue);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<MalformedDataException>(() => KlineReader.ReadFile(path));
        Assert.Contains("4294967295 bytes", e.Message);
    }

    [Theory]
    [InlineData("BTCUSDT-1m-2025-01-01.zip", "BTCUSDT", "1m")]
    [InlineData("BTCUSDT-1mo-2023-01.zip", "BTCUSDT", "1M")]
    [InlineData("FILUSDT-1m-2023-08.csv", "FILUSDT", "1m")]
    [InlineData("BTC_USDT-5m.json", "BTCUSDT", "5m")]
    public void Infers_symbol_and_interval_from_file_names(string name, string symbol, string interval)
    {
        Assert.True(KlineReader.TryParseFileName("/x/" + name, out var s, out var i));
        Assert.Equal(symbol, s.Value);
        Assert.Equal(interval, i.Name);
    }

    [Theory]
    [InlineData("../etc-1m-2023-01.csv")]
    [InlineData("btcusdt-1m-2023-01.csv")]
    [InlineData("BTCUSDT-7m-2023-01.csv")]
    public void Rejects_names_it_cannot_trust(string name) => Assert.False(KlineReader.TryParseFileName(name, out _, out _));

    [Theory]
    [InlineData("16541.77000000")]
    [InlineData("0.00001050")]
    [InlineData("-3.5")]
    [InlineData("72146405.41936750")]
    [InlineData("123456789012345678901234567890")]
    [InlineData("1e-5")]
    [InlineData("0")]
    [InlineData("0.1")]
    [InlineData("9007199254740993")]
    [InlineData("4.9406564584124654E-324")]
    public void Fast_number_parsing_rounds_exactly_like_the_framework(string text)
    {
        Assert.True(FastNumber.TryParseDouble(Encoding.ASCII.GetBytes(text), out var v));
        Assert.Equal(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture), v);
    }

    [Fact]
    public void Fast_number_parsing_matches_the_framework_on_random_decimals()
    {
        var rng = new Random(7);
        for (var i = 0; i < 200_000; i++)
        {
            var text = $"{rng.NextInt64(0, 10_000_000_000)}.{rng.Next(0, 100_000_000):D8}";
            Assert.True(FastNumber.TryParseDouble(Encoding.ASCII.GetBytes(text), out var v));
            Assert.Equal(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture), v);
        }
    }

    [Fact]
    public void Fast_field_parsing_matches_the_framework_and_moves_past_the_comma()
    {
        // The CSV hot path uses TryParseDoubleField (its own fast path), not TryParseDouble: check it on its own.
        var rng = new Random(11);
        for (var i = 0; i < 100_000; i++)
        {
            var text = (i % 6) switch
            {
                0 => $"{rng.NextInt64(0, 100_000_000_000)}.{rng.Next(0, 100_000_000):D8}",
                1 => $"-{rng.Next(0, 100_000)}.{rng.NextInt64(0, 10_000_000_000_000_000):D16}",
                2 => $"0.{rng.Next(0, 1000):D12}",
                3 => $"{rng.NextInt64(1_000_000_000_000_000, long.MaxValue)}{rng.Next(0, 1000)}.5",
                4 => $"00{rng.Next(0, 10_000)}.{rng.Next(0, 10)}000000000000000000000000",
                _ => $"{rng.NextDouble() * Math.Pow(10, rng.Next(-30, 30)):R}",
            };
            var line = Encoding.ASCII.GetBytes(text + ",42");
            var pos = 0;
            Assert.True(FastNumber.TryParseDoubleField(line, ref pos, out var v), text);
            Assert.Equal(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture), v);
            Assert.Equal(text.Length + 1, pos);
            Assert.True(FastNumber.TryParseDoubleField(line, ref pos, out var next));
            Assert.Equal(42.0, next);
            Assert.Equal(line.Length, pos);
        }
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("-Infinity")]
    [InlineData("1e309")]
    [InlineData("")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    public void Fast_number_parsing_rejects_what_is_not_a_finite_number(string text)
    {
        Assert.False(FastNumber.TryParseDouble(Encoding.ASCII.GetBytes(text), out _));
        var pos = 0;
        Assert.False(FastNumber.TryParseDoubleField(Encoding.ASCII.GetBytes(text + ",1"), ref pos, out _));
    }

    [SkippableTheory]
    [InlineData("binance/klines/BTCUSDT/1h/BTCUSDT-1h-2023-03.csv", 743)]
    [InlineData("binance/futures-um/klines/FILUSDT/1m/FILUSDT-1m-2023-08.csv", 44640)]
    [InlineData("binance/klines/ADABTC/1m/ADA_BTC-1m.json", 43205)]
    public void Reads_real_archives_completely(string relative, int rows)
    {
        var path = SharedData.Require(relative);
        var s = KlineReader.ReadFile(path);
        Assert.Equal(rows, s.Count);
        var open = s.OpenTime;
        for (var i = 1; i < open.Length; i++) Assert.True(open[i] > open[i - 1]);
        for (var i = 0; i < s.Count; i++)
        {
            var c = s[i];
            Assert.True(c.High >= Math.Max(c.Open, c.Close) && c.Low <= Math.Min(c.Open, c.Close));
        }
        // Cross-check every value against the framework parser.
        if (relative.EndsWith(".csv"))
        {
            var lines = File.ReadAllLines(path).Where(l => l.Length > 0 && char.IsDigit(l[0])).ToArray();
            for (var i = 0; i < lines.Length; i++)
            {
                var f = lines[i].Split(',');
                Assert.Equal(double.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture), s.Close[i]);
                Assert.Equal(double.Parse(f[7], System.Globalization.CultureInfo.InvariantCulture), s.QuoteVolume[i]);
                Assert.Equal(long.Parse(f[6]), s.CloseTime[i]);
            }
        }
    }
}
