using System.CommandLine;

namespace MarketAnalytics.Cli.Commands;

/// <summary>The list of sub-commands; each feature adds its command here.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> Create(CliContext context)
    {
        yield return IndicatorsCommand.Create(context);
        yield return SqlCommand.Create(context);
        yield return IngestCommand.Create(context);
        yield return DetectCommand.Create(context);
        yield return CleanCommand.Create(context);
    }
}
