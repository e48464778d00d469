namespace MarketAnalytics;

/// <summary>A validated exchange symbol such as <c>BTCUSDT</c>: 1–20 upper-case ASCII letters or digits.</summary>
/// <remarks>
/// Validation happens once, here, so a <see cref="SymbolId"/> is always safe to put into a URL,
/// a file path or a SQL literal.
/// </remarks>
public readonly record struct SymbolId : IComparable<SymbolId>
{
    /// <summary>Longest symbol accepted.</summary>
    public const int MaxLength = 20;

    private readonly string? _value;

    private SymbolId(string value) => _value = value;

    /// <summary>The symbol text, upper case.</summary>
    public string Value => _value ?? throw new InvalidOperationException("A default SymbolId has no value; create one with SymbolId.Parse.");

    /// <summary>Validates <paramref name="text"/> and returns the symbol, or throws <see cref="InvalidSymbolException"/>.</summary>
    public static SymbolId Parse(string? text)
    {
        var problem = Check(text);
        if (problem is not null) throw new InvalidSymbolException(text, problem);
        return new SymbolId(text!);
    }

    /// <summary>Validates <paramref name="text"/> without throwing.</summary>
    public static bool TryParse(string? text, out SymbolId symbol)
    {
        symbol = Check(text) is null ? new SymbolId(text!) : default;
        return symbol._value is not null;
    }

    /// <summary>Returns why <paramref name="text"/> is not a valid symbol, or null when it is.</summary>
    public static string? Check(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "it is empty";
        if (text.Length > MaxLength) return $"it has {text.Length} characters, more than {MaxLength}";
        foreach (var c in text)
        {
            if (c is >= 'A' and <= 'Z' or >= '0' and <= '9') continue;
            if (c is >= 'a' and <= 'z') return $"lower-case letter '{c}' (symbols are upper case)";
            return char.IsControl(c) ? $"control character U+{(int)c:X4}" : $"character '{c}' is not allowed";
        }
        return null;
    }

    /// <inheritdoc />
    public int CompareTo(SymbolId other) => string.CompareOrdinal(_value, other._value);

    /// <inheritdoc />
    public override string ToString() => _value ?? string.Empty;

    /// <summary>Parses a symbol; same as <see cref="Parse"/>.</summary>
    public static explicit operator SymbolId(string text) => Parse(text);
}
