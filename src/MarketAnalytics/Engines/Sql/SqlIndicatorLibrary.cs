namespace MarketAnalytics.Engines.Sql;

/// <summary>A built-in indicator's SQL form: parameters with TA-Lib defaults, output names, and the builder.</summary>
internal sealed record SqlIndicatorForm(
    string Name,
    IReadOnlyList<IndicatorParameter> Parameters,
    IReadOnlyList<string> Outputs,
    bool Recursive,
    string ErrorBound,
    Func<SqlIndicatorContext, IReadOnlyList<double>, IReadOnlyList<SqlIndicatorOutput>> Build);

/// <summary>
/// SQL forms of the built-in indicators, following TA-Lib's definitions (lookbacks, zero guards, seeding).
/// Non-recursive indicators are exact window computations. Recursive ones (EMA, DEMA, TEMA, MACD, RSI, ATR, NATR, ADX)
/// use the truncated closed form of <see cref="SqlQueryBuilder.ExpSum"/>: with B = ⌈ln 1e-14 / ln w⌉ for decay w,
/// y[i] = α·Σ_{j&lt;B} w^j·x[i−j] + w^B·x[i−B], whose error against the exact recursion is w^B·|y[i−B] − x[i−B]| ≤ 1e-14·R
/// (R = range of x so far). Such outputs are NULL before their horizon: the exact recursion's seed row plus B per
/// smoothing stage.
/// </summary>
internal static class SqlIndicatorLibrary
{
    private static IndicatorParameter P(string name, double def, double min = 1, double max = 100000, bool integer = true) => new(name, def, min, max, integer);

    private const string ExactBound = "exact (window computation; floating-point rounding only)";

