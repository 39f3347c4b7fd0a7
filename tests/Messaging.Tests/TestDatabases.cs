using IntegrationHub.Messaging.DeadLetters;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Messaging.Tests;

/// <summary>Fresh databases for one test: SQLite files in its folder, or new databases on the test PostgreSQL.</summary>
public static class TestDatabases
{
    public static DatabaseOptions Create(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            return new DatabaseOptions();
        }

        var run = Guid.NewGuid().ToString("N");
        return new DatabaseOptions
        {
            Provider = DatabaseProvider.Postgres,
            ConnectionStrings =
            {
                ["test"] = TestPostgres.ConnectionStringFor($"ihub_test_{run}"),
                [HubMessagingDbContext.DatabaseName] = TestPostgres.ConnectionStringFor($"ihub_messaging_{run}"),
            },
        };
    }
}
