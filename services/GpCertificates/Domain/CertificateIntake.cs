using System.Security.Claims;
using IntegrationHub.Contracts;
using IntegrationHub.Fhir.Identifiers;
using IntegrationHub.Fhir.Validation;
using IntegrationHub.GpCertificates.Persistence;
using IntegrationHub.GpCertificates.Translation;
using IntegrationHub.GpCertificates.Validation;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.Messaging.Persons;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.GpCertificates.Domain;

public enum IntakeOutcome
{
    Accepted,
    Duplicate,
    Conflict,
    SenderMismatch,
    UnknownReplaced,
}

public sealed record IntakeResult(IntakeOutcome Outcome, Guid? CertificateId, FhirIssue? Issue = null);

/// <summary>
/// Takes a certificate that passed FHIR and profile validation: checks the sender, recognises
/// duplicates and conflicts, and stores it with the event it causes in one transaction.
/// </summary>
public sealed class CertificateIntake(
    CertificatesDbContext db, CertificateTranslator translator, AtRestCipher cipher, PersonIdentifierSealer sealer, TimeProvider time)
{
    public async Task<IntakeResult> AcceptAsync(
        CertificateDocument document, ReadOnlyMemory<byte> body, string contentHash, ClaimsPrincipal sender, CancellationToken cancellationToken)
    {
        var senderParty = sender.HubParty();
        var authorHerIds = CertificateProfileRules.Authors(document)
            .Where(a => a.ResourceType == "Organization")
            .SelectMany(o => CertificateDocument.Array(o.Resource, "identifier").Select(i => i.Item))
            .Where(i => CertificateDocument.Text(i, "system") == HerId.System)
            .Select(i => CertificateDocument.Text(i, "value"))
            .ToList();
        if (senderParty is null || authorHerIds.Any(h => h != senderParty))
        {
            return new IntakeResult(IntakeOutcome.SenderMismatch, null, FhirIssue.Error(
                IssueCode.Forbidden,
                senderParty is null
                    ? "The token names no sending organisation (HER-id)."
                    : "The author Organization's HER-id is not the sending organisation's.",
                senderParty is null ? null : "Bundle.entry[0].resource.author"));
        }

        var facts = translator.Read(document);
        if (await FindAsync(facts.IdentifierSystem, facts.IdentifierValue, cancellationToken) is { } existing)
        {
            return Repeat(existing, contentHash);
        }

        Guid? replaces = null;
        if (facts.Replaces is { } replaced)
        {
            var earlier = await FindAsync(replaced.System, replaced.Value, cancellationToken);
            if (earlier is null || earlier.SenderParty != senderParty || earlier.PersonKey != facts.Person.PersonKey)
            {
                return new IntakeResult(IntakeOutcome.UnknownReplaced, null, FhirIssue.Error(
                    IssueCode.BusinessRule,
                    "[COMPOSITION-RELATES-TO] The certificate it replaces is not known from this sender for this person.",
                    "Bundle.entry[0].resource.relatesTo"));
            }

            replaces = earlier.Id;
        }

        var id = NewId.NextGuid();
        var certificate = new StoredCertificate
        {
            Id = id,
            IdentifierSystem = facts.IdentifierSystem,
            IdentifierValue = facts.IdentifierValue,
            ContentHash = contentHash,
            Body = cipher.Seal(body.Span, StoredCertificate.BoundTo(id)),
            SenderParty = senderParty,
            SenderUser = sender.HubUser(),
            PersonKey = facts.Person.PersonKey,
            Kind = facts.Kind.ToString(),
            Status = facts.Status,
            Replaces = replaces,
            ReceivedAt = time.GetUtcNow(),
        };
        db.Certificates.Add(certificate);
        await TellWhoThePersonIsAsync(certificate, facts, cancellationToken);
        if (facts.Status == "entered-in-error")
        {
            db.Publish(new MedicalCertificateWithdrawn(certificate.Id, replaces!.Value, facts.Person, facts.Author, certificate.ReceivedAt));
        }
        else
        {
            db.Publish(new MedicalCertificateReceived(
                certificate.Id, facts.Person, facts.Kind, facts.Author, facts.IssuedAt, replaces, facts.WorkCapacity, facts.Diagnoses, facts.Assessment));
        }

        try
        {
            await SaveAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The same identifier arrived at the same moment from another request: answer as for a repeat.
            db.ChangeTracker.Clear();
            var winner = await FindAsync(facts.IdentifierSystem, facts.IdentifierValue, cancellationToken)
                ?? throw new InvalidOperationException("Saving the certificate failed, and not because of a concurrent copy.");
            return Repeat(winner, contentHash);
        }

        return new IntakeResult(IntakeOutcome.Accepted, certificate.Id);
    }

    /// <summary>
    /// Coordination shows staff the person's name. A GP's name for the person goes there when this
    /// module has not had it from a GP before: the first certificate, or a changed name. Concurrent
    /// certificates may both send it, which coordination takes as the same name twice.
    /// </summary>
    private async Task TellWhoThePersonIsAsync(StoredCertificate certificate, CertificateFacts facts, CancellationToken cancellationToken)
    {
        if (facts.PatientName is not { } name)
        {
            return;
        }

        certificate.NameDigest = sealer.NameDigest(certificate.PersonKey, name);
        if (await db.Certificates.AnyAsync(c => c.PersonKey == certificate.PersonKey && c.NameDigest == certificate.NameDigest, cancellationToken))
        {
            return;
        }

        var gp = new PartyReference(PartyKind.GeneralPractitioner, facts.Author.HerId ?? certificate.SenderParty);
        db.Publish(new PersonIdentified(certificate.Id, facts.Person, gp, sealer.Seal(facts.PatientIdentifier), sealer.SealName(name), facts.IssuedAt));
    }

    private static IntakeResult Repeat(StoredCertificate existing, string contentHash) =>
        existing.ContentHash == contentHash
            ? new IntakeResult(IntakeOutcome.Duplicate, existing.Id)
            : new IntakeResult(IntakeOutcome.Conflict, existing.Id, FhirIssue.Error(
                IssueCode.Conflict,
                "A different certificate with this Bundle.identifier was accepted earlier. Send a correction (Composition.status amended) with a new identifier instead.",
                "Bundle.identifier"));

    /// <summary>
    /// On SQLite, certificates arriving at the same moment commit together, each in a savepoint of
    /// its own: one fsync for the group, and still no answer before its own certificate is stored.
    /// </summary>
    private Task SaveAsync(CancellationToken cancellationToken) =>
        db.Database.IsSqlite()
            ? SqliteGroupCommit.RunAsync(db, db.SaveChangesAsync, cancellationToken)
            : db.SaveChangesAsync(cancellationToken);

    private Task<StoredCertificate?> FindAsync(string system, string value, CancellationToken cancellationToken) =>
        FindByIdentifier.For(db.Model)(db, system, value, cancellationToken);

    // Compiled once per model: every certificate is looked up by its identifier, and EF would
    // otherwise rebuild and hash the expression tree for its query cache on each request.
    private static readonly PerModelQuery<Func<CertificatesDbContext, string, string, CancellationToken, Task<StoredCertificate?>>> FindByIdentifier = new(() =>
        EF.CompileAsyncQuery((CertificatesDbContext db, string system, string value, CancellationToken cancellationToken) =>
            db.Certificates.AsNoTracking().SingleOrDefault(c => c.IdentifierSystem == system && c.IdentifierValue == value)));
}
