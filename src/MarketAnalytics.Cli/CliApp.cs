using System.CommandLine;
using MarketAnalytics.Cli.Commands;

namespace MarketAnalytics.Cli;

/// <summary>Entry point of the <c>marketanalytics</c> command, callable in-process (tests, hosts that add indicators).</summary>
public static class CliApp
{
    /// <summary>Exit code for success.</summary>
    public const int Ok = 0;
    /// <summary>Exit code for bad input or usage (unknown indicator, bad symbol, unreadable file).</summary>
    public const int InputError = 2;
    /// <summary>Exit code for an environment failure (host unreachable, path not writable).</summary>
    public const int EnvironmentError = 3;

    /// <summary>Runs the command line; <paramref name="configure"/> can register custom indicators or adapters.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr,
        Action<MarketAnalyticsBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(stdout, stderr, configure);
        var root = new RootCommand("MarketAnalytics: Binance market data, technical indicators and anomaly detection.");
        foreach (var command in CommandCatalog.Create(context)) root.Subcommands.Add(command);
        var parse = root.Parse(args);
        var config = new InvocationConfiguration { Output = stdout, Error = stderr };
        try
        {
            return await parse.InvokeAsync(config, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("Cancelled.");
            return 130;
        }
    }
}

/// <summary>What every command needs: output streams and the composition hook.</summary>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr, Action<MarketAnalyticsBuilder>? configure)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Err { get; } = stderr;

    /// <summary>Creates a builder with the caller's registrations and any <c>--plugin</c> assemblies applied.</summary>
    public MarketAnalyticsBuilder CreateBuilder(IEnumerable<string>? plugins = null)
    {
        var builder = new MarketAnalyticsBuilder();
        configure?.Invoke(builder);
        foreach (var plugin in plugins ?? []) PluginLoader.Load(builder, plugin);
        return builder;
    }

    /// <summary>Reports a MarketAnalytics error in one line and returns the exit code for it.</summary>
    public int Fail(Exception e, int code = CliApp.InputError)
    {
        Err.WriteLine($"error: {e.Message}");
        return code;
    }
}
