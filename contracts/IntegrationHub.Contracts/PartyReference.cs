namespace IntegrationHub.Contracts;

/// <summary>The organisations the hub connects, and the hub's own coordinators.</summary>
public enum PartyKind
{
    Nav,
    Municipality,
    GeneralPractitioner,
    Coordination,
}

/// <summary>
/// An organisation unit: a NAV office (4-digit unit number), a municipality (4-digit municipality
/// number), or a GP office (HER-id).
/// </summary>
public sealed record PartyReference(PartyKind Kind, string Id);
