using System.Text.Json;
using IntegrationHub.Hub.Identity;
using IntegrationHub.Hub.Operations;
using IntegrationHub.Hub.Persons;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.DeadLetters;
using IntegrationHub.Messaging.Hosting;
using IntegrationHub.Messaging.Leases;
using IntegrationHub.Messaging.Outbox;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.Messaging.Persons;
using IntegrationHub.Messaging.Transport;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IntegrationHub.Hub.Startup;

public static class HubApplication
{
    /// <summary><c>--modules</c> and <c>--transport</c> are short for the settings they set.</summary>
    private static readonly Dictionary<string, string> SwitchMappings = new()
    {
        ["--modules"] = "Hub:Modules",
        ["--transport"] = BusOptions.TransportKey,
    };

    /// <summary>Runs the start-up checks, then the host until it is stopped.</summary>
    public static async Task RunAsync(WebApplication app)
    {
        await app.Services.GetRequiredService<StartupChecks>().EnsureAsync(CancellationToken.None);
        await app.RunAsync();
    }

    /// <param name="time">The clock every module reads; tests pass one they can move, to drive expiry and timers.</param>
    /// <param name="configureServices">Last changes to the services, e.g. a test's in-memory telemetry exporter.</param>
    public static WebApplication Build(string[] args, TimeProvider? time = null, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddCommandLine(args, SwitchMappings);
        var settings = HubSettings.Read(builder.Configuration, builder.Environment);
        ConfigureServices(builder, settings, time ?? TimeProvider.System);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            SuppressDiagnosticsCallback = context => BadRequestProblemHandler.IsCallerMistake(context.Exception),
        });
        app.UseStatusCodePages();
        if (settings.DevelopmentIssuerEnabled)
        {
            app.UseDevelopmentSignInCookie();
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        // After authorisation: a caller without the right token is refused before its body is read.
        app.UseRequestBodyGuard(app.Configuration.GetSection(RequestBodyOptions.Section).Get<RequestBodyOptions>() ?? new RequestBodyOptions());

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("ready"),
            ResponseWriter = WriteHealthReport,
        });
        app.MapOpenApi();
        app.MapWhoAmI();
        app.MapPersonKeys();
        app.MapDeadLetters();
        app.MapRuntimeFigures();
        foreach (var module in settings.Modules)
        {
            module.MapEndpoints(app);
        }

        return app;
    }

    private static void ConfigureServices(WebApplicationBuilder builder, HubSettings settings, TimeProvider time)
    {
        var services = builder.Services;
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.Logging.Configure(options =>
            options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        // First hosted service: checks the broker and migrates before anything else starts.
        services.AddSingleton(settings);
        services.AddSingleton<StartupChecks>();
        services.AddHostedService(sp => sp.GetRequiredService<StartupChecks>());

        services.AddSingleton(time);
        services.AddSingleton(settings.Paths);
        services.AddSingleton(settings.IdentifierRules);
        services.AddSingleton(new PersonKeyGenerator(settings.PersonKeySecret));
        services.AddSingleton(new PersonIdentifierSealer(settings.PersonKeySecret));
        services.AddSingleton(AtRestCipher.FromConfiguration(builder.Configuration, settings.Paths, builder.Environment.IsProduction()));
        services.Configure<OutboxOptions>(builder.Configuration.GetSection(OutboxOptions.Section));
        services.Configure<LeaseOptions>(builder.Configuration.GetSection(LeaseOptions.Section));
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestProblemHandler>();
        services.AddOpenApi();

        var developmentIssuer = settings.DevelopmentIssuerEnabled
            ? new DevelopmentIssuer(settings.Auth, settings.Paths.DataDirectory, TimeProvider.System)
            : null;
        if (developmentIssuer is not null)
        {
            services.AddSingleton(developmentIssuer);
        }

        services.AddHubAuthentication(settings.Auth, developmentIssuer);
        services.AddAuthorization();
        PersonKeyLookupLimits.AddTo(services, builder.Configuration.GetSection(PersonKeyLookupLimits.Section).Get<PersonKeyLookupLimits>() ?? new PersonKeyLookupLimits());

        services.AddModuleDatabase<HubMessagingDbContext>(HubMessagingDbContext.DatabaseName, settings.Database, settings.Paths);
        RetentionOptions.Register(services, builder.Configuration);
        services.AddSingleton<IRetentionSweep<HubMessagingDbContext>, DeadLetterSweep>();
        services.AddSharedKeyRing();
        var moduleContext = new Messaging.Hosting.HubModuleContext(settings.Paths, settings.Database, builder.Environment.IsProduction(), builder.Environment.IsDevelopment());
        foreach (var module in settings.Modules)
        {
            module.Register(services, builder.Configuration, moduleContext);
        }

        services.AddHubBus(settings.Transport, settings.Bus, settings.RabbitMq, settings.Modules.Select(m => (Action<MassTransit.IBusRegistrationConfigurator>)m.AddConsumers));
        services.AddHubTelemetry(builder.Configuration, settings.Modules.Select(m => m.Name));
    }

    private static Task WriteHealthReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
        });
    }
}
