namespace MarketAnalytics.Binance.Tests.Infra;

internal sealed class TempDir : IDisposable
{
    public TempDir(string prefix = "ma-binance")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Relative path → SHA-256 of every file under <paramref name="dir"/> (checkpoints excluded).</summary>
    public static SortedDictionary<string, string> Hashes(string dir)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            var rel = System.IO.Path.GetRelativePath(dir, f);
            if (rel.StartsWith("_checkpoints", StringComparison.Ordinal)) continue;
            result[rel] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)));
        }
        return result;
    }
}
