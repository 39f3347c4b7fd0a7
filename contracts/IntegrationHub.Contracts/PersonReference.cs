namespace IntegrationHub.Contracts;

/// <summary>
/// A person as other modules see them: only the hub's person key (a keyed HMAC pseudonym).
/// The fødselsnummer or D-number itself never travels on the bus.
/// </summary>
public sealed record PersonReference(string PersonKey);
