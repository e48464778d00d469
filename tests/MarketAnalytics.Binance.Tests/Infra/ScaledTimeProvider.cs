using System.Diagnostics;

namespace MarketAnalytics.Binance.Tests.Infra;

/// <summary>
/// A clock that starts at <c>origin</c> and runs <c>scale</c> times faster than real time; timers and delays shrink by the
/// same factor. Server and client share one, so "a minute" of rate-limit window or a 20 s ping lasts 60/scale real seconds
/// while every duration the code computes stays in real Binance units.
/// </summary>
internal sealed class ScaledTimeProvider : TimeProvider
{
    private readonly DateTimeOffset _origin;
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();

    public ScaledTimeProvider(DateTimeOffset origin, double scale)
    {
        if (scale <= 0) throw new ArgumentOutOfRangeException(nameof(scale));
        _origin = origin;
        Scale = scale;
    }

    public double Scale { get; }

    public override DateTimeOffset GetUtcNow() =>
        _origin + TimeSpan.FromTicks((long)(Stopwatch.GetElapsedTime(_startTimestamp).Ticks * Scale));

    public override long GetTimestamp() =>
        _startTimestamp + (long)((Stopwatch.GetTimestamp() - _startTimestamp) * Scale);

    public override long TimestampFrequency => Stopwatch.Frequency;

    public TimeSpan ToReal(TimeSpan scaled) => scaled == Timeout.InfiniteTimeSpan ? scaled : TimeSpan.FromTicks((long)(scaled.Ticks / Scale));

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(this, System.CreateTimer(callback, state, ToReal(dueTime), ToReal(period)));

    private sealed class ScaledTimer(ScaledTimeProvider owner, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(owner.ToReal(dueTime), owner.ToReal(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
