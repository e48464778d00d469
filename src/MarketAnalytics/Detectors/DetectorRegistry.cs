using System.Collections.Concurrent;

namespace MarketAnalytics.Detectors;

/// <summary>Anomaly detectors by name, so the CLI and the engines can create them from a plan or a <c>--detectors</c> list.</summary>
public sealed class DetectorRegistry
{
    private readonly ConcurrentDictionary<string, Func<IAnomalyDetector>> _factories = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _order = new(StringComparer.Ordinal);

    /// <summary>Creates an empty registry.</summary>
    public DetectorRegistry()
    {
    }

    /// <summary>Creates a registry holding every built-in detector with its default parameters.</summary>
    public static DetectorRegistry CreateDefault()
    {
        var r = new DetectorRegistry();
        r.Register(AnomalyKinds.VolumeSpike, () => new VolumeSpikeDetector());
        r.Register(AnomalyKinds.PriceJump, () => new PriceJumpDetector());
        r.Register(AnomalyKinds.FlashCrash, () => new FlashCrashDetector());
        r.Register(AnomalyKinds.PumpAndDump, () => new PumpAndDumpDetector());
        r.Register(AnomalyKinds.VolatilityRegime, () => new VolatilityRegimeDetector());
        r.Register(AnomalyKinds.Gap, () => new GapDetector());
        r.Register(AnomalyKinds.StalePrice, () => new StalePriceDetector());
        r.Register(AnomalyKinds.BadTick, () => new BadTickDetector());
        r.Register(AnomalyKinds.Duplicate, () => new DuplicateDetector());
        r.Register(AnomalyKinds.OutOfOrder, () => new OutOfOrderDetector());
        return r;
    }

    /// <summary>Creates a <c>pump_and_dump</c> detector with custom parameters (validated).</summary>
    public static IAnomalyDetector CreatePumpAndDump(PumpAndDumpOptions options) => new PumpAndDumpDetector(options);

    /// <summary>Registered names in registration order.</summary>
    public IReadOnlyList<string> Names => _order.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToList();

    /// <summary>Registers a detector factory under a new name (lower-case letters, digits, '_').</summary>
    public void Register(string name, Func<IAnomalyDetector> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (string.IsNullOrEmpty(name) || !char.IsAsciiLetterLower(name[0]) || !name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_'))
            throw new ArgumentException($"Detector name '{name}' must start with a-z and contain only a-z, 0-9 and '_'.", nameof(name));
        if (!_factories.TryAdd(name, factory))
            throw new ArgumentException($"A detector named '{name}' is already registered.", nameof(name));
        _order[name] = _order.Count;
    }

    /// <summary>True when <paramref name="name"/> is registered.</summary>
    public bool Contains(string name) => _factories.ContainsKey(name);

    /// <summary>Creates the detector registered as <paramref name="name"/>.</summary>
    /// <exception cref="InvalidSpecException">No detector has that name.</exception>
    public IAnomalyDetector Create(string name)
    {
        if (!_factories.TryGetValue(name ?? string.Empty, out var factory))
            throw new InvalidSpecException(name ?? string.Empty, $"unknown detector; known detectors: {string.Join(", ", Names)}.");
        return factory();
    }

    /// <summary>
    /// Runs the named detectors (e.g. <see cref="AnalysisPlan.Detectors"/>; empty or <c>all</c> = every registered one)
    /// over <paramref name="series"/>, streaming every candle through every detector, and returns the anomalies in
    /// open-time order (equal times keep detector order). This is what engines call for a plan's detectors.
    /// </summary>
    /// <exception cref="InvalidSpecException">A name is unknown or repeated.</exception>
    public IReadOnlyList<Anomaly> Detect(CandleSeries series, IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(names);
        return Run(series, CreateMany(names.Count == 0 ? "all" : string.Join(',', names)));
    }

    /// <summary>Streams every candle of <paramref name="series"/> through each detector; anomalies in open-time order.</summary>
    public static IReadOnlyList<Anomaly> Run(CandleSeries series, IReadOnlyList<IAnomalyDetector> detectors)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(detectors);
        var streams = new IDetectorStream[detectors.Count];
        for (var d = 0; d < streams.Length; d++) streams[d] = detectors[d].CreateStream(series.Symbol, series.Interval);
        var sink = new List<Anomaly>();
        for (var i = 0; i < series.Count; i++)
        {
            var c = series[i];
            foreach (var s in streams) s.Update(c, sink);
        }
        // Most detectors report the candle that fired, so the sink is nearly sorted; a stable sort fixes the rest.
        var keyed = new (long Time, int Index)[sink.Count];
        for (var i = 0; i < keyed.Length; i++) keyed[i] = (sink[i].OpenTime, i);
        Array.Sort(keyed);
        var result = new Anomaly[keyed.Length];
        for (var i = 0; i < keyed.Length; i++) result[i] = sink[keyed[i].Index];
        return result;
    }

    /// <summary>Creates detectors from a comma-separated list of names, or every registered one for <c>all</c> (or an empty list).</summary>
    /// <exception cref="InvalidSpecException">A name is unknown or repeated.</exception>
    public IReadOnlyList<IAnomalyDetector> CreateMany(string? list)
    {
        if (string.IsNullOrWhiteSpace(list) || list.Trim() == "all") return Names.Select(Create).ToList();
        var names = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<IAnomalyDetector>(names.Length);
        foreach (var n in names)
        {
            if (!seen.Add(n)) throw new InvalidSpecException(list, $"detector '{n}' is listed twice.");
            result.Add(Create(n));
        }
        return result;
    }
}
