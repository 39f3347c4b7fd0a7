using System.Net;
using System.Net.Http.Headers;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Pages.Tests;

/// <summary>The pages through the real pipeline without a browser: what a caller's mistake or a missing API gives.</summary>
public sealed class PagesHttpTests : IAsyncLifetime
{
    private HubTestServer _hub = null!;

    // The pages' API is a port where nothing listens, as when a split deployment's API process restarts.
    public async Task InitializeAsync() => _hub = await HubTestServer.StartAsync($"--Pages:ApiBaseUrl=http://127.0.0.1:{HubProcess.FreePort()}");

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private HttpRequestMessage AsCoordinator(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HubTokens.For(_hub.DataDirectory, HubRoles.Coordinator, "0301", "koord-7"));
        return request;
    }

    [Fact]
    public async Task When_the_API_cannot_be_reached_the_page_says_so_instead_of_failing()
    {
        using var request = AsCoordinator(HttpMethod.Get, "/sider/arbeidsliste");
        using var response = await _hub.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Hubben svarer ikke akkurat nå", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_form_post_without_its_antiforgery_token_is_refused_with_400()
    {
        using var request = AsCoordinator(HttpMethod.Post, $"/sider/eskaleringer/{Guid.NewGuid()}?handler=Ta", new FormUrlEncodedContent([]));
        using var response = await _hub.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("/sider/personer/not-a-key/kontakt")]
    [InlineData("/sider/eskaleringer/not-a-guid")]
    public async Task An_address_that_names_nothing_is_404(string path)
    {
        using var request = AsCoordinator(HttpMethod.Get, path);
        using var response = await _hub.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
