using IntegrationHub.Audit.Domain;
using IntegrationHub.Messaging;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Audit.Persistence;

public sealed class AuditDbContext(DbContextOptions<AuditDbContext> options, TimeProvider time) : MessagingDbContext(options, time)
{
    public const string DatabaseName = "audit";

    public DbSet<AuditEntry> Entries => Set<AuditEntry>();

    public DbSet<AuditHead> Head => Set<AuditHead>();

    public DbSet<AuditCheckpoint> Checkpoints => Set<AuditCheckpoint>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_entries");
            e.HasKey(a => a.Sequence);
            // The sequence is part of the hash, so it is assigned by the appender, never by the database.
            e.Property(a => a.Sequence).ValueGeneratedNever();
            e.HasIndex(a => a.EntryId).IsUnique();
            e.HasIndex(a => new { a.PersonKey, a.OccurredAt });
            e.HasIndex(a => a.RecordedAt);
            e.Property(a => a.Kind).HasMaxLength(32);
            e.Property(a => a.PersonKey).HasMaxLength(64);
            e.Property(a => a.ActorUserId).HasMaxLength(128);
            e.Property(a => a.ActorRole).HasMaxLength(64);
            e.Property(a => a.ActorParty).HasMaxLength(64);
            e.Property(a => a.Resource).HasMaxLength(256);
            e.Property(a => a.Purpose).HasMaxLength(256);
            e.Property(a => a.PreviousHash).HasMaxLength(64);
            e.Property(a => a.Hash).HasMaxLength(64);
        });
        modelBuilder.Entity<AuditHead>(e =>
        {
            e.ToTable("audit_head");
            e.HasKey(h => h.Id);
            e.Property(h => h.Id).ValueGeneratedNever();
            e.Property(h => h.Hash).HasMaxLength(64);
            e.Property(h => h.Seal).HasMaxLength(64);
        });
        modelBuilder.Entity<AuditCheckpoint>(e =>
        {
            e.ToTable("audit_checkpoints");
            e.HasKey(c => c.Count);
            e.Property(c => c.Count).ValueGeneratedNever();
            e.Property(c => c.Hash).HasMaxLength(64);
            e.Property(c => c.Seal).HasMaxLength(64);
        });
    }
}
