using System.Threading.RateLimiting;
using IntegrationHub.Messaging.Auth;
using Microsoft.AspNetCore.RateLimiting;

namespace IntegrationHub.Hub.Persons;

/// <summary>
/// How many fødselsnummer one user may turn into person keys: <c>POST /persons/key</c> is an
/// oracle (does the hub know this person?), so a caller gets a bucket of lookups that refills
/// over <see cref="Window"/>, and 429 once it is empty.
/// </summary>
public sealed class PersonKeyLookupLimits
{
    public const string Section = "Hub:PersonKeyLookups";
    public const string Policy = "person-key-lookups";

    public int PermitLimit { get; set; } = 60;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    public static void AddTo(IServiceCollection services, PersonKeyLookupLimits limits)
    {
        if (limits.PermitLimit < 1 || limits.Window <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{Section}: PermitLimit must be at least 1 and Window positive.");
        }

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                var http = context.HttpContext;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many person lookups.",
                        Detail = $"At most {limits.PermitLimit} lookups per {limits.Window}; try again later.",
                    },
                });
            };
            // One bucket per user of a unit: one member of staff cannot use up another's lookups.
            options.AddPolicy(Policy, http => RateLimitPartition.GetTokenBucketLimiter(
                $"{http.User.HubParty()}/{http.User.HubUser()}",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.PermitLimit,
                    TokensPerPeriod = limits.PermitLimit,
                    ReplenishmentPeriod = limits.Window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });
    }
}
