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
    /// <summary>Routes the certificate; its source is the certificate itself, so a later correction finds who got it.</summary>
    public Task RouteCertificateAsync(MedicalCertificateReceived certificate, CancellationToken cancellationToken) =>
        RouteAsync(
            Full(certificate.CertificateId, certificate.Person, "gp", "medical-certificate", certificate.IssuedAt) with
            {
                WorkCapacity = certificate.WorkCapacity,
                Diagnoses = certificate.Diagnoses.Count > 0 ? certificate.Diagnoses : null,
                Assessment = certificate.Assessment,
            },
            sourceKind: PartyKind.GeneralPractitioner,
            cancellationToken);

    /// <summary>An update with every category it has filled in, before any decision.</summary>
    public static DeliverUpdate Full(Guid sourceEventId, PersonReference person, string source, string kind, DateTimeOffset occurredAt) =>
        new(Guid.Empty, sourceEventId, person, new PartyReference(PartyKind.Coordination, string.Empty), null, source, kind, occurredAt, [], [], null, null, null);

    /// <summary>
    /// For each member of the care team of another party than the source: decide per category,
    /// log every decision, and send what is allowed (and only that) to the member's adapter.
    /// </summary>
    public async Task RouteAsync(DeliverUpdate full, PartyKind sourceKind, CancellationToken cancellationToken)
    {
        var categories = full.CategoriesPresent();
        var personKey = full.Person.PersonKey;
        var consents = await KnownConsentsAsync(personKey, cancellationToken);
        // Read after the consents' lock: the decision is the disclosure, and its instant orders it against withdrawals.
        var now = ConsentInstant.Now(time);
        var recipients = await db.CareTeam
            .Where(m => m.PersonKey == personKey && (m.Kind == PartyKind.Nav || m.Kind == PartyKind.Municipality) && m.Kind != sourceKind)
            .ToListAsync(cancellationToken);

        var recorded = new List<RecipientDecisions>(recipients.Count);
        foreach (var recipient in recipients)
        {
            var unit = new PartyReference(recipient.Kind, recipient.PartyId);
            var decisions = policy.Decide(full.Source, unit, categories, consents, now);
            var updateId = NewId.NextGuid();
            recorded.Add(Record(updateId, full.SourceEventId, full.Person, recipient, full.Source, full.Kind, decisions, now));
            var allowed = decisions.Where(d => d.Allowed).Select(d => d.Category).ToHashSet(StringComparer.Ordinal);
            if (allowed.Count == 0)
            {
                // Nothing may be shared, so nothing is sent: not even that the update exists.
                continue;
            }

            db.Send(
                Minimise(full, allowed) with
                {
                    UpdateId = updateId,
                    Recipient = unit,
                    RecipientUser = recipient.UserId,
                    Bases = decisions.Where(d => d.Allowed).Select(d => new DisclosureBasis(d.Category, BasisKind(d), d.BasisOrReason, d.ConsentId)).ToList(),
                    Withheld = decisions.Where(d => !d.Allowed).Select(d => new WithheldCategory(d.Category, d.BasisOrReason)).ToList(),
                },
                DeliveryQueues.For(recipient.Kind));
        }

        Audit(full.SourceEventId, full.Person, recorded, now);
    }

    /// <summary>
    /// Decides by the table whether the hub's coordinators may have a signal, logs the decision,
    /// and sends what is allowed on coordination's own delivery queue.
    /// </summary>
    public async Task RouteToCoordinationAsync(
        Guid sourceEventId, PersonReference person, string source, string kind, string category, EngagementSignalObserved? signal, ContactAttempted? attempt, CancellationToken cancellationToken)
    {
        var consents = await KnownConsentsAsync(person.PersonKey, cancellationToken);
        var now = ConsentInstant.Now(time);
        var decisions = policy.Decide(source, new PartyReference(PartyKind.Coordination, "coordination"), [category], consents, now);
        var coordination = new CareTeamMember { PersonKey = person.PersonKey, Kind = PartyKind.Coordination, PartyId = "coordination" };
        Audit(sourceEventId, person, [Record(sourceEventId, sourceEventId, person, coordination, source, kind, decisions, now)], now);
        if (decisions[0].Allowed)
        {
            db.Send(new DeliverToCoordination(NewId.NextGuid(), person, category, signal, attempt, now), DeliveryQueues.Coordination);
        }
    }

    /// <summary>
    /// The source corrected <paramref name="sourceId"/> (withdrawn, or replaced by an amended one):
    /// every recipient that got an update of it is told, on the path its updates took, whatever has
    /// been decided about consent since.
    /// </summary>
    public async Task CorrectAsync(PersonReference person, Guid sourceId, string correction, CancellationToken cancellationToken)
    {
        var reached = await db.Disclosures.AsNoTracking()
            .Where(d => d.SourceId == sourceId && d.PersonKey == person.PersonKey && d.Delivered
                && (d.RecipientKind == PartyKind.Nav || d.RecipientKind == PartyKind.Municipality))
            .Select(d => new { d.UpdateId, d.RecipientKind, d.RecipientId })
            .Distinct()
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var recipient in reached.GroupBy(d => (d.RecipientKind, d.RecipientId)))
        {
            db.Send(
                new CorrectUpdates(NewId.NextGuid(), person, new PartyReference(recipient.Key.RecipientKind, recipient.Key.RecipientId), recipient.Select(d => d.UpdateId).ToList(), correction, now),
                DeliveryQueues.For(recipient.Key.RecipientKind));
        }
    }

    /// <summary>Only the allowed categories; every other field is empty.</summary>
    public static DeliverUpdate Minimise(DeliverUpdate full, IReadOnlySet<string> allowed) =>
        full.WithoutCategories(full.CategoriesPresent().Where(c => !allowed.Contains(c)).ToHashSet(StringComparer.Ordinal));

    /// <summary>The person's consents from the registry, share-locked so no withdrawal commits between this read and the decision's commit.</summary>
    public async Task<IReadOnlyCollection<KnownConsent>> KnownConsentsAsync(string personKey, CancellationToken cancellationToken) =>
        (await ConsentLocks.ForDecisionAsync(db, personKey, cancellationToken)).Select(c => new KnownConsent(c.ToGranted(), c.WithdrawnAt)).ToList();

    private static string BasisKind(CategoryDecision decision) => decision.ConsentId is null ? "legal-basis" : Basis.Consent;

    /// <summary>Every decision of one routing, to the audit log in one message.</summary>
    private void Audit(Guid sourceId, PersonReference person, List<RecipientDecisions> recorded, DateTimeOffset at)
    {
        if (recorded.Any(r => r.Decisions.Count > 0))
        {
            db.Publish(new RoutingDecided(sourceId, person, recorded.Where(r => r.Decisions.Count > 0).ToList(), at));
        }
    }

    /// <summary>Logs each category's decision for one recipient as a disclosure, and answers them for the audit log.</summary>
    private RecipientDecisions Record(
        Guid updateId, Guid sourceId, PersonReference person, CareTeamMember recipient, string source, string kind, IEnumerable<CategoryDecision> decisions, DateTimeOffset at)
    {
        var recorded = new List<DisclosureDecision>();
        foreach (var decision in decisions)
        {
            var disclosure = new Disclosure
            {
                Id = NewId.NextGuid(),
                UpdateId = updateId,
                SourceId = sourceId,
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
            recorded.Add(new DisclosureDecision(disclosure.Id, decision.Category, decision.Allowed ? "delivered" : "withheld", decision.BasisOrReason, decision.ConsentId));
        }

        return new RecipientDecisions(updateId, new PartyReference(recipient.Kind, recipient.PartyId), recorded);
    }
}
