using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Inbox;
using IntegrationHub.Messaging.Persons;
using IntegrationHub.Routing.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Routing.Consumers;

/// <summary>An access request: the person's consents, who follows them, and the whole disclosure log (what was shared with whom, and what was held back).</summary>
public sealed class RoutingAccessRequestedConsumer(RoutingDbContext db, TimeProvider time, PersonIdentifierSealer sealer)
    : IdempotentConsumer<AccessRequested, RoutingDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<AccessRequested> context)
    {
        var personKey = context.Message.Person.PersonKey;
        var consents = await Db.Consents.AsNoTracking().Where(c => c.PersonKey == personKey).ToListAsync(context.CancellationToken);
        var team = await Db.CareTeam.AsNoTracking().Where(m => m.PersonKey == personKey).ToListAsync(context.CancellationToken);
        var disclosures = await Db.Disclosures.AsNoTracking().Where(d => d.PersonKey == personKey).ToListAsync(context.CancellationToken);
        var records = consents.OrderBy(c => c.RecordedAt).Select(c => new HeldRecord(
                "Samtykke",
                c.RecordedAt,
                HeldFacts.Of(
                    ("Hvem kan få opplysninger", string.Join("; ", c.Recipients.Select(UnitNames.Of))),
                    ("Hvilke opplysninger", string.Join("; ", c.Categories.Select(k => DataCategory.Labels.GetValueOrDefault(k, k)))),
                    ("Gyldig", $"{HeldFacts.Date(c.ValidFrom)} til {HeldFacts.Date(c.ValidUntil)}"),
                    ("Gitt", Via(c.ObtainedVia) + (c.WitnessedBy is { } witness ? $", med vitne {witness}" : "")),
                    ("Registrert av", $"{c.RecordedBy} ({c.RecordedByRole})"),
                    ("Trukket tilbake", HeldFacts.Time(c.WithdrawnAt)))))
            .Concat(team.OrderBy(m => m.Since).Select(m => new HeldRecord(
                $"Følges opp av {UnitNames.Of(m.Kind, m.PartyId)}", m.Since, HeldFacts.Of(("Fra", HeldFacts.Time(m.Since))))))
            .Concat(disclosures.OrderBy(d => d.DecidedAt).Select(d => new HeldRecord(
                $"{(d.Delivered ? "Delt med" : "Holdt tilbake fra")} {UnitNames.Of(d.RecipientKind, d.RecipientId)}",
                d.DecidedAt,
                HeldFacts.Of(
                    ("Opplysninger", DataCategory.Labels.GetValueOrDefault(d.Category, d.Category)),
                    ("Kom fra", d.Source switch { "gp" => "fastlegen", "nav" => "NAV", "municipality" => "kommunen", _ => "koordinator" }),
                    (d.Delivered ? "Grunnlag" : "Grunn", d.BasisOrReason),
                    ("Trukket tilbake", HeldFacts.Time(d.RetractedAt))))))
            .ToList();
        var held = new HeldRecords("routing", "Samtykker og hva som er delt med hvem", "Samtykkene dine, hvem som følger deg opp, og hver gang navet delte eller holdt tilbake noe om deg.", records);
        Db.Publish(new PersonRecordsCompiled(context.Message.RequestId, context.Message.Person, held.Module, sealer.SealRecords(held), Time.GetUtcNow()));
    }

    private static string Via(string channel) => channel switch
    {
        "in-person" => "ved personlig oppmøte",
        "phone" => "på telefon",
        _ => "digitalt",
    };
}
