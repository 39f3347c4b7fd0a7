namespace IntegrationHub.Messaging.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public sealed class DatabaseOptions
{
    public const string Section = "Hub:Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// Per-module connection strings by module database name. Missing entries on SQLite default
    /// to a file per module in the data folder; on PostgreSQL every module needs one.
    /// </summary>
    public Dictionary<string, string> ConnectionStrings { get; set; } = [];
}
