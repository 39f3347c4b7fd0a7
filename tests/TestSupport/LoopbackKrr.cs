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
/// Digdir's KRR on a loopback Kestrel server (<c>POST /rest/v1/personer</c>). Each identifier gets
/// the answer set for it: reserved, cannot-be-notified, normal, error (500) or hang (no answer).
/// </summary>
public sealed class LoopbackKrr : IAsyncDisposable
{
    public const string Reserved = "reserved";
    public const string CannotBeNotified = "cannot-be-notified";
    public const string Normal = "normal";
    public const string Error = "error";
    public const string Hang = "hang";

    private readonly WebApplication _app;

    private LoopbackKrr(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = null!;

    /// <summary>The answer per identifier; unknown identifiers get <see cref="Normal"/>.</summary>
    public ConcurrentDictionary<string, string> Answers { get; } = new();

    /// <summary>How many times each identifier was looked up.</summary>
    public ConcurrentDictionary<string, int> Lookups { get; } = new();

    public static async Task<LoopbackKrr> StartAsync()
    {
        var app = LoopbackApp.Create();
        var krr = new LoopbackKrr(app);
        app.MapPost("/rest/v1/personer", async (HttpContext http) =>
        {
            var request = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body);
            var ids = request.GetProperty("personidentifikatorer").EnumerateArray().Select(i => i.GetString()!).ToList();
            foreach (var id in ids)
            {
                krr.Lookups.AddOrUpdate(id, 1, (_, n) => n + 1);
            }

            var answers = ids.Select(id => krr.Answers.GetValueOrDefault(id, Normal)).ToList();
            if (answers.Contains(Hang))
            {
                await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return Results.StatusCode(504);
            }

            if (answers.Contains(Error))
            {
                return Results.StatusCode(500);
            }

            return Results.Json(new
            {
                personer = ids.Select(id => new
                {
                    personidentifikator = id,
                    reservasjon = krr.Answers.GetValueOrDefault(id) == Reserved ? "JA" : "NEI",
                    status = "AKTIV",
                    varslingsstatus = krr.Answers.GetValueOrDefault(id) is Reserved or CannotBeNotified ? "KAN_IKKE_VARSLES" : "KAN_VARSLES",
                    kontaktinformasjon = new { epostadresse = "test@example.invalid", mobiltelefonnummer = "+4799999999" },
                }),
            });
        });
        krr.BaseUrl = await LoopbackApp.StartAsync(app);
        return krr;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
