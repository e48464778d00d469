using MarketAnalytics.Detectors;

namespace MarketAnalytics.Cleaning;

/// <summary>
/// Checks a candle series and produces a data-quality report: order, duplicates, alignment, gaps, trading halts,
/// close-time mismatches, OHLC inconsistencies, invalid values, stale prices and bad ticks. The input is never
/// modified; the returned series is sorted and de-duplicated (both reported) and gap-filled only when the
/// <see cref="GapFillPolicy"/> asks for it. Suspicious candles are reported, never altered or dropped.
/// </summary>
public static class DataCleaner
{
    /// <summary>Analyses <paramref name="input"/> and returns the cleaned copy and the report.</summary>
    public static CleaningResult Clean(CandleSeries input, CleaningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new CleaningOptions();
        options.Validate();
        var interval = input.Interval;
        var n = input.Count;
        var issues = new IssueList(options.MaxIssuesPerKind);
        var open = input.OpenTime;

        // 1. Order: count rows earlier than their predecessor, then stable-sort indices by open time.
        long outOfOrder = 0;
        for (var i = 1; i < n; i++)
        {
            if (open[i] < open[i - 1])
            {
                outOfOrder++;
                issues.Add(new DataIssue(DataIssueKind.OutOfOrder, open[i], open[i], 1,
                    $"row {i + 1} opens {DataIssue.Iso(open[i])}, earlier than the previous row {DataIssue.Iso(open[i - 1])}"));
            }
        }
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        var sorted = outOfOrder == 0;
        if (!sorted)
        {
            var keys = open.ToArray();
            Array.Sort(keys, order); // Array.Sort is unstable: restore original order within equal keys below
            for (var s = 0; s < n;)
            {
                var e = s + 1;
                while (e < n && keys[e] == keys[s]) e++;
                if (e - s > 1) Array.Sort(order, s, e - s);
                s = e;
            }
        }

        // 2. De-duplicate.
        var kept = new List<int>(n);
        long dups = 0, conflicting = 0;
        for (var s = 0; s < n;)
        {
            var e = s + 1;
            while (e < n && open[order[e]] == open[order[s]]) e++;
            var keep = options.Duplicates == DuplicateResolution.KeepLast ? order[e - 1] : order[s];
            if (e - s > 1)
            {
                var keptCandle = input[keep];
                long differ = 0;
                for (var k = s; k < e; k++)
                {
                    if (order[k] != keep && input[order[k]] != keptCandle) differ++;
                }
                dups += e - s - 1;
                conflicting += differ;
                issues.Add(new DataIssue(DataIssueKind.Duplicate, open[keep], open[keep], e - s - 1,
                    $"open time {DataIssue.Iso(open[keep])} occurs {e - s} times ({differ} with different values); kept the {(options.Duplicates == DuplicateResolution.KeepLast ? "last" : "first")} occurrence (row {keep + 1})"));
            }
            kept.Add(keep);
            s = e;
        }

        // 3. Walk the clean order.
        var output = new CandleSeries(input.Symbol, input.Interval, kept.Count);
        var halts = new List<TradingHalt>();
        long gaps = 0, missingTotal = 0, filled = 0, zeroVolume = 0;
        var intrinsic = new HashSet<long>();
        var intervalMs = interval.FixedMilliseconds ?? (long)interval.NominalDuration.TotalMilliseconds;
        var haltMinCandles = Math.Max(1, (long)Math.Ceiling(options.HaltMinFlatDuration.TotalMilliseconds / intervalMs));
        Candle prev = default;
        var havePrev = false;
        long flatRun = 0, flatStart = 0;          // any flat candles (stale price)
        long zeroRun = 0, zeroStart = 0;          // flat zero-volume candles (halt)
        for (var k = 0; k < kept.Count; k++)
        {
            var c = input[kept[k]];
            if (c.Volume == 0) zeroVolume++;
            if (!interval.IsAligned(c.OpenTime))
                issues.Add(new DataIssue(DataIssueKind.Misaligned, c.OpenTime, c.OpenTime, 1, $"open time {DataIssue.Iso(c.OpenTime)} is not aligned to {interval.Name}"));
            if (CheckIntrinsic(c, interval, issues)) intrinsic.Add(c.OpenTime);

            if (havePrev)
            {
                var expected = interval.Next(prev.OpenTime);
                var missing = c.OpenTime > expected ? interval.CountBetween(expected, c.OpenTime) : 0;
                var truncated = IsTruncated(prev, interval);
                if (missing > 0)
                {
                    gaps++;
                    missingTotal += missing;
                    issues.Add(new DataIssue(DataIssueKind.Gap, expected, interval.Add(c.OpenTime, -1), missing,
                        $"{missing} missing {interval.Name} candle(s) from {DataIssue.Iso(expected)} to {DataIssue.Iso(interval.Add(c.OpenTime, -1))}"));
                }
                if ((missing > 0 || truncated) && zeroRun > 0 && (zeroRun >= haltMinCandles || truncated))
                    AddHalt(halts, issues, prev, zeroStart, zeroRun, truncated, missing > 0 ? expected : null, missing, c.OpenTime);
                if (missing > 0 && options.GapFill == GapFillPolicy.FlatZeroVolume)
                {
                    for (var t = expected; t < c.OpenTime; t = interval.Next(t))
                    {
                        output.Add(new Candle(t, prev.Close, prev.Close, prev.Close, prev.Close, 0, interval.CloseTime(t), 0, 0, 0, 0));
                        filled++;
                    }
                }
                if (missing > 0) { CloseFlat(); zeroRun = 0; }
            }

            var flat = havePrev && c.Open == prev.Close && c.High == c.Open && c.Low == c.Open && c.Close == c.Open;
            if (flat)
            {
                if (flatRun == 0) flatStart = c.OpenTime;
                flatRun++;
                if (c.Volume == 0)
                {
                    if (zeroRun == 0) zeroStart = c.OpenTime;
                    zeroRun++;
                }
                else zeroRun = 0;
            }
            else
            {
                CloseFlat();
                zeroRun = 0;
            }
            output.Add(c);
            prev = c;
            havePrev = true;
        }
        CloseFlat();
        if (havePrev && zeroRun > 0 && IsTruncated(prev, interval))
            AddHalt(halts, issues, prev, zeroStart, zeroRun, true, null, 0, null);

        // 4. Statistical bad ticks (isolated wick prints) on the cleaned order, causal detector.
        var tickStream = new BadTickDetector().CreateStream(input.Symbol, interval);
        var found = new List<Anomaly>();
        for (var k = 0; k < kept.Count; k++) tickStream.Update(input[kept[k]], found);
        foreach (var a in found)
        {
            if (intrinsic.Contains(a.OpenTime)) continue;
            issues.Add(new DataIssue(DataIssueKind.BadTick, a.OpenTime, a.OpenTime, 1, a.Explanation));
        }

        var report = new DataQualityReport
        {
            Symbol = input.Symbol.Value,
            Interval = interval.Name,
            InputCandles = n,
            OutputCandles = output.Count,
            FirstOpenTime = output.Count > 0 ? output.OpenTime[0] : null,
            LastOpenTime = output.Count > 0 ? output.OpenTime[^1] : null,
            InputWasSorted = sorted && dups == 0,
            OutOfOrderRows = outOfOrder,
            DuplicatesRemoved = dups,
            ConflictingDuplicates = conflicting,
            DuplicateResolution = options.Duplicates,
            Gaps = gaps,
            MissingCandles = missingTotal,
            GapFill = options.GapFill,
            FilledCandles = filled,
            ZeroVolumeCandles = zeroVolume,
            Halts = halts,
            IssueCounts = issues.Counts,
            Issues = issues.Sorted(),
        };
        return new CleaningResult(output, report);

        void CloseFlat()
        {
            if (flatRun >= options.StaleMinCandles)
            {
                var end = interval.Add(flatStart, flatRun - 1);
                issues.Add(new DataIssue(DataIssueKind.StalePrice, flatStart, end, flatRun,
                    $"price {prev.Close.ToString(System.Globalization.CultureInfo.InvariantCulture)} unchanged for {flatRun} candles from {DataIssue.Iso(flatStart)} to {DataIssue.Iso(end)} (threshold {options.StaleMinCandles})"));
            }
            flatRun = 0;
        }
    }

