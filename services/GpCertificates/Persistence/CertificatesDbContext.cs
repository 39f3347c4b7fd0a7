using IntegrationHub.Messaging;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.GpCertificates.Persistence;

public sealed class CertificatesDbContext(DbContextOptions<CertificatesDbContext> options, TimeProvider time)
    : MessagingDbContext(options, time)
{
    public const string DatabaseName = "gp-certificates";

    public DbSet<StoredCertificate> Certificates => Set<StoredCertificate>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<StoredCertificate>(e =>
        {
            e.ToTable("certificates");
            e.HasKey(c => c.Id);
            e.HasIndex(c => new { c.IdentifierSystem, c.IdentifierValue }).IsUnique();
            e.HasIndex(c => c.PersonKey);
            e.HasIndex(c => new { c.PersonKey, c.NameDigest });
            e.Property(c => c.NameDigest).HasMaxLength(64);
            e.Property(c => c.IdentifierSystem).HasMaxLength(512);
            e.Property(c => c.IdentifierValue).HasMaxLength(512);
            e.Property(c => c.ContentHash).HasMaxLength(64);
            e.Property(c => c.SenderParty).HasMaxLength(64);
            e.Property(c => c.SenderUser).HasMaxLength(128);
            e.Property(c => c.PersonKey).HasMaxLength(64);
            e.Property(c => c.Kind).HasMaxLength(32);
            e.Property(c => c.Status).HasMaxLength(32);
        });
    }
}
