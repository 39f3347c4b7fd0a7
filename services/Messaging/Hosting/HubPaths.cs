namespace IntegrationHub.Messaging.Hosting;

public sealed class HubPaths
{
    public const string DataDirectoryKey = "Hub:DataDirectory";

    public HubPaths(string dataDirectory) => DataDirectory = Path.GetFullPath(dataDirectory);

    /// <summary>SQLite files and development secrets live here (default <c>data/</c>).</summary>
    public string DataDirectory { get; }
}
