namespace IntegrationHub.Routing.Domain;

/// <summary>
/// Instants of withdrawals and routing decisions in whole microseconds, as PostgreSQL stores them,
/// so the instant answered, published and stored is the same. Rounded down: a withdrawal is in
/// effect at the instant it was made, and a decision made before it has an instant at or before it.
/// </summary>
internal static class ConsentInstant
{
    public static DateTimeOffset Now(TimeProvider time)
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