    private static void AddHalt(List<TradingHalt> halts, IssueList issues, in Candle last, long zeroStart, long zeroRun, bool truncated,
        long? missingFrom, long missing, long? resumed)
    {
        var halt = new TradingHalt(zeroStart, last.OpenTime, zeroRun, last.Close, truncated ? last.CloseTime : null, missingFrom, missing, resumed);
        halts.Add(halt);
        issues.Add(new DataIssue(DataIssueKind.TradingHalt, zeroStart, last.OpenTime, zeroRun + missing, halt.Description));
    }

    private static bool IsTruncated(in Candle c, Interval interval) =>
        interval.FixedMilliseconds is not null && c.CloseTime < interval.CloseTime(c.OpenTime) && c.CloseTime >= c.OpenTime;

    private static bool CheckIntrinsic(in Candle c, Interval interval, IssueList issues)
    {
        var any = false;
        if (!double.IsFinite(c.Open) || !double.IsFinite(c.High) || !double.IsFinite(c.Low) || !double.IsFinite(c.Close)
            || c.Open <= 0 || c.High <= 0 || c.Low <= 0 || c.Close <= 0)
        {
            issues.Add(new DataIssue(DataIssueKind.InvalidValue, c.OpenTime, c.OpenTime, 1,
                $"price not a positive finite number: open {c.Open}, high {c.High}, low {c.Low}, close {c.Close}"));
            any = true;
        }
        else if (c.High < Math.Max(c.Open, c.Close) || c.Low > Math.Min(c.Open, c.Close) || c.High < c.Low)
        {
            issues.Add(new DataIssue(DataIssueKind.OhlcInconsistent, c.OpenTime, c.OpenTime, 1,
                $"high {c.High}, low {c.Low} inconsistent with open {c.Open}, close {c.Close} (need high >= max(open, close) >= min(open, close) >= low)"));
            any = true;
        }
        if (!(c.Volume >= 0) || !double.IsFinite(c.Volume) || c.QuoteVolume < 0 || c.TakerBuyBaseVolume < 0 || c.TakerBuyQuoteVolume < 0
            || c.TakerBuyBaseVolume > c.Volume * (1 + 1e-9) + 1e-12)
        {
            issues.Add(new DataIssue(DataIssueKind.InvalidValue, c.OpenTime, c.OpenTime, 1,
                $"volume fields invalid: volume {c.Volume}, quote {c.QuoteVolume}, taker base {c.TakerBuyBaseVolume}, taker quote {c.TakerBuyQuoteVolume} (need >= 0 and taker <= volume)"));
            any = true;
        }
        if (interval.FixedMilliseconds is not null && c.CloseTime != interval.CloseTime(c.OpenTime))
        {
            issues.Add(new DataIssue(DataIssueKind.CloseTimeMismatch, c.OpenTime, c.OpenTime, 1,
                $"close time {c.CloseTime} ({DataIssue.Iso(c.CloseTime)}) instead of {interval.CloseTime(c.OpenTime)} ({DataIssue.Iso(interval.CloseTime(c.OpenTime))})"));
            any = true;
        }
        return any;
    }

    private sealed class IssueList(int cap)
    {
        private readonly List<DataIssue> _items = [];
        private readonly Dictionary<DataIssueKind, long> _counts = Enum.GetValues<DataIssueKind>().ToDictionary(k => k, _ => 0L);

        public IReadOnlyDictionary<DataIssueKind, long> Counts => _counts;

        public void Add(DataIssue issue)
        {
            var c = ++_counts[issue.Kind];
            if (c <= cap) _items.Add(issue);
        }

        public IReadOnlyList<DataIssue> Sorted() => _items.OrderBy(i => i.OpenTime).ThenBy(i => i.Kind).ToList();
    }
}
