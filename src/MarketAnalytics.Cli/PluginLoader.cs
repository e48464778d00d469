using System.Reflection;

namespace MarketAnalytics.Cli;

/// <summary>Loads custom indicators from a user's assembly: every public, non-abstract <see cref="IIndicatorDefinition"/> with a parameterless constructor.</summary>
internal static class PluginLoader
{
    public static int Load(MarketAnalyticsBuilder builder, string assemblyPath)
    {
        var full = Path.GetFullPath(assemblyPath);
        if (!File.Exists(full)) throw new MarketAnalyticsException($"Plugin assembly '{assemblyPath}' does not exist.");
        Assembly assembly;
        try
        {
            assembly = Assembly.LoadFrom(full);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException)
        {
            throw new MarketAnalyticsException($"Plugin '{assemblyPath}' is not a loadable .NET assembly: {e.Message}", e);
        }
        var count = 0;
        foreach (var type in assembly.GetExportedTypes())
        {
            if (type.IsAbstract || !typeof(IIndicatorDefinition).IsAssignableFrom(type) || type.GetConstructor(Type.EmptyTypes) is null) continue;
            builder.AddIndicator((IIndicatorDefinition)Activator.CreateInstance(type)!);
            count++;
        }
        if (count == 0) throw new MarketAnalyticsException($"Plugin '{assemblyPath}' has no public IIndicatorDefinition with a parameterless constructor.");
        return count;
    }
}