    public static readonly IReadOnlyDictionary<string, SqlIndicatorForm> Forms = new Dictionary<string, SqlIndicatorForm>(StringComparer.Ordinal)
    {
        ["sma"] = new("sma", [P("period", 30, 2)], ["value"], false, ExactBound, (c, p) => [Sma(c, c.Close, c.InputStart, (int)p[0])]),
        ["ema"] = new("ema", [P("period", 30, 2)], ["value"], true, "|Δ| ≤ 1e-14·R; NULL before period−1+B(2/(period+1))", (c, p) => [Ema(c, c.Close, c.InputStart, (int)p[0])]),
        ["wma"] = new("wma", [P("period", 30, 2)], ["value"], false, ExactBound, (c, p) => [Wma(c, (int)p[0])]),
        ["dema"] = new("dema", [P("period", 30, 2)], ["value"], true, "|Δ| ≤ 4e-14·R; NULL before period−1+2B", (c, p) => [Dema(c, (int)p[0])]),
        ["tema"] = new("tema", [P("period", 30, 2)], ["value"], true, "|Δ| ≤ 12e-14·R; NULL before period−1+3B", (c, p) => [Tema(c, (int)p[0])]),
        ["rsi"] = new("rsi", [P("period", 14, 2)], ["value"], true, "|Δ| ≤ 100·2e-14·M/(G+L) (M = largest absolute change); NULL before period+B(1/period)", (c, p) => [Rsi(c, (int)p[0])]),
        ["macd"] = new("macd", [P("fast", 12, 2), P("slow", 26, 2), P("signal", 9, 1)], ["macd", "signal", "hist"], true,
            "macd |Δ| ≤ 2e-14·R, signal ≤ 3e-14·R, hist ≤ 5e-14·R; NULL before slow−1+B(slow)+B(signal)", (c, p) => Macd(c, (int)p[0], (int)p[1], (int)p[2])),
        ["bbands"] = new("bbands", [P("period", 5, 2), P("devup", 2, -3e37, 3e37, false), P("devdn", 2, -3e37, 3e37, false)], ["upper", "middle", "lower"], false, ExactBound,
            (c, p) => Bbands(c, (int)p[0], p[1], p[2])),
        ["atr"] = new("atr", [P("period", 14, 1)], ["value"], true, "|Δ| ≤ 1e-14·max TR; NULL before period+B(1/period)", (c, p) => [Atr(c, (int)p[0], false)]),
        ["natr"] = new("natr", [P("period", 14, 1)], ["value"], true, "|Δ| ≤ 100·1e-14·max TR/close; NULL before period+B(1/period)", (c, p) => [Atr(c, (int)p[0], true)]),
        ["trange"] = new("trange", [], ["value"], false, ExactBound, (c, _) => [new SqlIndicatorOutput(TrueRange(c), c.InputStart + 1)]),
        ["stddev"] = new("stddev", [P("period", 5, 2), P("nbdev", 1, -3e37, 3e37, false)], ["value"], false, ExactBound, (c, p) => [StdDev(c, (int)p[0], p[1])]),
        ["var"] = new("var", [P("period", 5, 1)], ["value"], false, ExactBound, (c, p) => [Var(c, (int)p[0])]),
        ["stoch"] = new("stoch", [P("fastk", 5, 1), P("slowk", 3, 1), P("slowd", 3, 1)], ["k", "d"], false, ExactBound, (c, p) => Stoch(c, (int)p[0], (int)p[1], (int)p[2])),
        ["adx"] = new("adx", [P("period", 14, 2)], ["value"], true,
            "|Δ| ≤ 100·(1e-14 + 3e-14·n·max TR/TR-sum); NULL until B(1/period) valid DX values follow row period−1+B(1/period) (later after flat stretches where TA-Lib holds ADX)", (c, p) => [Adx(c, (int)p[0])]),
        ["cci"] = new("cci", [P("period", 14, 2)], ["value"], false, ExactBound, (c, p) => [Cci(c, (int)p[0])]),
        ["willr"] = new("willr", [P("period", 14, 2)], ["value"], false, ExactBound, (c, p) => [Willr(c, (int)p[0])]),
        ["mfi"] = new("mfi", [P("period", 14, 2)], ["value"], false, ExactBound, (c, p) => [Mfi(c, (int)p[0])]),
        ["obv"] = new("obv", [], ["value"], false, ExactBound, (c, _) => [Obv(c)]),
        ["roc"] = new("roc", [P("period", 10, 1)], ["value"], false, ExactBound, (c, p) => [Roc(c, (int)p[0])]),
        ["mom"] = new("mom", [P("period", 10, 1)], ["value"], false, ExactBound, (c, p) => [Mom(c, (int)p[0])]),
        ["aroon"] = new("aroon", [P("period", 14, 2)], ["up", "down"], false, ExactBound, (c, p) => Aroon(c, (int)p[0])),
        ["vwap"] = new("vwap", [P("period", 20, 1)], ["value"], false, ExactBound, (c, p) => [Vwap(c, (int)p[0])]),
        ["rvol"] = new("rvol", [P("period", 20, 1)], ["value"], false, ExactBound, (c, p) => [RealizedVolatility(c, (int)p[0])]),
    };

    private static SqlIndicatorOutput Sma(SqlIndicatorContext c, SqlColumn x, int start, int n) =>
        new(c.Define(Sql.RollingAvg(x, n)), start + n - 1);

    private static SqlIndicatorOutput Ema(SqlIndicatorContext c, SqlColumn x, int start, int n)
    {
        var (v, first) = c.Ema(x, start, 2.0 / (n + 1), start + n - 1);
        return new(v, first);
    }

    private static SqlIndicatorOutput Wma(SqlIndicatorContext c, int n)
    {
        SqlExpr sum = Sql.Num(n) * c.Close;
        for (var k = 1; k < n; k++) sum += Sql.Num(n - k) * Sql.Lag(c.Close, k);
        return new(c.Define(Sql.Div(sum, n * (n + 1) / 2.0)), c.InputStart + n - 1);
    }

