using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using IntegrationHub.Coordination.Domain;
using IntegrationHub.Messaging.Hosting;

namespace IntegrationHub.Coordination.Krr;

/// <summary>Digdir's Kontakt- og reservasjonsregisteret (section <c>Coordination:Krr</c>).</summary>
public sealed class KrrOptions
{
    public const string Section = "Coordination:Krr";

    /// <summary>E.g. https://kontaktregisteret.no; without it no lookups are made and KRR stays unknown.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>How the hub gets its access token. Without it, lookups carry none: only for a local KRR in development.</summary>
    public MaskinportenOptions Maskinporten { get; set; } = new();

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A person is looked up again this long after a lookup that worked.</summary>
    public TimeSpan LookUpAgainAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>After a failed lookup (KRR down, a time-out), the next try comes this long after.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromMinutes(15);

    public Uri? Endpoint => string.IsNullOrWhiteSpace(BaseUrl) ? null : new Uri(new Uri(BaseUrl.TrimEnd('/') + "/"), "rest/v1/personer");

    public void Validate()
    {
        if (!string.IsNullOrWhiteSpace(BaseUrl) && (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            throw new HubConfigurationException($"{Section}:BaseUrl is not an absolute http(s) URL.");
        }

        if (Timeout <= TimeSpan.Zero || LookUpAgainAfter <= TimeSpan.Zero || RetryAfter <= TimeSpan.Zero)
        {
            throw new HubConfigurationException($"{Section}: Timeout, LookUpAgainAfter and RetryAfter must be positive.");
        }

        Maskinporten.Validate();
    }
}

/// <summary>
/// The answer: the person's KRR status and the contact details KRR holds, or that KRR could not be
/// asked (then the person counts as cannot-be-notified, and the details last seen are kept).
/// </summary>
public sealed record KrrAnswer(string Status, bool Reached, string? Problem)
{
    public KrrContact? Contact { get; init; }
}

/// <summary>The mobile number and e-mail address the person registered in KRR, for staff who must reach them.</summary>
public sealed record KrrContact(string? Mobile, string? Email);

/// <summary>
/// <c>POST {krr}/rest/v1/personer</c> with one identifier. Reserved or cannot-be-notified means
/// manual follow-up; if KRR cannot be reached the person counts as cannot-be-notified, as NAV does.
/// </summary>
public sealed class KrrClient(HttpClient http, KrrOptions options, MaskinportenTokens maskinporten)
{
    private sealed record Request([property: JsonPropertyName("personidentifikatorer")] IReadOnlyList<string> Identifiers);

    public async Task<KrrAnswer> LookUpAsync(string identifier, CancellationToken cancellationToken)
    {
        var endpoint = options.Endpoint ?? throw new InvalidOperationException("KRR is not configured.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = JsonContent.Create(new Request([identifier])) };
            if (await maskinporten.AccessTokenAsync(timeout.Token) is { } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await http.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return Unreached($"KRR answered {(int)response.StatusCode}");
            }

            var body = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
            var people = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("personer", out var list) ? list : body;
            if (people.ValueKind != JsonValueKind.Array)
            {
                return Unreached("KRR's answer had no list of persons");
            }

            foreach (var person in people.EnumerateArray())
            {
                if (Text(person, "personidentifikator") == identifier)
                {
                    return new KrrAnswer(StatusOf(person), true, null) { Contact = ContactOf(person) };
                }
            }

            return Unreached("KRR's answer did not name the person");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unreached("KRR did not answer in time");
        }
        catch (MaskinportenException ex)
        {
            return Unreached(ex.Message);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or NotSupportedException)
        {
            return Unreached($"KRR could not be asked ({ex.GetType().Name})");
        }
    }

    private static KrrAnswer Unreached(string problem) => new(KrrStatus.CannotBeNotified, false, problem);

    private static string StatusOf(JsonElement person)
    {
        if (Text(person, "reservasjon") == "JA")
        {
            return KrrStatus.Reserved;
        }

        // Not registered, deleted, or registered without a way to notify: no digital notice reaches the person.
        return Text(person, "status") == "AKTIV" && Text(person, "varslingsstatus") == "KAN_VARSLES" ? KrrStatus.Normal : KrrStatus.CannotBeNotified;
    }

    private static KrrContact? ContactOf(JsonElement person)
    {
        if (!person.TryGetProperty("kontaktinformasjon", out var contact) || contact.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var mobile = Text(contact, "mobiltelefonnummer") is { Length: > 0 and <= 32 } m ? m : null;
        var email = Text(contact, "epostadresse") is { Length: > 0 and <= 254 } e ? e : null;
        return mobile is null && email is null ? null : new KrrContact(mobile, email);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
