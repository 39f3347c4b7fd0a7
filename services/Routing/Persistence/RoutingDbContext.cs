using IntegrationHub.Messaging;
using IntegrationHub.Routing.Domain;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Routing.Persistence;

public sealed class RoutingDbContext(DbContextOptions<RoutingDbContext> options, TimeProvider time) : MessagingDbContext(options, time)
{
    public const string DatabaseName = "routing";

    public DbSet<CareTeamMember> CareTeam => Set<CareTeamMember>();

    public DbSet<ConsentCopy> Consents => Set<ConsentCopy>();

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
        modelBuilder.Entity<ConsentCopy>(e =>
        {
            e.ToTable("consents");
            e.HasKey(c => c.ConsentId);
            e.HasIndex(c => c.PersonKey);
            e.Property(c => c.PersonKey).HasMaxLength(64);
        });
        modelBuilder.Entity<Disclosure>(e =>
        {
            e.ToTable("disclosures");
            e.HasKey(d => d.Id);
            e.HasIndex(d => new { d.PersonKey, d.DecidedAt });
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
