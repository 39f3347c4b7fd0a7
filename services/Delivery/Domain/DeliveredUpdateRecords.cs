using IntegrationHub.Contracts;
using IntegrationHub.Delivery.Persistence;
using IntegrationHub.Messaging.Persons;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Delivery.Domain;

/// <summary>For an access request: every update delivered about the person to the recipients of this adapter, as they got it.</summary>
public static class DeliveredUpdateRecords
{
    public static async Task<IReadOnlyList<HeldRecord>> CompileAsync(DeliveryDbContext db, string personKey, CancellationToken cancellationToken)
    {
        var delivered = await db.DeliveredUpdates.AsNoTracking().Where(u => u.PersonKey == personKey).ToListAsync(cancellationToken);
        return delivered.OrderBy(u => u.StoredAt).Select(stored =>
        {
            var update = UpdateInbox<DeliveryDbContext>.Read(stored);
            return new HeldRecord(
                $"Sendt til {UnitNames.Of(stored.RecipientKind, stored.RecipientId)}",
                stored.StoredAt,
                HeldFacts.Of(
                    ("Innhold", stored.Correction is { } correction ? $"{CorrectUpdates.Text(correction)}; innholdet er slettet." : UpdateText.Summarise(update)),
                    ("Notat som ble delt", stored.Correction is null ? update.FollowUpNote : null),
                    ("Delt med grunnlag", string.Join("; ", update.Bases.Select(b => $"{DataCategory.Labels.GetValueOrDefault(b.Category, b.Category)}: {b.Reference}"))),
                    ("Holdt tilbake", string.Join("; ", update.Withheld.Select(w => $"{DataCategory.Labels.GetValueOrDefault(w.Category, w.Category)}: {w.Reason}"))),
                    ("Lest av mottakeren", HeldFacts.Time(stored.AcknowledgedAt) ?? "Nei"),
                    ("Synlig for mottakeren", stored.Visible ? "Ja" : "Nei, trukket tilbake")));
        }).ToList();
    }
}
