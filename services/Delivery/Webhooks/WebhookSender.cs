using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Mime;
using System.Text;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace IntegrationHub.Delivery.Webhooks;

/// <summary>What one HTTP call to a webhook came to.</summary>
public sealed record WebhookCallResult(DateTimeOffset At, bool Succeeded, int? StatusCode, string? Error);

/// <summary>The calls of one delivery attempt; <see cref="CircuitOpen"/> when the breaker let none through.</summary>
public sealed record WebhookSendResult(bool Delivered, bool CircuitOpen, IReadOnlyList<WebhookCallResult> Calls);

/// <summary>
/// POSTs an update to a webhook with its Idempotency-Key through Polly: a time limit per call, a few
/// quick retries with exponential backoff and jitter, and a circuit breaker per URL so a receiver
/// that is down is not hammered. Longer backoff between attempts is the worker's, kept in the database.
/// </summary>
public sealed class WebhookSender<TContext>(IHttpClientFactory clients, WebhookTargets<TContext> targets, TimeProvider time)
{
    public static readonly string ClientName = $"webhook-{typeof(TContext).Name}";

    private readonly ConcurrentDictionary<Uri, ResiliencePipeline<HttpResponseMessage>> pipelines = new();

    /// <param name="secret">Signs each call (Standard Webhooks headers); null sends unsigned, which only Development allows.</param>
    public async Task<WebhookSendResult> SendAsync(Uri url, Guid idempotencyKey, string json, byte[]? secret, CancellationToken cancellationToken)
    {
        var calls = new List<WebhookCallResult>();
        var pipeline = pipelines.GetOrAdd(url, _ => Build(targets.Options));
        var http = clients.CreateClient(ClientName);
        try
        {
            using var response = await pipeline.ExecuteAsync(
                async token =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, url)
                    {
                        Content = new StringContent(json, Encoding.UTF8, MediaTypeNames.Application.Json),
                    };
                    request.Headers.Add("Idempotency-Key", idempotencyKey.ToString());
                    if (secret is not null)
                    {
                        // Each call is signed at its own time, so a receiver's replay window holds for retries too.
                        var now = time.GetUtcNow();
                        request.Headers.Add(WebhookSignature.IdHeader, idempotencyKey.ToString());
                        request.Headers.Add(WebhookSignature.TimestampHeader, now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
                        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, idempotencyKey.ToString(), now, json));
                    }

                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypeNames.Application.Json));
                    try
                    {
                        var answer = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
                        calls.Add(new WebhookCallResult(time.GetUtcNow(), answer.IsSuccessStatusCode, (int)answer.StatusCode, answer.IsSuccessStatusCode ? null : answer.ReasonPhrase));
                        return answer;
                    }
                    catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                    {
                        calls.Add(new WebhookCallResult(time.GetUtcNow(), false, null, ex is OperationCanceledException ? "timed out" : Describe(ex)));
                        throw;
                    }
                },
                cancellationToken);
            return new WebhookSendResult(response.IsSuccessStatusCode, false, calls);
        }
        catch (BrokenCircuitException)
        {
            return new WebhookSendResult(false, calls.Count == 0, calls);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException)
        {
            return new WebhookSendResult(false, false, calls);
        }
    }

    private static ResiliencePipeline<HttpResponseMessage> Build(WebhookOptions options)
    {
        var transient = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(r => r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500);
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (options.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.Retries,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = transient,
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                ShouldHandle = transient,
            })
            .AddTimeout(options.Timeout)
            .Build();
    }

    // The message of a connection error names host and port only; never the body.
    private static string Describe(Exception ex)
    {
        var message = ex.Message;
        return message.Length > 200 ? message[..200] : message;
    }
}
