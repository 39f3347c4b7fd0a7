namespace IntegrationHub.Contracts;

/// <summary>
/// The person asked to see what the hub holds about them (innsyn), through a member of their care
/// team. Every module that holds data about people answers with <see cref="PersonRecordsCompiled"/>.
/// </summary>
public sealed record AccessRequested(Guid RequestId, PersonReference Person, DateTimeOffset RequestedAt);
