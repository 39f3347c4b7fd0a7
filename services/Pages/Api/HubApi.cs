using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Pages.Api;

public sealed class HubApiOptions
{
    public const string Section = "Pages";

    /// <summary>Where the API is; by default this process's own first address (every module in one host).</summary>
    public Uri? ApiBaseUrl { get; set; }
}

/// <summary>A problem details answer from the API, with the field errors of a validation problem.</summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors);

/// <summary>Either the API's answer or its problem.</summary>
public sealed record ApiResult<T>(T? Value, ApiProblem? Problem)
{
    public bool Succeeded => Problem is null;
}

/// <summary>
/// Calls the hub's API on behalf of the signed-in person, with their own bearer token, so the API
/// decides what they may see and audits it under their name.
/// </summary>
public sealed class HubApi(HttpClient http, IHttpContextAccessor accessor, IServer server, IOptions<HubApiOptions> options)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Get, path, null, cancellationToken);

    public Task<ApiResult<T>> PostAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Post, path, body, cancellationToken);

    public Task<ApiResult<T>> PutAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Put, path, body, cancellationToken);

    private async Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseAddress(), path));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        var authorization = accessor.HttpContext?.Request.Headers.Authorization.ToString();
        if (!string.IsNullOrEmpty(authorization) && AuthenticationHeaderValue.TryParse(authorization, out var header))
        {
            request.Headers.Authorization = header;
        }

        using var response = await TrySendAsync(request, cancellationToken);
        if (response is null)
        {
            return new ApiResult<T>(default, new ApiProblem(
                StatusCodes.Status503ServiceUnavailable, "Hubben svarer ikke akkurat nå. Prøv igjen om litt.", null, new Dictionary<string, string[]>()));
        }

        if (response.IsSuccessStatusCode)
        {
            return new ApiResult<T>(await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken), null);
        }

        return new ApiResult<T>(default, await ProblemOfAsync(response, cancellationToken));
    }

    /// <summary>Null when the API cannot be reached (a split deployment's API process restarting): the page says so instead of failing.</summary>
    private async Task<HttpResponseMessage?> TrySendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<ApiProblem> ProblemOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var fallbackTitle = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => "Du er ikke logget inn.",
            HttpStatusCode.Forbidden => "Du har ikke tilgang til dette.",
            HttpStatusCode.NotFound => "Fant ikke det du ba om.",
            _ => "Noe gikk galt. Prøv igjen, eller meld fra hvis det skjer igjen.",
        };
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new ApiProblem(status, fallbackTitle, null, new Dictionary<string, string[]>());
        }

        try
        {
            var problem = JsonSerializer.Deserialize<ProblemBody>(text, Json);
            return new ApiProblem(status, problem?.Title ?? fallbackTitle, problem?.Detail, problem?.Errors ?? new Dictionary<string, string[]>());
        }
        catch (JsonException)
        {
            return new ApiProblem(status, fallbackTitle, null, new Dictionary<string, string[]>());
        }
    }

    private Uri BaseAddress()
    {
        if (options.Value.ApiBaseUrl is { } configured)
        {
            return configured;
        }

        // Every module in this host: call ourselves on loopback, whichever port Kestrel got.
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The host has no address yet; set Pages:ApiBaseUrl.");
        var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "localhost")
        {
            uri.Host = "127.0.0.1";
        }

        return uri.Uri;
    }

    private sealed record ProblemBody(string? Title, string? Detail, Dictionary<string, string[]>? Errors);
}
