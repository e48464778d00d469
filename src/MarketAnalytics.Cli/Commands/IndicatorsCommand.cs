using System.CommandLine;

namespace MarketAnalytics.Cli.Commands;

/// <summary><c>marketanalytics indicators</c>: placeholder until the indicator library lands.</summary>
internal static class IndicatorsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("indicators", "Compute technical indicators over a kline file and write a CSV.");
        command.SetAction(_ =>
        {
            context.Err.WriteLine("not implemented yet");
            return CliApp.InputError;
        });
        return command;
    }
}
