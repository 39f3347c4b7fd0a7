using IntegrationHub.Consent.Domain;
using IntegrationHub.Contracts;
using IntegrationHub.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace IntegrationHub.Consent.Persistence;

public sealed class ConsentDbContext(DbContextOptions<ConsentDbContext> options, TimeProvider time) : MessagingDbContext(options, time)
{
    public const string DatabaseName = "consent";

    public DbSet<ConsentRecord> Consents => Set<ConsentRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<ConsentRecord>(e =>
        {
            e.ToTable("consents");
            e.HasKey(c => c.Id);
            e.HasIndex(c => c.PersonKey);
            e.Property(c => c.PersonKey).HasMaxLength(64);
            e.Property(c => c.Purpose).HasMaxLength(64);
            // Short code lists, stored as comma-separated codes: readable in the database on both providers.
            e.Property(c => c.Recipients).HasMaxLength(128).HasConversion(
                v => string.Join(',', v.Select(ConsentVocabulary.CodeOf)),
                v => v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(code => ConsentVocabulary.Recipients[code]).ToList(),
                new ValueComparer<List<PartyKind>>((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, x) => HashCode.Combine(h, x)), v => v.ToList()));
            e.Property(c => c.Categories).HasMaxLength(256).HasConversion(
                v => string.Join(',', v),
                v => v.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList(),
                new ValueComparer<List<string>>((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, x) => HashCode.Combine(h, x)), v => v.ToList()));
            e.Property(c => c.ObtainedVia).HasMaxLength(16);
            e.Property(c => c.WitnessedBy).HasMaxLength(128);
            e.Property(c => c.RecordedBy).HasMaxLength(128);
            e.Property(c => c.RecordedByRole).HasMaxLength(64);
            e.Property(c => c.RecordedByParty).HasMaxLength(64);
            e.Property(c => c.WithdrawnVia).HasMaxLength(16);
            e.Property(c => c.WithdrawalRecordedBy).HasMaxLength(128);
        });
    }
}