    private static SqlIndicatorOutput Dema(SqlIndicatorContext c, int n)
    {
        var alpha = 2.0 / (n + 1);
        var (e1, s1) = c.Ema(c.Close, c.InputStart, alpha, c.InputStart + n - 1);
        var (e2, s2) = c.Ema(e1, s1, alpha, c.InputStart + 2 * (n - 1));
        return new(c.Define(2.0 * e1 - e2), s2);
    }

    private static SqlIndicatorOutput Tema(SqlIndicatorContext c, int n)
    {
        var alpha = 2.0 / (n + 1);
        var (e1, s1) = c.Ema(c.Close, c.InputStart, alpha, c.InputStart + n - 1);
        var (e2, s2) = c.Ema(e1, s1, alpha, c.InputStart + 2 * (n - 1));
        var (e3, s3) = c.Ema(e2, s2, alpha, c.InputStart + 3 * (n - 1));
        return new(c.Define(3.0 * e1 - 3.0 * e2 + e3), s3);
    }

    private static SqlIndicatorOutput Rsi(SqlIndicatorContext c, int n)
    {
        var diff = c.Define(c.Close - Sql.Lag(c.Close, 1));
        var gain = c.Define(Sql.If(Sql.Gt(diff, Sql.Num(0)), diff, Sql.Num(0)));
        var loss = c.Define(Sql.If(Sql.Lt(diff, Sql.Num(0)), Sql.Num(0) - diff, Sql.Num(0)));
        var seed = c.InputStart + n;
        var (g, first) = c.Ema(gain, c.InputStart + 1, 1.0 / n, seed);
        var (l, _) = c.Ema(loss, c.InputStart + 1, 1.0 / n, seed);
        var total = g + l;
        return new(c.Define(Sql.If(Sql.IsTaLibZero(total), Sql.Num(0), Sql.Num(100) * Sql.DivUnchecked(g, total))), first);
    }

    private static IReadOnlyList<SqlIndicatorOutput> Macd(SqlIndicatorContext c, int fast, int slow, int signal)
    {
        if (slow < fast) (fast, slow) = (slow, fast); // TA-Lib swaps them
        // TA-Lib seeds both EMAs at the slow lookback (the fast one with the SMA of the fast period ending there).
        var seed = c.InputStart + slow - 1;
        var (ef, sf) = c.Ema(c.Close, c.InputStart, 2.0 / (fast + 1), seed);
        var (es, ss) = c.Ema(c.Close, c.InputStart, 2.0 / (slow + 1), seed);
        var macd = c.Define(ef - es);
        var macdStart = Math.Max(sf, ss);
        var (sig, sigStart) = c.Ema(macd, macdStart, 2.0 / (signal + 1), seed + signal - 1);
        var hist = c.Define(macd - sig);
        return [new(macd, sigStart), new(sig, sigStart), new(hist, sigStart)];
    }

    private static SqlExpr PopulationVariance(SqlIndicatorContext c, SqlColumn x, int n) => Sql.Greatest(Sql.RollingVarPop(x, n), Sql.Num(0));

    private static IReadOnlyList<SqlIndicatorOutput> Bbands(SqlIndicatorContext c, int n, double up, double dn)
    {
        var mid = c.Define(Sql.RollingAvg(c.Close, n));
        var variance = c.Define(PopulationVariance(c, c.Close, n));
        // TA-Lib: a variance below TA_EPSILON (TA_IS_ZERO_OR_NEG) gives a standard deviation of exactly 0.
        var sd = c.Define(Sql.If(Sql.Lt(variance, Sql.Num(Sql.TaLibZero)), Sql.Num(0), Sql.Sqrt(variance)));
        var start = c.InputStart + n - 1;
        return [new(c.Define(mid + Sql.Num(up) * sd), start), new(mid, start), new(c.Define(mid - Sql.Num(dn) * sd), start)];
    }

