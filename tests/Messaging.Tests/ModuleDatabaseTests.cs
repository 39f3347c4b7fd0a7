using IntegrationHub.Messaging.Hosting;
using IntegrationHub.Messaging.Persistence;
using Npgsql;

namespace IntegrationHub.Messaging.Tests;

/// <summary>A module's connection string on PostgreSQL: pooled within the hub's cap, unless the operator set a pool size.</summary>
public sealed class ModuleDatabaseTests
{
    private static readonly HubPaths Paths = new(Path.GetTempPath());

    private static NpgsqlConnectionStringBuilder Built(string connectionString, int? cap = null)
    {
        var options = new DatabaseOptions { Provider = DatabaseProvider.Postgres, ConnectionStrings = { ["routing"] = connectionString } };
        if (cap is { } set)
        {
            options.MaxPoolSize = set;
        }

        return new NpgsqlConnectionStringBuilder(ModuleDatabase.ConnectionStringFor("routing", options, Paths));
    }

    [Fact]
    public void Each_module_database_keeps_ten_connections_at_most_by_default_or_as_many_as_configured()
    {
        Assert.Equal(10, Built("Host=db;Database=routing;Username=hub").MaxPoolSize);
        Assert.Equal(4, Built("Host=db;Database=routing;Username=hub", cap: 4).MaxPoolSize);
        Assert.Equal("routing", Built("Host=db;Database=routing;Username=hub").Database);
    }

    [Theory]
    [InlineData("Host=db;Database=routing;Maximum Pool Size=40")]
    [InlineData("Host=db;Database=routing;maximum pool size = 40")]
    [InlineData("Host=db;Database=routing;MaxPoolSize=40")]
    public void A_pool_size_in_the_connection_string_is_kept(string connectionString) =>
        Assert.Equal(40, Built(connectionString).MaxPoolSize);

    [Fact]
    public void A_cap_below_one_is_a_configuration_error()
    {
        var error = Assert.Throws<HubConfigurationException>(() => Built("Host=db;Database=routing", cap: 0));
        Assert.Contains("MaxPoolSize", error.Message, StringComparison.Ordinal);
    }
}
