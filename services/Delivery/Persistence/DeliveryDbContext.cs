using IntegrationHub.Delivery.Domain;
using IntegrationHub.Messaging;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Delivery.Persistence;

/// <summary>Base of a recipient adapter's DbContext (NAV, municipal): its inbox, webhook history and known withdrawals.</summary>
public abstract class DeliveryDbContext(DbContextOptions options, TimeProvider time) : MessagingDbContext(options, time)
{
    public DbSet<DeliveredUpdate> DeliveredUpdates => Set<DeliveredUpdate>();

    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();

    public DbSet<WithdrawnConsent> WithdrawnConsents => Set<WithdrawnConsent>();

    /// <summary>When each of the person's withdrawn consents was withdrawn, as the lookup <see cref="Contracts.DeliverUpdate.WithoutWithdrawnConsents"/> takes.</summary>
    public async Task<Func<Guid, DateTimeOffset?>> WithdrawalsOfAsync(string personKey, CancellationToken cancellationToken)
    {
        var withdrawals = await WithdrawnConsents.AsNoTracking()
            .Where(w => w.PersonKey == personKey)
            .ToDictionaryAsync(w => w.ConsentId, w => w.WithdrawnAt, cancellationToken);
        return id => withdrawals.TryGetValue(id, out var at) ? at : null;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<DeliveredUpdate>(e =>
        {
            e.ToTable("delivered_updates");
            e.HasKey(u => u.Id);
            e.HasIndex(u => new { u.RecipientKind, u.RecipientId, u.StoredAt });
            e.HasIndex(u => new { u.PersonKey, u.StoredAt });
            e.HasIndex(u => new { u.WebhookStatus, u.NextAttemptAt });
            e.Property(u => u.PersonKey).HasMaxLength(64);
            e.Property(u => u.RecipientKind).HasConversion<string>().HasMaxLength(32);
            e.Property(u => u.RecipientId).HasMaxLength(64);
            e.Property(u => u.RecipientUser).HasMaxLength(128);
            e.Property(u => u.Source).HasMaxLength(32);
            e.Property(u => u.Kind).HasMaxLength(64);
            e.Property(u => u.AcknowledgedBy).HasMaxLength(128);
            e.Property(u => u.WebhookStatus).HasMaxLength(32);
        });
        modelBuilder.Entity<WebhookAttempt>(e =>
        {
            e.ToTable("webhook_attempts");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).ValueGeneratedOnAdd();
            e.HasIndex(a => a.UpdateId);
            e.Property(a => a.Outcome).HasMaxLength(32);
            e.Property(a => a.Error).HasMaxLength(512);
        });
        modelBuilder.Entity<WithdrawnConsent>(e =>
        {
            e.ToTable("withdrawn_consents");
            e.HasKey(w => w.ConsentId);
            e.HasIndex(w => w.PersonKey);
            e.Property(w => w.PersonKey).HasMaxLength(64);
        });
    }
}
