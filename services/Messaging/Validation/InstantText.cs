using System.Globalization;

namespace IntegrationHub.Messaging.Validation;

/// <summary>Instants the parties send: ISO 8601 with an explicit offset, since a local time without one is ambiguous around DST changes.</summary>
public static class InstantText
{
    public const string Expected = "An ISO 8601 date-time with offset, e.g. 2026-11-20T10:00:00+01:00.";

    /// <summary>Clocks differ; an instant further than this in the future is refused.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private static readonly string[] Formats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    public static bool TryParse(string? text, out DateTimeOffset instant)
    {
        instant = default;
        return text is { Length: >= 20 }
            && (text.EndsWith('Z') || text[^6] is '+' or '-')
            && DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out instant);
    }

    public static bool IsInFuture(DateTimeOffset instant, TimeProvider time) => instant > time.GetUtcNow() + ClockSkew;
}
