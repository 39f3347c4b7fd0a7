using System.Net.Http.Headers;
using IntegrationHub.Hub.Startup;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.TestSupport;

/// <summary>
/// The hub as <c>Main</c> builds it (same configuration, pipeline and Kestrel) on a free loopback
/// port, with its own data folder, in memory transport.
/// </summary>
public sealed class HubTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly TemporaryDirectory _dataDirectory;
    private readonly bool _ownsDataDirectory;

    private HubTestServer(WebApplication app, TemporaryDirectory dataDirectory, bool ownsDataDirectory, Uri address)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
        Client = new HttpClient { BaseAddress = address };
    }

    public string DataDirectory => _dataDirectory.Path;

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<HubTestServer> StartAsync(params string[] extraArguments) => StartAsync(null, extraArguments);

    /// <param name="time">The hub's clock; null for the system clock.</param>
    public static Task<HubTestServer> StartAsync(TimeProvider? time, params string[] extraArguments) =>
        StartAsync(new TemporaryDirectory("host-tests"), ownsDataDirectory: true, time, extraArguments);

    /// <summary>A hub on a data folder the test keeps, so a second hub can start where the first stopped (a restart).</summary>
    public static Task<HubTestServer> StartInAsync(TemporaryDirectory dataDirectory, TimeProvider? time, params string[] extraArguments) =>
        StartAsync(dataDirectory, ownsDataDirectory: false, time, extraArguments);

    /// <summary>A hub with last changes to its services, e.g. an in-memory telemetry exporter.</summary>
    public static Task<HubTestServer> StartWithServicesAsync(Action<IServiceCollection> configureServices, params string[] extraArguments) =>
        StartAsync(new TemporaryDirectory("host-tests"), ownsDataDirectory: true, null, extraArguments, configureServices);

    private static async Task<HubTestServer> StartAsync(
        TemporaryDirectory dataDirectory, bool ownsDataDirectory, TimeProvider? time, string[] extraArguments, Action<IServiceCollection>? configureServices = null)
    {
        string[] arguments =
        [
            "--environment", "Development",
            "--urls", "http://127.0.0.1:0",
            $"--Hub:DataDirectory={dataDirectory.Path}",
            "--Hub:Outbox:PollInterval=00:00:00.100",
            "--Logging:LogLevel:Default=Warning",
            .. extraArguments,
        ];
        var app = HubApplication.Build(arguments, time, configureServices);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new HubTestServer(app, dataDirectory, ownsDataDirectory, new Uri(address));
    }

    public HttpRequestMessage Request(HttpMethod method, string path, string? role = null, string? party = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        if (role is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HubTokens.For(DataDirectory, role, party));
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsDataDirectory)
        {
            _dataDirectory.Dispose();
        }
    }
}
