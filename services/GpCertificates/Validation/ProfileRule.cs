using IntegrationHub.Fhir.Identifiers;

namespace IntegrationHub.GpCertificates.Validation;

/// <summary>
/// One rule of the hub's certificate profile: its id, the FHIR issue code, a message for the
/// sending system, a plain-language message in bokmål for the person, and where it is broken.
/// </summary>
/// <param name="Violations">Yields the FHIRPath expression of every place the rule is broken.</param>
public sealed record ProfileRule(
    string Id,
    string IssueCode,
    string SenderMessage,
    string PersonMessage,
    Func<CertificateDocument, PersonIdentifierRules, IEnumerable<string>> Violations);
