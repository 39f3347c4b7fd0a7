using System.Globalization;
using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.GpCertificates.Persistence;
using IntegrationHub.GpCertificates.Translation;
using IntegrationHub.GpCertificates.Validation;
using IntegrationHub.Messaging.Inbox;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.Messaging.Persons;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.GpCertificates.Consumers;

/// <summary>An access request: every certificate a GP sent about the person, read again from the Bundle as it was sent.</summary>
public sealed class CertificateAccessRequestedConsumer(
    CertificatesDbContext db, TimeProvider time, AtRestCipher cipher, CertificateTranslator translator, PersonIdentifierSealer sealer)
    : IdempotentConsumer<AccessRequested, CertificatesDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<AccessRequested> context)
    {
        var personKey = context.Message.Person.PersonKey;
        var certificates = await Db.Certificates.AsNoTracking().Where(c => c.PersonKey == personKey).ToListAsync(context.CancellationToken);
        var records = certificates.OrderBy(c => c.ReceivedAt).Select(Record).ToList();
        var held = new HeldRecords("gp-certificates", "Fastlegen: legeerklæringer og sykmeldinger", "Det fastlegen har sendt navet om deg, slik det ble sendt.", records);
        Db.Publish(new PersonRecordsCompiled(context.Message.RequestId, context.Message.Person, held.Module, sealer.SealRecords(held), Time.GetUtcNow()));
    }

    private HeldRecord Record(StoredCertificate certificate)
    {
        using var bundle = JsonDocument.Parse(cipher.Open(certificate.Body, StoredCertificate.BoundTo(certificate.Id)));
        var facts = translator.Read(new CertificateDocument(bundle.RootElement));
        return new HeldRecord(
            certificate.Kind == nameof(CertificateKind.Sykmelding) ? "Sykmelding" : "Legeerklæring",
            facts.IssuedAt,
            HeldFacts.Of(
                ("Fra", facts.Author.OrganisationName is { } office ? $"{office} (HPR {facts.Author.HprNumber})" : $"lege med HPR-nummer {facts.Author.HprNumber}"),
                ("Mottatt", HeldFacts.Time(certificate.ReceivedAt)),
                ("Status", certificate.Status switch { "amended" => "rettet versjon", "entered-in-error" => "trukket tilbake av legen", _ => "gjeldende" }),
                ("Arbeidsuførhet", string.Create(CultureInfo.InvariantCulture, $"{facts.WorkCapacity.IncapacityPercent:0.#} % fra {HeldFacts.Date(facts.WorkCapacity.From)} til {HeldFacts.Date(facts.WorkCapacity.To)}")),
                ("Diagnoser", string.Join("; ", facts.Diagnoses.Select(d => d.Display is { } text ? $"{d.Code} {text}" : d.Code))),
                ("Funksjonsvurdering", facts.Assessment?.FunctionalAssessment),
                ("Tiltak", facts.Assessment?.Measures)));
    }
}
