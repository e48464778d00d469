using System.Text;
using MongoDB.Driver;

namespace MarketAnalytics.Mongo;

/// <summary>Log-safe handling of MongoDB connection strings: passwords and secret options are never shown.</summary>
public static class MongoConnectionStrings
{
    /// <summary>What replaces a secret.</summary>
    public const string Mask = "***";

    // Option names (lower case) whose values are secrets. Any option whose name contains "password", "secret" or
    // "token" is masked as well.
    private static readonly string[] SecretOptions = ["authmechanismproperties", "tlscertificatekeyfilepassword", "sslpemkeypassword"];

    /// <summary>
    /// Returns <paramref name="connectionString"/> with the password of its user info and the values of secret options
    /// (<c>authMechanismProperties</c>, <c>*password*</c>, <c>*secret*</c>, <c>*token*</c>) replaced by <c>***</c>.
    /// Input that does not look like a <c>mongodb://</c> URI is replaced entirely, so malformed strings cannot leak.
    /// </summary>
    public static string Redact(string? connectionString)
    {
        if (connectionString is null) return "<null>";
        if (connectionString.Length == 0) return "<empty>";
        var schemeEnd = connectionString.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0) return "<not a mongodb:// connection string; redacted>";
        var scheme = connectionString[..schemeEnd];
        if (!scheme.Equals("mongodb", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("mongodb+srv", StringComparison.OrdinalIgnoreCase))
            return "<not a mongodb:// connection string; redacted>";

        var rest = connectionString[(schemeEnd + 3)..];
        var sb = new StringBuilder(connectionString.Length);
        sb.Append(scheme).Append("://");

        // The host list cannot contain '@', so everything before the last '@' is user info. If an option value holds
        // an '@', more than the user info is masked, which errs on the safe side.
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            var colon = userInfo.IndexOf(':');
            sb.Append(colon >= 0 ? userInfo[..colon] + ":" + Mask : userInfo).Append('@');
            rest = rest[(at + 1)..];
        }

        var q = rest.IndexOf('?');
        if (q < 0) return sb.Append(rest).ToString();
        sb.Append(rest, 0, q + 1);
        var options = rest[(q + 1)..].Split('&');
        for (var i = 0; i < options.Length; i++)
        {
            if (i > 0) sb.Append('&');
            var option = options[i];
            var eq = option.IndexOf('=');
            if (eq < 0) { sb.Append(option); continue; }
            var name = option[..eq];
            sb.Append(name).Append('=').Append(IsSecret(name) ? Mask : option[(eq + 1)..]);
        }
        return sb.ToString();
    }

    /// <summary>Parses <paramref name="connectionString"/>; returns null when valid, else a log-safe description of the problem.</summary>
    public static string? TryParse(string connectionString, out MongoUrl? url)
    {
        url = null;
        try
        {
            url = MongoUrl.Create(connectionString);
            return null;
        }
        catch (Exception e) when (e is MongoConfigurationException or FormatException or ArgumentException or UriFormatException)
        {
            return $"ConnectionString '{Redact(connectionString)}' is not a valid MongoDB connection string: {Scrub(e.Message, connectionString)}";
        }
    }

    /// <summary>Removes the connection string and its password from a message produced by the driver.</summary>
    internal static string Scrub(string message, string connectionString)
    {
        var result = message.Replace(connectionString, Redact(connectionString), StringComparison.Ordinal);
        var password = PasswordOf(connectionString);
        if (!string.IsNullOrEmpty(password))
        {
            result = result.Replace(password, Mask, StringComparison.Ordinal);
            var unescaped = Uri.UnescapeDataString(password);
            if (unescaped.Length > 0) result = result.Replace(unescaped, Mask, StringComparison.Ordinal);
        }
        return result;
    }

    private static string? PasswordOf(string connectionString)
    {
        var schemeEnd = connectionString.IndexOf("://", StringComparison.Ordinal);
        var rest = schemeEnd >= 0 ? connectionString[(schemeEnd + 3)..] : connectionString;
        var at = rest.LastIndexOf('@');
        if (at < 0) return null;
        var colon = rest.IndexOf(':');
        return colon >= 0 && colon < at ? rest[(colon + 1)..at] : null;
    }

    private static bool IsSecret(string optionName)
    {
        var n = optionName.ToLowerInvariant();
        return SecretOptions.Contains(n) || n.Contains("password", StringComparison.Ordinal) || n.Contains("secret", StringComparison.Ordinal) || n.Contains("token", StringComparison.Ordinal);
    }
}