    private static SqlIndicatorOutput StdDev(SqlIndicatorContext c, int n, double nbdev)
    {
        var variance = c.Define(PopulationVariance(c, c.Close, n));
        return new(c.Define(Sql.If(Sql.Lt(variance, Sql.Num(Sql.TaLibZero)), Sql.Num(0), Sql.Sqrt(variance) * Sql.Num(nbdev))), c.InputStart + n - 1);
    }

    private static SqlIndicatorOutput Var(SqlIndicatorContext c, int n) =>
        new(c.Define(PopulationVariance(c, c.Close, n)), c.InputStart + n - 1);

    internal static SqlColumn TrueRange(SqlIndicatorContext c) => c.Builder.Shared($"trange:{c.High.Name}:{c.Low.Name}:{c.Close.Name}", () =>
    {
        var prevClose = Sql.Lag(c.Close, 1);
        return Sql.If(Sql.IsNull(prevClose), Sql.Null,
            Sql.Greatest(c.High - c.Low, Sql.Abs(prevClose - c.High), Sql.Abs(c.Low - prevClose)));
    });

    private static SqlIndicatorOutput Atr(SqlIndicatorContext c, int n, bool normalised)
    {
        var tr = TrueRange(c);
        SqlColumn atr;
        int first;
        if (n == 1)
        {
            (atr, first) = (tr, c.InputStart + 1);
        }
        else
        {
            (atr, first) = c.Ema(tr, c.InputStart + 1, 1.0 / n, c.InputStart + n);
        }
        if (!normalised) return new(atr, first);
        return new(c.Define(Sql.If(Sql.IsTaLibZero(c.Close), Sql.Num(0), Sql.DivUnchecked(atr, c.Close) * Sql.Num(100))), first);
    }

    private static IReadOnlyList<SqlIndicatorOutput> Stoch(SqlIndicatorContext c, int fastK, int slowK, int slowD)
    {
        var hh = Sql.RollingMax(c.High, fastK);
        var ll = Sql.RollingMin(c.Low, fastK);
        var range = c.Define(Sql.Div(hh - ll, 100.0));
        var lowest = c.Define(ll);
        var fast = c.Define(Sql.If(Sql.Ne(range, Sql.Num(0)), Sql.DivUnchecked(c.Close - lowest, range), Sql.Num(0)));
        var k = c.Define(Sql.RollingAvg(fast, slowK));
        var d = c.Define(Sql.RollingAvg(k, slowD));
        var start = c.InputStart + fastK - 1 + slowK - 1 + slowD - 1;
        return [new(k, start), new(d, start)];
    }

