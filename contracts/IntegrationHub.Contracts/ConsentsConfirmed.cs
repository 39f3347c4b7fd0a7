namespace IntegrationHub.Contracts;

/// <summary>
/// The registry's answer to <see cref="ConfirmConsents"/>: as of <paramref name="AsOf"/>, each asked
/// consent that may no longer be used has its instant in <paramref name="EndedAt"/>; the others were
/// in force. A consent the registry does not know ends at <see cref="DateTimeOffset.MinValue"/>.
/// </summary>
public sealed record ConsentsConfirmed(Guid RequestId, DateTimeOffset AsOf, IReadOnlyDictionary<Guid, DateTimeOffset> EndedAt);
