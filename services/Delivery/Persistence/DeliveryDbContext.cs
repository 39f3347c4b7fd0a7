using IntegrationHub.Delivery.Domain;
using IntegrationHub.Messaging;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Delivery.Persistence;

/// <summary>Base of a recipient adapter's DbContext (NAV, municipal): its inbox, webhook history and retractions that came before their update.</summary>
public abstract class DeliveryDbContext(DbContextOptions options, TimeProvider time) : MessagingDbContext(options, time)
{
    public DbSet<DeliveredUpdate> DeliveredUpdates => Set<DeliveredUpdate>();

    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();

    public DbSet<RetractedBeforeArrival> RetractedBeforeArrival => Set<RetractedBeforeArrival>();

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
            e.Property(u => u.Correction).HasMaxLength(32);
            // A push and a retraction of the same row must not both win: the one that saves second sees the other's change.
            e.Property(u => u.Content).IsConcurrencyToken();
            e.Property(u => u.WebhookStatus).IsConcurrencyToken();
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
        modelBuilder.Entity<RetractedBeforeArrival>(e =>
        {
            e.ToTable("retracted_before_arrival");
            e.HasKey(r => r.UpdateId);
            e.Property(r => r.Categories).HasMaxLength(256);
            e.Property(r => r.Correction).HasMaxLength(32);
        });
    }
}
