using System.Globalization;

namespace IntegrationHub.Messaging.Validation;

/// <summary>Times as people in Norway read them, for the staff pages and the reports handed to people alike.</summary>
public static class NorwegianTime
{
    public static TimeZoneInfo Zone { get; } = FindNorway();

    /// <summary>"12.03.2026 kl. 14.05", in Norwegian time.</summary>
    public static string Format(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, Zone).ToString("dd.MM.yyyy 'kl.' HH.mm", CultureInfo.InvariantCulture);

    public static string Format(DateOnly day) => day.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    private static TimeZoneInfo FindNorway()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Oslo");
        }
        catch (TimeZoneNotFoundException)
        {
            // A machine without time-zone data: UTC is shown rather than a wrong local time.
            return TimeZoneInfo.Utc;
        }
    }
}
