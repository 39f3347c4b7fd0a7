using IntegrationHub.Coordination.Domain;
using IntegrationHub.Coordination.Krr;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Coordination.Tests;

/// <summary>The KRR client against a real HTTP server on loopback.</summary>
public sealed class KrrClientTests : IAsyncLifetime
{
    private LoopbackKrr _krr = null!;

    public async Task InitializeAsync() => _krr = await LoopbackKrr.StartAsync();

    public async Task DisposeAsync() => await _krr.DisposeAsync();

    [Theory]
    [InlineData(LoopbackKrr.Reserved, KrrStatus.Reserved, true)]
    [InlineData(LoopbackKrr.CannotBeNotified, KrrStatus.CannotBeNotified, true)]
    [InlineData(LoopbackKrr.Normal, KrrStatus.Normal, true)]
    [InlineData(LoopbackKrr.Error, KrrStatus.CannotBeNotified, false)]
    [InlineData(LoopbackKrr.Hang, KrrStatus.CannotBeNotified, false)]
    public async Task Each_answer_of_KRR_gives_the_status_and_an_unreachable_KRR_counts_as_cannot_be_notified(string answer, string status, bool reached)
    {
        const string Identifier = "01820012345";
        _krr.Answers[Identifier] = answer;
        using var http = new HttpClient();
        var client = new KrrClient(http, new KrrOptions { BaseUrl = _krr.BaseUrl, Timeout = TimeSpan.FromSeconds(2) });

        var result = await client.LookUpAsync(Identifier, CancellationToken.None);

        Assert.Equal(status, result.Status);
        Assert.Equal(reached, result.Reached);
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
        var client = new KrrClient(http, new KrrOptions { BaseUrl = "http://127.0.0.1:9", Timeout = TimeSpan.FromSeconds(2) });

        var result = await client.LookUpAsync("01820012345", CancellationToken.None);

        Assert.Equal(KrrStatus.CannotBeNotified, result.Status);
        Assert.False(result.Reached);
    }
}
