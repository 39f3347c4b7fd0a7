using IntegrationHub.Contracts;

namespace IntegrationHub.Routing.Domain;

/// <summary>Who follows a person: NAV office and advisor, municipality and caseworker, GP office.</summary>
public sealed class CareTeamMember
{
    public long Id { get; set; }

    public required string PersonKey { get; set; }

    public PartyKind Kind { get; set; }

    /// <summary>NAV office, municipality number or HER-id.</summary>
    public required string PartyId { get; set; }

    /// <summary>The responsible person there, when known (NAV ident, caseworker id).</summary>
    public string? UserId { get; set; }

    public DateTimeOffset Since { get; set; }
}

/// <summary>One line of the disclosure log: a category for a recipient, delivered or withheld.</summary>
public sealed class Disclosure
{
    public Guid Id { get; set; }

    public Guid UpdateId { get; set; }

    /// <summary>What the update came from (for a certificate, the hub's certificate id), so a correction finds every recipient of the original.</summary>
    public Guid SourceId { get; set; }

    public required string PersonKey { get; set; }

    public PartyKind RecipientKind { get; set; }

    public required string RecipientId { get; set; }

    public required string Source { get; set; }

    public required string Kind { get; set; }

    public required string Category { get; set; }

    public bool Delivered { get; set; }

    public required string BasisOrReason { get; set; }

    public Guid? ConsentId { get; set; }

    public DateTimeOffset DecidedAt { get; set; }

    /// <summary>When the recipient's adapter took a delivered category back after its consent was withdrawn.</summary>
    public DateTimeOffset? RetractedAt { get; set; }

    /// <summary>delivered, withheld or retracted.</summary>
    public string Outcome => RetractedAt is not null ? "retracted" : Delivered ? "delivered" : "withheld";
}
