using IntegrationHub.Messaging.Hosting;
using IntegrationHub.Messaging.Outbox;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntegrationHub.Messaging.Persistence;

/// <summary>A module database the host migrates before start and checks for readiness.</summary>
public interface IModuleDatabase
{
    string Name { get; }

    Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken);
}

public static class ModuleDatabase
{
    /// <summary>
    /// Registers a module's DbContext on the configured provider with its outbox dispatcher,
    /// migration at start-up, and a readiness check.
    /// </summary>
    public static IServiceCollection AddModuleDatabase<TContext>(
        this IServiceCollection services, string name, DatabaseOptions options, HubPaths paths)
        where TContext : MessagingDbContext
    {
        var connectionString = ConnectionStringFor(name, options, paths);
        services.AddSingleton<OutboxSignal<TContext>>();
        // Pooled: each scope (a request, a consumed message) leases a context that EF has reset,
        // instead of building one and its internal services anew. The options are built once.
        services.AddDbContextPool<TContext>(
            (provider, builder) =>
            {
                UseProvider(builder, options.Provider, connectionString);
                builder.AddInterceptors(new OutboxCommitInterceptor<TContext>(provider.GetRequiredService<OutboxSignal<TContext>>()));
            });
        services.AddSingleton<IModuleDatabase>(new Migrator<TContext>(name));
        services.AddSingleton<OutboxDispatcher<TContext>>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher<TContext>>());
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"database-{name}",
            sp => new DatabaseHealthCheck<TContext>(sp),
            HealthStatus.Unhealthy,
            ["ready"]));
        return services;
    }

    public static DbContextOptionsBuilder UseProvider(DbContextOptionsBuilder builder, DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            builder.UseNpgsql(connectionString);
        }
        else
        {
            builder.UseSqlite(connectionString);
        }

        // Migrations are hand-written (no design tools here), so there is no model snapshot to compare.
        return builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }

    public static string ConnectionStringFor(string name, DatabaseOptions options, HubPaths paths)
    {
        if (options.ConnectionStrings.TryGetValue(name, out var configured) && !string.IsNullOrWhiteSpace(configured))
        {
            return options.Provider == DatabaseProvider.Postgres ? WithPoolCap(configured, options.MaxPoolSize) : configured;
        }

        if (options.Provider == DatabaseProvider.Postgres)
        {
            throw new HubConfigurationException(
                $"Hub:Database:ConnectionStrings:{name} is required when Hub:Database:Provider is Postgres.");
        }

        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(paths.DataDirectory, $"{name}.db"),
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
    }

    /// <summary>The connection string with <c>Maximum Pool Size</c> set, unless it sets a pool size of its own.</summary>
    private static string WithPoolCap(string connectionString, int maxPoolSize)
    {
        if (maxPoolSize < 1)
        {
            throw new HubConfigurationException("Hub:Database:MaxPoolSize must be at least 1.");
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var own = connectionString.Split(';').Select(part => part.Split('=')[0].Trim().Replace(" ", string.Empty, StringComparison.Ordinal))
            .Any(key => key.Equals("MaximumPoolSize", StringComparison.OrdinalIgnoreCase) || key.Equals("MaxPoolSize", StringComparison.OrdinalIgnoreCase));
        if (!own)
        {
            builder.MaxPoolSize = maxPoolSize;
        }

        return builder.ConnectionString;
    }

    private sealed class Migrator<TContext>(string name) : IModuleDatabase
        where TContext : MessagingDbContext
    {
        public string Name => name;

        public async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            if (db.Database.IsSqlite())
            {
                Directory.CreateDirectory(Path.GetDirectoryName(db.Database.GetDbConnection().DataSource) ?? ".");
                // WAL lets readers work beside the single writer; it is a property of the file, set once.
                await db.Database.OpenConnectionAsync(cancellationToken);
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
                await db.Database.CloseConnectionAsync();
            }

            await db.Database.MigrateAsync(cancellationToken);
        }
    }

    private sealed class DatabaseHealthCheck<TContext>(IServiceProvider services) : IHealthCheck
        where TContext : MessagingDbContext
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            try
            {
                // A query on a table the migrations made, not just a connection: a missing file or schema fails here.
                _ = await db.OutboxMessages.AnyAsync(m => m.DispatchedAt == null, cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy($"Database {typeof(TContext).Name} is not usable.", ex);
            }
        }
    }
}
