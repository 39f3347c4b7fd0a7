using IntegrationHub.Delivery.Persistence;
using IntegrationHub.Delivery.Webhooks;
using IntegrationHub.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Delivery.Tests;

/// <summary>The webhook sender against a real HTTP server on loopback: retries, time limit and circuit breaker.</summary>
public sealed class WebhookSenderTests : IAsyncLifetime
{
    private LoopbackWebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await LoopbackWebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private static WebhookSender<DeliveryDbContext> Sender(WebhookOptions options)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(WebhookSender<DeliveryDbContext>.ClientName);
        var provider = services.BuildServiceProvider();
        return new WebhookSender<DeliveryDbContext>(provider.GetRequiredService<IHttpClientFactory>(), new WebhookTargets<DeliveryDbContext>(options), TimeProvider.System);
    }

    [Fact]
    public async Task A_receiver_that_keeps_failing_opens_the_circuit_and_a_later_call_closes_it_again()
    {
        var sender = Sender(new WebhookOptions
        {
            Retries = 0, MinimumThroughput = 2, FailureRatio = 0.5, SamplingDuration = TimeSpan.FromSeconds(30), BreakDuration = TimeSpan.FromSeconds(1),
        });
        _receiver.Down = true;

        var first = await sender.SendAsync(_receiver.Url, Guid.NewGuid(), "{}", null, CancellationToken.None);
        var second = await sender.SendAsync(_receiver.Url, Guid.NewGuid(), "{}", null, CancellationToken.None);
        var whileOpen = await sender.SendAsync(_receiver.Url, Guid.NewGuid(), "{}", null, CancellationToken.None);

        Assert.False(first.Delivered);
        Assert.Equal(503, Assert.Single(first.Calls).StatusCode);
        Assert.False(second.Delivered);
        Assert.True(whileOpen.CircuitOpen);
        Assert.Empty(whileOpen.Calls);
        Assert.Equal(2, _receiver.Calls.Count);

        _receiver.Down = false;
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var key = Guid.NewGuid();
        var afterBreak = await sender.SendAsync(_receiver.Url, key, "{}", null, CancellationToken.None);
        Assert.True(afterBreak.Delivered);
        Assert.True(_receiver.Processed.ContainsKey(key.ToString()));
    }

    [Fact]
    public async Task Quick_retries_send_the_same_idempotency_key_until_the_receiver_answers()
    {
        await using var flaky = await LoopbackWebhookReceiver.StartAsync(failFirst: 2);
        var sender = Sender(new WebhookOptions { Retries = 2, RetryDelay = TimeSpan.FromMilliseconds(20), MinimumThroughput = 100 });
        var key = Guid.NewGuid();

        var result = await sender.SendAsync(flaky.Url, key, "{\"n\":1}", null, CancellationToken.None);

        Assert.True(result.Delivered);
        Assert.Equal([false, false, true], result.Calls.Select(c => c.Succeeded));
        Assert.All(flaky.Calls, c => Assert.Equal(key.ToString(), c.IdempotencyKey));
        Assert.Single(flaky.Processed);
    }

    [Fact]
    public async Task A_receiver_that_never_answers_is_cut_off_by_the_time_limit()
    {
        var sender = Sender(new WebhookOptions { Retries = 0, Timeout = TimeSpan.FromMilliseconds(300), MinimumThroughput = 100 });
        // A port nobody answers on in time: the receiver holds the request until it is stopped.
        await using var silent = await LoopbackWebhookReceiver.StartAsync();
        silent.Hang = true;

        var result = await sender.SendAsync(silent.Url, Guid.NewGuid(), "{}", null, CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.Equal("timed out", Assert.Single(result.Calls).Error);
    }

    [Fact]
    public async Task A_signed_call_carries_standard_webhooks_headers_the_receiver_verifies_and_another_key_is_refused()
    {
        var secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var sender = Sender(new WebhookOptions { Retries = 0, MinimumThroughput = 100 });
        _receiver.Secret = secret;

        var key = Guid.NewGuid();
        var signed = await sender.SendAsync(_receiver.Url, key, "{\"n\":1}", secret, CancellationToken.None);
        var otherKey = await sender.SendAsync(_receiver.Url, Guid.NewGuid(), "{\"n\":2}", System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), CancellationToken.None);
        var unsigned = await sender.SendAsync(_receiver.Url, Guid.NewGuid(), "{\"n\":3}", null, CancellationToken.None);

        Assert.True(signed.Delivered);
        Assert.True(_receiver.Processed.ContainsKey(key.ToString()));
        Assert.Equal(401, Assert.Single(otherKey.Calls).StatusCode);
        Assert.Equal(401, Assert.Single(unsigned.Calls).StatusCode);
        Assert.Single(_receiver.Processed);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/updates", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "must be https")]
    [InlineData("https://nav.example/updates", null, "needs a signing secret")]
    [InlineData("https://nav.example/updates", "whsec_c2hvcnQ=", "not whsec_")]
    public void Outside_development_a_webhook_must_be_https_and_signed(string url, string? secret, string expected)
    {
        var options = new WebhookOptions { Url = url, Secret = secret };

        var error = Assert.Throws<Messaging.Hosting.HubConfigurationException>(() => options.Validate("NavCases:Webhook", requireSignedHttps: true));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        new WebhookOptions { Url = "http://127.0.0.1:9/updates" }.Validate("NavCases:Webhook", requireSignedHttps: false);
    }
}
