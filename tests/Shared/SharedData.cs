using Xunit;

namespace MarketAnalytics.Testing;

/// <summary>Locates the real-data folder <c>../shared/data</c> beside the repository checkout.</summary>
/// <remarks>Set <c>MARKETANALYTICS_SHARED_DATA</c> to point elsewhere. Tests that need it call <see cref="Require"/> and are skipped with a reason when it is absent.</remarks>
internal static class SharedData
{
    private static readonly Lazy<string?> Root = new(Find);

    public static string? Directory => Root.Value;

    /// <summary>Full path of a file or folder under shared/data; skips the test when it is absent.</summary>
    public static string Require(string relative)
    {
        var root = Root.Value;
        Skip.If(root is null, "../shared/data is not present beside the checkout (set MARKETANALYTICS_SHARED_DATA); real-data test skipped.");
        var path = Path.Combine(root!, relative);
        Skip.If(!File.Exists(path) && !System.IO.Directory.Exists(path), $"shared data '{relative}' is absent; real-data test skipped.");
        return path;
    }

    /// <summary>The repository root (the folder holding MarketAnalytics.sln).</summary>
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MarketAnalytics.sln"))) return dir.FullName;
            }
            throw new InvalidOperationException("MarketAnalytics.sln not found above " + AppContext.BaseDirectory);
        }
    }

    private static string? Find()
    {
        var env = Environment.GetEnvironmentVariable("MARKETANALYTICS_SHARED_DATA");
        if (!string.IsNullOrEmpty(env)) return System.IO.Directory.Exists(env) ? env : null;
        var candidate = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));
        return System.IO.Directory.Exists(candidate) ? candidate : null;
    }
}
