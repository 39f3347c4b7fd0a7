using IntegrationHub.Contracts;
using IntegrationHub.Messaging;
using IntegrationHub.Routing.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace IntegrationHub.Routing.Persistence;

public sealed class RoutingDbContext(DbContextOptions<RoutingDbContext> options, TimeProvider time) : MessagingDbContext(options, time)
{
    public const string DatabaseName = "routing";

    public DbSet<CareTeamMember> CareTeam => Set<CareTeamMember>();

    /// <summary>The consent registry itself: routing decides in the same transaction that reads it.</summary>
    public DbSet<ConsentRecord> Consents => Set<ConsentRecord>();

    public DbSet<Disclosure> Disclosures => Set<Disclosure>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<CareTeamMember>(e =>
        {
            e.ToTable("care_team");
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).ValueGeneratedOnAdd();
            e.HasIndex(m => new { m.PersonKey, m.Kind, m.PartyId }).IsUnique();
            e.Property(m => m.PersonKey).HasMaxLength(64);
            e.Property(m => m.Kind).HasConversion<string>().HasMaxLength(32);
            e.Property(m => m.PartyId).HasMaxLength(64);
            e.Property(m => m.UserId).HasMaxLength(128);
        });
        modelBuilder.Entity<ConsentRecord>(e =>
        {
            e.ToTable("consent_registry");
            e.HasKey(c => c.Id);
            e.HasIndex(c => c.PersonKey);
            e.Property(c => c.PersonKey).HasMaxLength(64);
            e.Property(c => c.Purpose).HasMaxLength(64);
            // Short code lists, stored as comma-separated codes: readable in the database on both providers.
            e.Property(c => c.Recipients).HasMaxLength(512).HasConversion(
                v => string.Join(',', v.Select(ConsentVocabulary.Format)),
                v => v.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ConsentVocabulary.Parse).ToList(),
                new ValueComparer<List<ConsentRecipient>>((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, x) => HashCode.Combine(h, x)), v => v.ToList()));
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
        modelBuilder.Entity<Disclosure>(e =>
        {
            e.ToTable("disclosures");
            e.HasKey(d => d.Id);
            e.HasIndex(d => new { d.PersonKey, d.DecidedAt });
            e.HasIndex(d => d.DecidedAt);
            e.HasIndex(d => d.ConsentId);
            e.HasIndex(d => d.SourceId);
            e.Property(d => d.PersonKey).HasMaxLength(64);
            e.Property(d => d.RecipientKind).HasConversion<string>().HasMaxLength(32);
            e.Property(d => d.RecipientId).HasMaxLength(64);
            e.Property(d => d.Source).HasMaxLength(32);
            e.Property(d => d.Kind).HasMaxLength(64);
            e.Property(d => d.Category).HasMaxLength(64);
            e.Property(d => d.BasisOrReason).HasMaxLength(256);
        });
    }
}
