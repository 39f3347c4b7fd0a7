using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.TestSupport;

/// <summary>A small Kestrel app on a free loopback port: how the tests stand in for outside parties.</summary>
public static class LoopbackApp
{
    /// <param name="configure">Services the app needs before it is built (a reverse proxy, say).</param>
    public static WebApplication Create(Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        configure?.Invoke(builder);
        return builder.Build();
    }

    /// <summary>Starts the app and answers its address, e.g. http://127.0.0.1:41234.</summary>
    public static async Task<string> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        return app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
    }
}
