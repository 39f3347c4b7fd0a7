namespace IntegrationHub.Messaging.Leases;

/// <summary>One instance's claim on a partition of a duty, until <see cref="ExpiresAt"/> by the database's clock.</summary>
public sealed class DutyLease
{
    public required string Duty { get; set; }

    public int Partition { get; set; }

    /// <summary>Empty when released.</summary>
    public required string Owner { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>An instance taking part in a duty, renewed with its leases: the live members set each one's fair share.</summary>
public sealed class DutyMember
{
    public required string Duty { get; set; }

    public required string Owner { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
