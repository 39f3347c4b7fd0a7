using IntegrationHub.Delivery.Persistence;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Delivery.Domain;

/// <summary>The person's retention period is over: the updates about them in this adapter's inbox go, with their webhook history.</summary>
public static class DeliveredUpdateRetention
{
    public static async Task DeleteAsync(DeliveryDbContext db, string personKey, CancellationToken cancellationToken)
    {
        var updates = await db.DeliveredUpdates.Where(u => u.PersonKey == personKey).ToListAsync(cancellationToken);
        var ids = updates.Select(u => u.Id).ToList();
        db.WebhookAttempts.RemoveRange(await db.WebhookAttempts.Where(a => ids.Contains(a.UpdateId)).ToListAsync(cancellationToken));
        db.RetractedBeforeArrival.RemoveRange(await db.RetractedBeforeArrival.Where(r => ids.Contains(r.UpdateId)).ToListAsync(cancellationToken));
        db.DeliveredUpdates.RemoveRange(updates);
    }
}
