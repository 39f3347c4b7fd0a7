using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.TestSupport;

/// <summary>
/// A party's webhook (NAV, a municipal system) on a loopback Kestrel server. It answers 503 to
/// the first <c>failFirst</c> calls, then 200; like a well-behaved receiver it processes each
/// Idempotency-Key once and answers a repeat with 200 without processing it again.
/// </summary>
public sealed class LoopbackWebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresLeft;

    public sealed record Call(DateTimeOffset At, string? IdempotencyKey, int Status, JsonElement? Body);

    private LoopbackWebhookReceiver(WebApplication app, int failFirst)
    {
        _app = app;
        _failuresLeft = failFirst;
    }

    public Uri Url { get; private set; } = null!;

    public ConcurrentQueue<Call> Calls { get; } = new();

    /// <summary>Bodies processed, by Idempotency-Key: each key once.</summary>
    public ConcurrentDictionary<string, JsonElement> Processed { get; } = new();

    /// <summary>How many times a key came again after it was processed.</summary>
    public int Repeats => Calls.Count(c => c.Status == 200) - Processed.Count;

    /// <summary>While true, every call is answered 503 (the receiver is down).</summary>
    public bool Down { get; set; }

    /// <summary>While true, calls get no answer until the caller gives up (a receiver that hangs).</summary>
    public bool Hang { get; set; }

    /// <summary>When set, a call must carry a valid Standard Webhooks signature with this key, or it gets 401.</summary>
    public byte[]? Secret { get; set; }

    /// <summary>Checks the signature as a receiver following standardwebhooks.com would, independently of the hub's signer.</summary>
    private static bool SignedBy(byte[] secret, IHeaderDictionary headers, string body)
    {
        var id = headers["webhook-id"].ToString();
        var timestamp = headers["webhook-timestamp"].ToString();
        if (id.Length == 0 || !long.TryParse(timestamp, out var seconds) || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300)
        {
            return false;
        }

        var expected = "v1," + Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(secret, System.Text.Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        return headers["webhook-signature"].ToString().Split(' ').Contains(expected, StringComparer.Ordinal);
    }

    public static async Task<LoopbackWebhookReceiver> StartAsync(int failFirst = 0)
    {
        var app = LoopbackApp.Create();
        var receiver = new LoopbackWebhookReceiver(app, failFirst);
        app.MapPost("/updates", async (HttpContext http) =>
        {
            var key = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
            if (receiver.Hang)
            {
                await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return Results.StatusCode(504);
            }

            using var reader = new StreamReader(http.Request.Body);
            var text = await reader.ReadToEndAsync();
            var body = JsonSerializer.Deserialize<JsonElement>(text);
            if (receiver.Secret is { } secret && !SignedBy(secret, http.Request.Headers, text))
            {
                receiver.Calls.Enqueue(new Call(DateTimeOffset.UtcNow, key, 401, body));
                return Results.Unauthorized();
            }

            if (receiver.Down || Interlocked.Decrement(ref receiver._failuresLeft) >= 0)
            {
                receiver.Calls.Enqueue(new Call(DateTimeOffset.UtcNow, key, 503, body));
                return Results.StatusCode(503);
            }

            if (key is null)
            {
                receiver.Calls.Enqueue(new Call(DateTimeOffset.UtcNow, key, 400, body));
                return Results.BadRequest();
            }

            receiver.Processed.TryAdd(key, body);
            receiver.Calls.Enqueue(new Call(DateTimeOffset.UtcNow, key, 200, body));
            return Results.Ok();
        });
        var address = await LoopbackApp.StartAsync(app);
        receiver.Url = new Uri($"{address}/updates");
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
