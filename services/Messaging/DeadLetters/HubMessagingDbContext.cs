using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Messaging.DeadLetters;

/// <summary>
/// The host's own database: dead letters of every endpoint in this process, an outbox for
/// what the host itself publishes (audit records of host-level reads such as person keys), and the
/// data-protection key ring that instances sharing this database share (antiforgery, cookies).
/// </summary>
public sealed class HubMessagingDbContext(DbContextOptions<HubMessagingDbContext> options, TimeProvider time)
    : MessagingDbContext(options, time), IDataProtectionKeyContext
{
    public const string DatabaseName = "messaging";

    public DbSet<DeadLetter> DeadLetters => Set<DeadLetter>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<DeadLetter>(e =>
        {
            e.ToTable("dead_letters");
            e.HasKey(d => d.Id);
            e.HasIndex(d => d.FailedAt);
            e.Property(d => d.Queue).HasMaxLength(256);
            e.Property(d => d.MessageType).HasMaxLength(512);
            e.Property(d => d.ContentType).HasMaxLength(128);
            e.Property(d => d.ExceptionType).HasMaxLength(512);
            e.Property(d => d.ExceptionMessage).HasMaxLength(4000);
        });
        modelBuilder.Entity<DataProtectionKey>(e =>
        {
            e.ToTable("data_protection_keys");
            e.HasKey(k => k.Id);
        });
    }
}