    private static SqlIndicatorOutput Adx(SqlIndicatorContext c, int n)
    {
        var b = c.Builder;
        var diffP = c.Define(c.High - Sql.Lag(c.High, 1));
        var diffM = c.Define(Sql.Lag(c.Low, 1) - c.Low);
        var minusRule = Sql.And(Sql.Gt(diffM, Sql.Num(0)), Sql.Lt(diffP, diffM));
        var mdm = c.Define(Sql.If(Sql.IsNull(diffM), Sql.Null, Sql.If(minusRule, diffM, Sql.Num(0))));
        var pdm = c.Define(Sql.If(Sql.IsNull(diffP), Sql.Null,
            Sql.Case([(minusRule, Sql.Num(0)), (Sql.And(Sql.Gt(diffP, Sql.Num(0)), Sql.Gt(diffP, diffM)), diffP)], Sql.Num(0))));
        var tr = TrueRange(c);
        // TA-Lib's sums: S = S − S/n + x, seeded at row n−1 with the sum of rows 1..n−1.
        var seed = c.InputStart + n - 1;
        var (mS, dxStart) = b.WilderSum(mdm, c.InputStart + 1, n, seed);
        var (pS, _) = b.WilderSum(pdm, c.InputStart + 1, n, seed);
        var (tS, _) = b.WilderSum(tr, c.InputStart + 1, n, seed);
        var inRange = Sql.Ge(c.RowIndex, Sql.Int(dxStart));
        var mdi = c.Define(Sql.If(Sql.And(inRange, Sql.Not(Sql.IsTaLibZero(tS))), Sql.Num(100) * Sql.DivUnchecked(mS, tS)));
        var pdi = c.Define(Sql.If(Sql.And(inRange, Sql.Not(Sql.IsTaLibZero(tS))), Sql.Num(100) * Sql.DivUnchecked(pS, tS)));
        var diSum = mdi + pdi;
        var valid = Sql.And(Sql.IsNotNull(mdi), Sql.Not(Sql.IsTaLibZero(diSum)));
        var dx = c.Define(Sql.If(valid, Sql.Num(100) * Sql.DivUnchecked(Sql.Abs(mdi - pdi), diSum)));
        // TA-Lib holds ADX on rows without a valid DX, so ADX is an EMA over the valid rows only:
        // v counts them, and the smoothing runs over v (RANGE frames), which makes invalid rows repeat the last value.
        var v = c.Define(Sql.CumulativeCount(dx));
        var w = 1 - 1.0 / n;
        var horizon = SqlQueryBuilder.Horizon(w);
        var tail = c.Define(Sql.RangeSum(Sql.Coalesce(dx, Sql.Num(0)), v, horizon, -horizon));
        var s = b.ExpSum(dx, w, horizon, v);
        var adx = c.Define(Sql.If(Sql.Gt(v, Sql.Int(horizon)), Sql.Num(1.0 / n) * s + Sql.Num(Math.Pow(w, horizon)) * tail));
        return new(adx, dxStart + horizon);
    }

    private static SqlIndicatorOutput Cci(SqlIndicatorContext c, int n)
    {
        var tp = c.Define(Sql.Div(c.High + c.Low + c.Close, 3.0));
        var mean = c.Define(Sql.Div(Sql.RollingSum(tp, n), n));
        SqlExpr dev = Sql.Abs(tp - mean);
        for (var k = 1; k < n; k++) dev += Sql.Abs(Sql.Lag(tp, k) - mean);
        var md = c.Define(Sql.Div(dev, n));
        var diff = c.Define(tp - mean);
        return new(c.Define(Sql.If(Sql.And(Sql.Ne(diff, Sql.Num(0)), Sql.Ne(md, Sql.Num(0))), Sql.DivUnchecked(diff, Sql.Num(0.015) * md), Sql.Num(0))), c.InputStart + n - 1);
    }

    private static SqlIndicatorOutput Willr(SqlIndicatorContext c, int n)
    {
        var hh = c.Define(Sql.RollingMax(c.High, n));
        var tmp = c.Define(Sql.Div(hh - Sql.RollingMin(c.Low, n), -100.0));
        return new(c.Define(Sql.If(Sql.Ne(tmp, Sql.Num(0)), Sql.DivUnchecked(hh - c.Close, tmp), Sql.Num(0))), c.InputStart + n - 1);
    }

    private static SqlIndicatorOutput Mfi(SqlIndicatorContext c, int n)
    {
        var tp = c.Define(Sql.Div(c.High + c.Low + c.Close, 3.0));
        var prev = Sql.Lag(tp, 1);
        var flow = tp * c.Volume;
        var pos = c.Define(Sql.If(Sql.Gt(tp, prev), flow, Sql.Num(0)));
        var neg = c.Define(Sql.If(Sql.Lt(tp, prev), flow, Sql.Num(0)));
        var posSum = c.Define(Sql.RollingSum(pos, n));
        var total = c.Define(posSum + Sql.RollingSum(neg, n));
        // TA-Lib: a total money flow below 1 gives 0.
        return new(c.Define(Sql.If(Sql.Lt(total, Sql.Num(1)), Sql.Num(0), Sql.Num(100) * Sql.DivUnchecked(posSum, total))), c.InputStart + n);
    }

