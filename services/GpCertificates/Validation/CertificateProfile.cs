using IntegrationHub.Fhir.Identifiers;
using IntegrationHub.Fhir.Validation;

namespace IntegrationHub.GpCertificates.Validation;

/// <summary>Runs every profile rule; each violation becomes one issue naming the rule.</summary>
public sealed class CertificateProfile(PersonIdentifierRules identifierRules)
{
    public IReadOnlyList<FhirIssue> Check(CertificateDocument document) =>
        CertificateProfileRules.All
            .SelectMany(rule => rule.Violations(document, identifierRules)
                .Select(expression => FhirIssue.Error(rule.IssueCode, $"[{rule.Id}] {rule.SenderMessage}", expression)))
            .ToList();
}
