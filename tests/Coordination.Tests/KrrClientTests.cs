using IntegrationHub.Coordination.Domain;
using IntegrationHub.Coordination.Krr;
using IntegrationHub.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Coordination.Tests;

/// <summary>The KRR client against a real HTTP server on loopback.</summary>
public sealed class KrrClientTests : IAsyncLifetime
{
    private readonly ServiceProvider _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    private LoopbackKrr _krr = null!;

    public async Task InitializeAsync() => _krr = await LoopbackKrr.StartAsync();

    public async Task DisposeAsync()
    {
        await _krr.DisposeAsync();
        await _services.DisposeAsync();
    }

    /// <summary>Without Maskinporten configured, as against a local KRR in development.</summary>
    private KrrClient Client(HttpClient http, string baseUrl) =>
        new(http, new KrrOptions { BaseUrl = baseUrl, Timeout = TimeSpan.FromSeconds(2) }, new MaskinportenTokens(_services.GetRequiredService<IHttpClientFactory>(), new MaskinportenOptions(), TimeProvider.System));

    [Theory]
    [InlineData(LoopbackKrr.Reserved, KrrStatus.Reserved, true)]
    [InlineData(LoopbackKrr.CannotBeNotified, KrrStatus.CannotBeNotified, true)]
    [InlineData(LoopbackKrr.Normal, KrrStatus.Normal, true)]
    [InlineData(LoopbackKrr.Error, KrrStatus.CannotBeNotified, false)]
    [InlineData(LoopbackKrr.Hang, KrrStatus.CannotBeNotified, false)]
    public async Task Each_answer_of_KRR_gives_the_status_and_an_unreachable_KRR_counts_as_cannot_be_notified(string answer, string status, bool reached)
    {
        const string Identifier = "01820012345";
        _krr.Answer(Identifier, answer);
        using var http = new HttpClient();
        var client = Client(http, _krr.BaseUrl);

        var result = await client.LookUpAsync(Identifier, CancellationToken.None);

        Assert.Equal(status, result.Status);
        Assert.Equal(reached, result.Reached);
        await Eventually.WaitForAsync(() => Task.FromResult(_krr.Lookups.GetValueOrDefault(Identifier)), n => n > 0, "KRR's log of the lookup");
        Assert.Equal(1, _krr.Lookups[Identifier]);
        if (!reached)
        {
            Assert.DoesNotContain(Identifier, result.Problem!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Nobody_listening_counts_as_cannot_be_notified()
    {
        using var http = new HttpClient();
        var client = Client(http, "http://127.0.0.1:9");

        var result = await client.LookUpAsync("01820012345", CancellationToken.None);

        Assert.Equal(KrrStatus.CannotBeNotified, result.Status);
        Assert.False(result.Reached);
    }
}
