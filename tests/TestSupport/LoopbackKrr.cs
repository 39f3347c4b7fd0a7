using System.Text.Json;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace IntegrationHub.TestSupport;

/// <summary>
/// Digdir's KRR (<c>POST /rest/v1/personer</c>) on WireMock.Net, on loopback. Each identifier gets
/// the answer set for it: reserved, cannot-be-notified, normal (the default), error (500) or hang
/// (no answer within a lookup's time-out). Started with a token, it answers 401 to any call that
/// does not carry it as a bearer token, as KRR does without a Maskinporten token.
/// </summary>
public sealed class LoopbackKrr : IAsyncDisposable
{
    public const string Reserved = "reserved";
    public const string CannotBeNotified = "cannot-be-notified";
    public const string Normal = "normal";
    public const string Error = "error";
    public const string Hang = "hang";

    private const string Path = "/rest/v1/personer";

    /// <summary>
    /// Longer than the time-out of a lookup that meets it (KrrClientTests: 2 s), short enough not to
    /// hold up the server's stop. WireMock logs a call when it has answered, so a hung lookup is
    /// counted in <see cref="Lookups"/> only after this.
    /// </summary>
    public static readonly TimeSpan HangFor = TimeSpan.FromSeconds(4);

    private readonly WireMockServer _server;
    private readonly string? _requiredToken;

    private LoopbackKrr(WireMockServer server, string? requiredToken)
    {
        _server = server;
        _requiredToken = requiredToken;
    }

    public string BaseUrl => _server.Url!;

    /// <summary>How many times each identifier was looked up, once KRR has answered (see <see cref="HangFor"/>).</summary>
    public IReadOnlyDictionary<string, int> Lookups => _server.LogEntries
        .Where(e => e.RequestMessage.Path == Path)
        .SelectMany(e => IdentifiersIn(e.RequestMessage.Body))
        .GroupBy(id => id)
        .ToDictionary(g => g.Key, g => g.Count());

    /// <summary>The Authorization header of every call, in order.</summary>
    public IReadOnlyList<string?> Authorizations => _server.LogEntries
        .Where(e => e.RequestMessage.Path == Path)
        .Select(e => e.RequestMessage.Headers?.TryGetValue("Authorization", out var values) == true ? values.ToString() : null)
        .ToList();

    public static Task<LoopbackKrr> StartAsync(string? requiredToken = null)
    {
        var krr = new LoopbackKrr(LoopbackWireMock.Start(), requiredToken);
        if (requiredToken is not null)
        {
            // Lowest priority: whatever no answer with the right token matched.
            krr._server.Given(Request.Create().WithPath(Path).UsingPost()).AtPriority(1000)
                .RespondWith(Response.Create().WithStatusCode(401));
        }

        // Everyone not set otherwise is a normal, reachable person; the answer names who was asked.
        krr._server.Given(krr.Lookup()).AtPriority(100).RespondWith(Response.Create()
            .WithHeader("Content-Type", "application/json")
            .WithBody(Person("{{JsonPath.SelectToken request.body \"$.personidentifikatorer[0]\"}}", Normal))
            .WithTransformer());
        return Task.FromResult(krr);
    }

    /// <summary>From now on, KRR answers this for the identifier.</summary>
    public void Answer(string identifier, string answer, string mobile = "+4799999999")
    {
        var response = answer switch
        {
            Error => Response.Create().WithStatusCode(500),
            Hang => Response.Create().WithDelay(HangFor).WithStatusCode(504),
            Reserved or CannotBeNotified or Normal => Response.Create().WithHeader("Content-Type", "application/json").WithBody(Person(identifier, answer, mobile)),
            _ => throw new ArgumentOutOfRangeException(nameof(answer), answer, "Unknown KRR answer."),
        };

        // One mapping per identifier (by a Guid made from it), so a new answer replaces the old.
        _server.Given(Lookup().WithBody(new JsonPartialMatcher(new { personidentifikatorer = new[] { identifier } })))
            .WithGuid(GuidFor(identifier)).AtPriority(1).RespondWith(response);
    }

    public ValueTask DisposeAsync()
    {
        _server.Stop();
        _server.Dispose();
        return ValueTask.CompletedTask;
    }

    private IRequestBuilder Lookup()
    {
        var request = Request.Create().WithPath(Path).UsingPost();
        return _requiredToken is null ? request : request.WithHeader("Authorization", $"Bearer {_requiredToken}");
    }

    private static string Person(string identifier, string answer, string mobile = "+4799999999") => $$$"""
        {"personer":[{"personidentifikator":"{{{identifier}}}","reservasjon":"{{{(answer == Reserved ? "JA" : "NEI")}}}","status":"AKTIV",
        "varslingsstatus":"{{{(answer is Reserved or CannotBeNotified ? "KAN_IKKE_VARSLES" : "KAN_VARSLES")}}}",
        "kontaktinformasjon":{"epostadresse":"test@example.invalid","mobiltelefonnummer":"{{{mobile}}}"}}]}
        """;

    private static Guid GuidFor(string identifier) => new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes("krr:" + identifier)));

    private static IEnumerable<string> IdentifiersIn(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return [];
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.TryGetProperty("personidentifikatorer", out var ids)
            ? ids.EnumerateArray().Select(i => i.GetString()!).ToList()
            : [];
    }
}
