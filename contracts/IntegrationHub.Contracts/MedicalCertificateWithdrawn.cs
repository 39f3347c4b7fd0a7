namespace IntegrationHub.Contracts;

/// <summary>
/// The GP withdrew a certificate (Composition status entered-in-error): recipients should
/// disregard <paramref name="CertificateId"/>.
/// </summary>
/// <param name="WithdrawalId">The hub's id of the withdrawal document itself.</param>
public sealed record MedicalCertificateWithdrawn(
    Guid WithdrawalId,
    Guid CertificateId,
    PersonReference Person,
    CertificateAuthor Author,
    DateTimeOffset WithdrawnAt);
