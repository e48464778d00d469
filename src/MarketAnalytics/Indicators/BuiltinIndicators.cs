using System.Globalization;

namespace MarketAnalytics.Indicators;

/// <summary>Definition of a built-in indicator family.</summary>
internal sealed class BuiltinDefinition(
    string name,
    string description,
    IndicatorParameter[] parameters,
    Func<double[], string, IReadOnlyList<string>, IIndicator> create) : IIndicatorDefinition
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public IReadOnlyList<IndicatorParameter> Parameters { get; } = parameters;

    public IIndicator Create(IReadOnlyList<double> parameters)
    {
        var values = IndicatorParameters.Validate(this, parameters);
        var canonical = IndicatorParameters.CanonicalName(Name, values);
        return create(values, canonical, []);
    }
}

/// <summary>Parameter validation and naming shared by the registry and the built-ins.</summary>
internal static class IndicatorParameters
{
    public static double[] Validate(IIndicatorDefinition definition, IReadOnlyList<double> parameters)
    {
        var spec = definition.Parameters;
        if (parameters.Count != spec.Count)
            throw new InvalidSpecException(CanonicalName(definition.Name, parameters),
                $"{definition.Name} takes {spec.Count} parameter(s) ({Signature(definition)}), got {parameters.Count}");
        var values = new double[spec.Count];
        for (var i = 0; i < spec.Count; i++)
        {
            var p = spec[i];
            var v = parameters[i];
            if (!double.IsFinite(v) || v < p.Min || v > p.Max || (p.IsInteger && v != Math.Floor(v)))
                throw new InvalidSpecException(CanonicalName(definition.Name, parameters),
                    $"parameter '{p.Name}' of {definition.Name} must be {(p.IsInteger ? "an integer" : "a number")} in [{IndicatorSpec.FormatNumber(p.Min)}, {IndicatorSpec.FormatNumber(p.Max)}], got {IndicatorSpec.FormatNumber(v)} ({Signature(definition)})");
            values[i] = v;
        }
        return values;
    }

    public static string Signature(IIndicatorDefinition d) =>
        d.Parameters.Count == 0
            ? d.Name
            : $"{d.Name}({string.Join(", ", d.Parameters.Select(p => $"{p.Name}={IndicatorSpec.FormatNumber(p.Default)}"))})";

    public static string CanonicalName(string name, IReadOnlyList<double> values) =>
        values.Count == 0 ? name : $"{name}({string.Join(",", values.Select(IndicatorSpec.FormatNumber))})";

    public static IReadOnlyList<string> Columns(string stem, IReadOnlyList<string> outputs) =>
        outputs.Count == 1 ? [stem] : outputs.Select(o => $"{stem}_{o}").ToArray();
}

/// <summary>The built-in indicator families with TA-Lib 0.6 defaults, ranges and lookbacks.</summary>
internal static class BuiltinIndicators
{
    private const double MaxPeriod = 100_000;
    private const double MaxDev = 3e37;

    private static IndicatorParameter Period(double def, double min = 2) => new("period", def, min, MaxPeriod);

