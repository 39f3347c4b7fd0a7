namespace IntegrationHub.GpCertificates.Persistence;

/// <summary>An accepted certificate Bundle, kept exactly as the GP system sent it.</summary>
public sealed class StoredCertificate
{
    public Guid Id { get; set; }

    public required string IdentifierSystem { get; set; }

    public required string IdentifierValue { get; set; }

    /// <summary>SHA-256 of the canonical JSON: same identifier and same hash is a duplicate, another hash a conflict.</summary>
    public required string ContentHash { get; set; }

    /// <summary>The Bundle as sent, sealed with <see cref="Messaging.Persistence.AtRestCipher"/> (fødselsnummer and diagnosis are in it).</summary>
    public required byte[] Body { get; set; }

    /// <summary>HER-id of the sending GP system, from its token.</summary>
    public required string SenderParty { get; set; }

    public required string SenderUser { get; set; }

    public required string PersonKey { get; set; }

    public required string Kind { get; set; }

    public required string Status { get; set; }

    public Guid? Replaces { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>
    /// A keyed digest of the patient's name as this certificate gave it (PersonIdentifierSealer.NameDigest),
    /// so the name goes on to coordination only when a GP gives one the hub has not had from GPs before.
    /// </summary>
    public string? NameDigest { get; set; }

    /// <summary>The associated data of the sealed body: a body copied to another row does not open.</summary>
    public static string BoundTo(Guid id) => $"certificate/{id:N}";
}
