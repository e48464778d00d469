namespace MarketAnalytics.Indicators;

/// <summary>
/// An indicator over another indicator's output (e.g. <c>sma(rsi(14),5)</c>). The outer indicator reads the source
/// output as open/high/low/close and the candles' own volume; its warm-up starts at the source's first value, so the
/// lookback is the sum of both.
/// </summary>
/// <remarks>
/// The source is computed with TA-Lib's exact operation order (not a reassociated fast kernel): downstream indicators
/// such as STDDEV (m2 − m1²) amplify last-bit differences of their input, and TA-Lib parity must survive chaining.
/// </remarks>
internal sealed class ChainedIndicator : IIndicator, IExactIndicator
{
    private readonly IIndicator _source;
    private readonly int _sourceOutput;
    private readonly IIndicator _outer;

    public ChainedIndicator(IIndicator source, int sourceOutput, IIndicator outer, string name, IReadOnlyList<string> columnNames)
    {
        _source = source;
        _sourceOutput = sourceOutput;
        _outer = outer;
        Name = name;
        ColumnNames = columnNames;
    }

    public string Name { get; }

    public IReadOnlyList<string> Outputs => _outer.Outputs;

    public IReadOnlyList<string> ColumnNames { get; }

    public int Lookback => _source.Lookback + _outer.Lookback;

    public void Compute(scoped in IndicatorInput input, Span<double> outputs) => Compute(input, outputs, exact: false);

    public void ComputeExact(scoped in IndicatorInput input, Span<double> outputs) => Compute(input, outputs, exact: true);

    private void Compute(scoped in IndicatorInput input, Span<double> outputs, bool exact)
    {
        var n = input.Length;
        IndicatorRows.CheckOutputs(n, Outputs.Count, outputs, Name);
        var buffer = new double[_source.Outputs.Count * n];
        if (_source is IExactIndicator exactSource) exactSource.ComputeExact(input, buffer);
        else _source.Compute(input, buffer);
        ReadOnlySpan<double> values = buffer.AsSpan(_sourceOutput * n, n);
        var chained = new IndicatorInput(values, values, values, values, input.Volume) { Interval = input.Interval };
        if (exact && _outer is IExactIndicator exactOuter) exactOuter.ComputeExact(chained, outputs);
        else _outer.Compute(chained, outputs);
    }

    public IIndicatorStream CreateStream() => new Stream(_source.CreateStream(), _sourceOutput, _outer.CreateStream());

    private sealed class Stream(IIndicatorStream source, int sourceOutput, IIndicatorStream outer) : IIndicatorStream
    {
        private readonly double[] _buffer = new double[source.OutputCount];

        public int OutputCount => outer.OutputCount;

        public void Update(in Candle candle, Span<double> outputs)
        {
            source.Update(candle, _buffer);
            var v = _buffer[sourceOutput];
            outer.Update(candle with { Open = v, High = v, Low = v, Close = v }, outputs);
        }

        public void Reset()
        {
            source.Reset();
            outer.Reset();
        }
    }
}