    private static SqlIndicatorOutput Obv(SqlIndicatorContext c)
    {
        var prev = Sql.Lag(c.Close, 1);
        var signed = c.Define(Sql.Case([(Sql.Gt(c.Close, prev), c.Volume), (Sql.Lt(c.Close, prev), Sql.Num(0) - c.Volume)], Sql.Num(0)));
        return new(c.Define(Sql.FirstValue(c.Volume) + Sql.CumulativeSum(signed)), c.InputStart);
    }

    private static SqlIndicatorOutput Roc(SqlIndicatorContext c, int n)
    {
        var prev = c.Define(Sql.Lag(c.Close, n));
        return new(c.Define(Sql.If(Sql.Ne(prev, Sql.Num(0)), (Sql.DivUnchecked(c.Close, prev) - Sql.Num(1)) * Sql.Num(100), Sql.Num(0))), c.InputStart + n);
    }

    private static SqlIndicatorOutput Mom(SqlIndicatorContext c, int n) => new(c.Define(c.Close - Sql.Lag(c.Close, n)), c.InputStart + n);

    private static IReadOnlyList<SqlIndicatorOutput> Aroon(SqlIndicatorContext c, int n)
    {
        var hh = c.Define(Sql.RollingMax(c.High, n + 1));
        var ll = c.Define(Sql.RollingMin(c.Low, n + 1));
        // Bars since the extreme; on ties TA-Lib keeps the most recent one.
        var sinceHigh = new List<(SqlExpr, SqlExpr)>();
        var sinceLow = new List<(SqlExpr, SqlExpr)>();
        for (var k = 0; k <= n; k++)
        {
            sinceHigh.Add((Sql.Eq(Sql.Lag(c.High, k), hh), Sql.Num(k)));
            sinceLow.Add((Sql.Eq(Sql.Lag(c.Low, k), ll), Sql.Num(k)));
        }
        var factor = Sql.Num(100.0 / n);
        var up = c.Define(factor * (Sql.Num(n) - Sql.Case(sinceHigh)));
        var down = c.Define(factor * (Sql.Num(n) - Sql.Case(sinceLow)));
        var start = c.InputStart + n;
        return [new(up, start), new(down, start)];
    }

    private static SqlIndicatorOutput Vwap(SqlIndicatorContext c, int n)
    {
        var tp = c.Define(Sql.Div(c.High + c.Low + c.Close, 3.0));
        var pv = c.Define(Sql.RollingSum(tp * c.Volume, n));
        var vol = c.Define(Sql.RollingSum(c.Volume, n));
        return new(c.Define(Sql.If(Sql.Eq(vol, Sql.Num(0)), Sql.Null, Sql.DivUnchecked(pv, vol))), c.InputStart + n - 1);
    }

    /// <summary>Periods per year of an interval (365.25 days; a month counts 30.436875 days).</summary>
    internal static double PeriodsPerYear(Interval interval) => 365.25 * 86_400_000.0 / (interval.FixedMilliseconds ?? (long)(30.436875 * 86_400_000));

    /// <summary>Annualised realized volatility sqrt(periodsPerYear / period · Σ r²) over the last period log returns.</summary>
    private static SqlIndicatorOutput RealizedVolatility(SqlIndicatorContext c, int n)
    {
        var prev = Sql.Lag(c.Close, 1);
        var ret = c.Define(Sql.If(Sql.And(Sql.Gt(c.Close, Sql.Num(0)), Sql.Gt(prev, Sql.Num(0))), Sql.Ln(Sql.DivUnchecked(c.Close, prev))));
        var scale = PeriodsPerYear(c.Interval) / n;
        return new(c.Define(Sql.Sqrt(Sql.Greatest(Sql.RollingSum(ret * ret, n), Sql.Num(0)) * Sql.Num(scale))), c.InputStart + n);
    }
}
