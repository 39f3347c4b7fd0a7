namespace IntegrationHub.Contracts;

/// <summary>
/// No NAV office or municipality has followed the person for the retention period
/// (<c>Retention:AfterFollowUpEnds</c>): every module deletes what it holds about them, except what
/// the law keeps for its own period (the audit log and the disclosure log).
/// </summary>
public sealed record PersonDataExpired(Guid EventId, PersonReference Person, DateTimeOffset FollowUpEndedAt, DateTimeOffset ExpiredAt);
