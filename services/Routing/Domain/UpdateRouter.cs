using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Routing.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Routing.Domain;

/// <summary>
/// Decides, for each member of the person's care team, which categories of an update it may
/// receive; logs every decision as a disclosure (delivered or withheld) and sends the stripped
/// update to the recipient's adapter. All in the caller's transaction.
/// </summary>
public sealed class UpdateRouter(RoutingDbContext db, RoutingPolicy policy, TimeProvider time)
{
    public async Task RouteCertificateAsync(Guid sourceEventId, MedicalCertificateReceived certificate, CancellationToken cancellationToken)
    {
        var categories = new List<string> { DataCategory.WorkCapacity };
        if (certificate.Diagnoses.Count > 0)
        {
            categories.Add(DataCategory.Diagnosis);
        }

        if (certificate.Assessment is not null)
        {
            categories.Add(DataCategory.MedicalAssessment);
        }

        var personKey = certificate.Person.PersonKey;
        var now = time.GetUtcNow();
        var consents = await KnownConsentsAsync(personKey, cancellationToken);
        var recipients = await db.CareTeam
            .Where(m => m.PersonKey == personKey && (m.Kind == PartyKind.Nav || m.Kind == PartyKind.Municipality))
            .ToListAsync(cancellationToken);

        foreach (var recipient in recipients)
        {
            var decisions = policy.Decide("gp", recipient.Kind, categories, consents, now);
            var updateId = NewId.NextGuid();
            Record(updateId, certificate.Person, recipient, "gp", "medical-certificate", decisions, now);
            var allowed = decisions.Where(d => d.Allowed).Select(d => d.Category).ToHashSet(StringComparer.Ordinal);
            if (allowed.Count == 0)
            {
                // Nothing may be shared, so nothing is sent: not even that a certificate exists.
                continue;
            }

            db.Send(
                new DeliverUpdate(
                    updateId,
                    sourceEventId,
                    certificate.Person,
                    new PartyReference(recipient.Kind, recipient.PartyId),
                    recipient.UserId,
                    "gp",
                    "medical-certificate",
                    certificate.IssuedAt,
                    decisions.Where(d => d.Allowed).Select(d => new DisclosureBasis(d.Category, BasisKind(d), d.BasisOrReason, d.ConsentId)).ToList(),
                    decisions.Where(d => !d.Allowed).Select(d => new WithheldCategory(d.Category, d.BasisOrReason)).ToList(),
                    allowed.Contains(DataCategory.WorkCapacity) ? certificate.WorkCapacity : null,
                    allowed.Contains(DataCategory.Diagnosis) ? certificate.Diagnoses : null,
                    allowed.Contains(DataCategory.MedicalAssessment) ? certificate.Assessment : null),
                DeliveryQueues.For(recipient.Kind));
        }
    }

    public async Task<IReadOnlyCollection<KnownConsent>> KnownConsentsAsync(string personKey, CancellationToken cancellationToken)
    {
        var copies = await db.Consents.AsNoTracking().Where(c => c.PersonKey == personKey && c.Grant != null).ToListAsync(cancellationToken);
        return copies.Select(c => new KnownConsent(JsonSerializer.Deserialize<ConsentGranted>(c.Grant!, JsonOptions)!, c.WithdrawnAt)).ToList();
    }

    internal static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static string BasisKind(CategoryDecision decision) => decision.ConsentId is null ? "legal-basis" : Basis.Consent;

    private void Record(
        Guid updateId, PersonReference person, CareTeamMember recipient, string source, string kind, IEnumerable<CategoryDecision> decisions, DateTimeOffset at)
    {
        foreach (var decision in decisions)
        {
            var disclosure = new Disclosure
            {
                Id = NewId.NextGuid(),
                UpdateId = updateId,
                PersonKey = person.PersonKey,
                RecipientKind = recipient.Kind,
                RecipientId = recipient.PartyId,
                Source = source,
                Kind = kind,
                Category = decision.Category,
                Delivered = decision.Allowed,
                BasisOrReason = decision.BasisOrReason,
                ConsentId = decision.ConsentId,
                DecidedAt = at,
            };
            db.Disclosures.Add(disclosure);
            db.Publish(new DisclosureRecorded(
                disclosure.Id, updateId, person, new PartyReference(recipient.Kind, recipient.PartyId), decision.Category,
                decision.Allowed ? "delivered" : "withheld", decision.BasisOrReason, decision.ConsentId, at));
        }
    }
}
