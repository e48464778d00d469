using System.Collections.Concurrent;

namespace MarketAnalytics.Indicators;

/// <summary>Indicator definitions by name; turns specs such as <c>macd(12,26,9)</c> or <c>sma(rsi(14),5)</c> into indicators.</summary>
/// <remarks>
/// Built-ins follow TA-Lib 0.6 (defaults, parameter ranges, warm-up). Column names are
/// <c>&lt;name&gt;[_&lt;source column&gt;]_&lt;param1&gt;_&lt;param2&gt;...[_&lt;output&gt;]</c> in lower case with fully defaulted
/// parameters in invariant culture without trailing zeros (<c>bbands_20_2_2_upper</c>, <c>sma_rsi_14_5</c>, <c>obv</c>).
/// </remarks>
public sealed class IndicatorRegistry
{
    private readonly ConcurrentDictionary<string, IIndicatorDefinition> _definitions = new(StringComparer.Ordinal);

    /// <summary>Creates an empty registry.</summary>
    public IndicatorRegistry()
    {
    }

    /// <summary>Creates a registry holding every built-in indicator.</summary>
    public static IndicatorRegistry CreateDefault()
    {
        var registry = new IndicatorRegistry();
        foreach (var definition in BuiltinIndicators.All()) registry.Register(definition);
        return registry;
    }

    /// <summary>Names of the built-in indicators, in registration order (what <c>--spec all</c> computes).</summary>
    public static IReadOnlyList<string> BuiltinNames { get; } = BuiltinIndicators.All().Select(d => d.Name).ToArray();

    /// <summary>All registered definitions, by name.</summary>
    public IReadOnlyCollection<IIndicatorDefinition> Definitions => _definitions.Values.OrderBy(d => d.Name, StringComparer.Ordinal).ToList();

    /// <summary>Registered names, sorted.</summary>
    public IReadOnlyList<string> Names => _definitions.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();

    /// <summary>Adds a definition; its name must be new and lower-case letters, digits or '_'.</summary>
    public void Register(IIndicatorDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var name = definition.Name;
        if (string.IsNullOrEmpty(name) || !name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_') || !char.IsAsciiLetterLower(name[0]))
            throw new ArgumentException($"Indicator name '{name}' must start with a-z and contain only a-z, 0-9 and '_'.", nameof(definition));
        if (!_definitions.TryAdd(name, definition))
            throw new ArgumentException($"An indicator named '{name}' is already registered.", nameof(definition));
    }

    /// <summary>Finds a definition by name.</summary>
    public bool TryGet(string name, out IIndicatorDefinition definition) => _definitions.TryGetValue(name, out definition!);

    /// <summary>Parses and resolves a comma-separated spec list, e.g. <c>sma(20),macd(12,26,9)</c>; <c>all</c> means every built-in with defaults.</summary>
    /// <exception cref="InvalidSpecException">Unknown name, bad parameter or bad chaining; the message lists the valid names.</exception>
    public IReadOnlyList<IIndicator> ResolveList(string specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        if (specs.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
            return BuiltinNames.Select(n => Resolve(new IndicatorSpec(n, []))).ToList();
        return IndicatorSpec.ParseList(specs).Select(Resolve).ToList();
    }

    /// <summary>Resolves one parsed spec (missing parameters take their defaults; chained sources are resolved recursively).</summary>
    /// <exception cref="InvalidSpecException">Unknown name, bad parameter or bad chaining; the message lists the valid names.</exception>
    public IIndicator Resolve(IndicatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!TryGet(spec.Name, out var definition))
            throw new InvalidSpecException(spec.ToString(), $"unknown indicator '{spec.Name}'. Valid names: {string.Join(", ", Names)}");

        var declared = definition.Parameters;
        if (spec.Parameters.Count > declared.Count)
            throw new InvalidSpecException(spec.ToString(),
                $"{spec.Name} takes at most {declared.Count} parameter(s): {IndicatorParameters.Signature(definition)}. Valid names: {string.Join(", ", Names)}");
        var values = new double[declared.Count];
        for (var i = 0; i < values.Length; i++) values[i] = i < spec.Parameters.Count ? spec.Parameters[i] : declared[i].Default;
        try
        {
            IndicatorParameters.Validate(definition, values);
        }
        catch (InvalidSpecException e)
        {
            throw new InvalidSpecException(spec.ToString(), $"{e.Problem}. Valid names: {string.Join(", ", Names)}");
        }

        var indicator = definition.Create(values);
        if (indicator is null || indicator.Outputs.Count == 0 || indicator.ColumnNames.Count != indicator.Outputs.Count)
            throw new InvalidSpecException(spec.ToString(), $"indicator '{spec.Name}' returned no outputs or a column name count that differs from its output count");
        if (spec.Source is null)
        {
            if (spec.SourceOutput is not null)
                throw new InvalidSpecException(spec.ToString(), "an output selector needs a source indicator");
            return indicator;
        }

        var source = Resolve(spec.Source);
        var outputIndex = 0;
        if (spec.SourceOutput is not null)
        {
            outputIndex = IndexOf(source.Outputs, spec.SourceOutput);
            if (outputIndex < 0)
                throw new InvalidSpecException(spec.ToString(),
                    $"'{spec.Source}' has no output '{spec.SourceOutput}'; its outputs are: {string.Join(", ", source.Outputs)}");
        }
        var sourceColumn = source.ColumnNames[outputIndex];
        var stem = IndicatorSpec.ColumnStem(spec.Name, BuiltinIndicators.NameParameters(spec.Name, values), sourceColumn);
        var sourceText = spec.SourceOutput is null ? source.Name : $"{source.Name}.{source.Outputs[outputIndex]}";
        var name = values.Length == 0
            ? $"{spec.Name}({sourceText})"
            : $"{spec.Name}({sourceText},{string.Join(",", values.Select(IndicatorSpec.FormatNumber))})";
        return new ChainedIndicator(source, outputIndex, indicator, name, IndicatorParameters.Columns(stem, indicator.Outputs));
    }

    /// <summary>Resolves spec text such as <c>ema(macd(12,26,9).signal,3)</c>.</summary>
    public IIndicator Resolve(string spec) => Resolve(IndicatorSpec.Parse(spec));

    private static int IndexOf(IReadOnlyList<string> outputs, string name)
    {
        for (var i = 0; i < outputs.Count; i++)
        {
            if (string.Equals(outputs[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return -1;
    }
}