    public static IEnumerable<IIndicatorDefinition> All()
    {
        string[] single = ["value"];

        yield return Def("sma", "Simple moving average (TA-Lib SMA).", [Period(30)], single, InputColumns.Close,
            p => (int)p[0] - 1, (p, _) => new SmaCore((int)p[0]), p => Kernels.SmaKernel((int)p[0]));
        yield return Def("ema", "Exponential moving average seeded with the SMA of the first period values (TA-Lib EMA).", [Period(30)], single, InputColumns.Close,
            p => (int)p[0] - 1, (p, _) => new EmaCore((int)p[0]), p => Kernels.EmaKernel((int)p[0]));
        yield return Def("wma", "Linearly weighted moving average (TA-Lib WMA).", [Period(30)], single, InputColumns.Close,
            p => (int)p[0] - 1, (p, _) => new WmaCore((int)p[0]));
        yield return Def("dema", "Double exponential moving average 2·EMA − EMA(EMA) (TA-Lib DEMA).", [Period(30)], single, InputColumns.Close,
            p => 2 * ((int)p[0] - 1), (p, _) => new DemaCore((int)p[0]));
        yield return Def("tema", "Triple exponential moving average 3·EMA − 3·EMA² + EMA³ (TA-Lib TEMA).", [Period(30)], single, InputColumns.Close,
            p => 3 * ((int)p[0] - 1), (p, _) => new TemaCore((int)p[0]));
        yield return Def("rsi", "Relative strength index with Wilder smoothing (TA-Lib RSI).", [Period(14)], single, InputColumns.Close,
            p => (int)p[0], (p, _) => new RsiCore((int)p[0]), p => Kernels.RsiKernel((int)p[0]));
        // TA-Lib declares signal >= 1 but its MACD lookback for signal 1 is off by one (misaligned, uninitialised output), so 2 is the minimum here.
        yield return Def("macd", "MACD line, signal and histogram (TA-Lib MACD, including its EMA seeding).",
            [new("fast", 12, 2, MaxPeriod), new("slow", 26, 2, MaxPeriod), new("signal", 9, 2, MaxPeriod)],
            ["macd", "signal", "hist"], InputColumns.Close,
            p => Math.Max((int)p[0], (int)p[1]) - 1 + (int)p[2] - 1,
            (p, _) => new MacdCore((int)p[0], (int)p[1], (int)p[2]), p => Kernels.MacdKernel((int)p[0], (int)p[1], (int)p[2]));
        yield return Def("bbands", "Bollinger bands: SMA middle ± population standard deviation × dev (TA-Lib BBANDS, MA type SMA).",
            [Period(5), new("devup", 2, -MaxDev, MaxDev, false), new("devdn", 2, -MaxDev, MaxDev, false)],
            ["upper", "middle", "lower"], InputColumns.Close,
            p => (int)p[0] - 1, (p, _) => new BbandsCore((int)p[0], p[1], p[2]), p => Kernels.BbandsKernel((int)p[0], p[1], p[2]));
        yield return Def("atr", "Average true range with Wilder smoothing (TA-Lib ATR).", [Period(14, 1)], single, InputColumns.HighLowClose,
            p => (int)p[0], (p, _) => new AtrCore((int)p[0], false), p => Kernels.AtrKernel((int)p[0]));
        yield return Def("natr", "Normalised ATR, 100·ATR/close (TA-Lib NATR).", [Period(14, 1)], single, InputColumns.HighLowClose,
            p => (int)p[0], (p, _) => new AtrCore((int)p[0], true));
        yield return Def("trange", "True range (TA-Lib TRANGE).", [], single, InputColumns.HighLowClose,
            _ => 1, (_, _) => new TrangeCore());
        yield return Def("stddev", "Population standard deviation × nbdev (TA-Lib STDDEV).",
            [Period(5), new("nbdev", 1, -MaxDev, MaxDev, false)], single, InputColumns.Close,
            p => (int)p[0] - 1, (p, _) => new VarCore((int)p[0], true, p[1]), p => Kernels.StdDevKernel((int)p[0], p[1]));
        yield return Def("var", "Population variance (TA-Lib VAR; TA-Lib ignores its nbDev, so it is not a parameter here).", [Period(5, 1)], single, InputColumns.Close,
            p => (int)p[0] - 1, (p, _) => new VarCore((int)p[0], false, 1.0));
        yield return Def("stoch", "Slow stochastic %K/%D with SMA smoothing (TA-Lib STOCH).",
            [new("fastk", 5, 1, MaxPeriod), new("slowk", 3, 1, MaxPeriod), new("slowd", 3, 1, MaxPeriod)],
            ["k", "d"], InputColumns.HighLowClose,
            p => (int)p[0] - 1 + (int)p[1] - 1 + (int)p[2] - 1, (p, _) => new StochCore((int)p[0], (int)p[1], (int)p[2]));
        yield return Def("adx", "Average directional index (TA-Lib ADX).", [Period(14)], single, InputColumns.HighLowClose,
            p => 2 * (int)p[0] - 1, (p, _) => new AdxCore((int)p[0]));
        yield return Def("cci", "Commodity channel index (TA-Lib CCI).", [Period(14)], single, InputColumns.HighLowClose,
            p => (int)p[0] - 1, (p, _) => new CciCore((int)p[0]));
        yield return Def("willr", "Williams' %R (TA-Lib WILLR).", [Period(14)], single, InputColumns.HighLowClose,
            p => (int)p[0] - 1, (p, _) => new WillrCore((int)p[0]));
        yield return Def("mfi", "Money flow index (TA-Lib MFI).", [Period(14)], single, InputColumns.HighLowCloseVolume,
            p => (int)p[0], (p, _) => new MfiCore((int)p[0]));
        yield return Def("obv", "On-balance volume (TA-Lib OBV).", [], single, InputColumns.CloseVolume,
            _ => 0, (_, _) => new ObvCore());
        yield return Def("roc", "Rate of change in percent, 100·(x/x[-period] − 1) (TA-Lib ROC).", [Period(10, 1)], single, InputColumns.Close,
            p => (int)p[0], (p, _) => new MomentumCore((int)p[0], true));
        yield return Def("mom", "Momentum x − x[-period] (TA-Lib MOM).", [Period(10, 1)], single, InputColumns.Close,
            p => (int)p[0], (p, _) => new MomentumCore((int)p[0], false));
        yield return Def("aroon", "Aroon up/down over period+1 bars (TA-Lib AROON).", [Period(14)], ["up", "down"], InputColumns.High | InputColumns.Low,
            p => (int)p[0], (p, _) => new AroonCore((int)p[0]));
        yield return Def("vwap", "Rolling volume-weighted average of the typical price (high+low+close)/3 over period candles.",
            [Period(20, 1)], single, InputColumns.HighLowCloseVolume,
            p => (int)p[0] - 1, (p, _) => new VwapCore((int)p[0]));
        yield return Def("rvol", "Realized volatility of log returns over period candles, annualised for the candle interval: sqrt(N/period·Σr²).",
            [Period(20, 1)], single, InputColumns.Close,
            p => (int)p[0], (p, ppy) => new RealizedVolCore((int)p[0], ppy), needsInterval: true);
    }

    private static BuiltinDefinition Def<T>(string name, string description, IndicatorParameter[] parameters, string[] outputs,
        InputColumns inputs, Func<double[], int> lookback, Func<double[], double, T> core, Func<double[], FastKernel>? fast = null,
        bool needsInterval = false)
        where T : struct, IStepCore
    {
        return new BuiltinDefinition(name, description, parameters, (p, canonical, _) =>
        {
            var stem = IndicatorSpec.ColumnStem(name, NameParameters(name, p));
            var outs = outputs.Length == 1 ? (IReadOnlyList<string>)[name] : outputs;
            return new CoreIndicator<T>(canonical, outs, IndicatorParameters.Columns(stem, outs), lookback(p), inputs,
                ppy => core(p, ppy), needsInterval, fast?.Invoke(p));
        });
    }

    /// <summary>The parameters shown in column names: STDDEV's nbdev of 1 (a plain standard deviation) is left out, so stddev(20) is stddev_20.</summary>
    internal static double[] NameParameters(string name, double[] p) => name == "stddev" && p.Length == 2 && p[1] == 1 ? p[..1] : p;

    internal static string Describe(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
