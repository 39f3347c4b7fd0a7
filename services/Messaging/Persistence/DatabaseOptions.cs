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

    /// <summary>
    /// On PostgreSQL, the connections each instance keeps at most per module database, unless the
    /// connection string sets <c>Maximum Pool Size</c> itself. Npgsql's own default is 100 per
    /// database; with several instances of a process of several databases each, that is more than a
    /// server allows (100 by default), and a consumer refused a connection ("too many clients")
    /// fails its retries and is dead-lettered. A consumer beyond the cap waits for a connection
    /// instead. The server must allow instances × module databases × this.
    /// </summary>
    public int MaxPoolSize { get; set; } = 10;
}
