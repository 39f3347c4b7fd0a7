using WireMock.Server;
using WireMock.Settings;

namespace IntegrationHub.TestSupport;

/// <summary>
/// A WireMock.Net server for an outside party, bound to loopback only: by default WireMock
/// listens on every interface, and the tests must never open a port beyond this machine.
/// </summary>
public static class LoopbackWireMock
{
    public static WireMockServer Start()
    {
        var server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"], StartAdminInterface = false });
        var url = server.Url ?? throw new InvalidOperationException("WireMock started without an address.");
        if (!url.StartsWith("http://127.0.0.1:", StringComparison.Ordinal) || url.EndsWith(":0", StringComparison.Ordinal))
        {
            server.Stop();
            throw new InvalidOperationException($"WireMock listens on {url}, not on a loopback port of its own.");
        }

        return server;
    }
}
