using IntegrationHub.Delivery.Persistence;
using IntegrationHub.MunicipalFollowUp.Domain;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.MunicipalFollowUp.Persistence;

public sealed class MunicipalDbContext(DbContextOptions<MunicipalDbContext> options, TimeProvider time) : DeliveryDbContext(options, time)
{
    public const string DatabaseName = "municipal-follow-up";

    public DbSet<ReceivedNote> Notes => Set<ReceivedNote>();

    public DbSet<FollowedPerson> FollowedPersons => Set<FollowedPerson>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<ReceivedNote>(e =>
        {
            e.ToTable("notes");
            e.HasKey(n => n.NoteId);
            e.HasIndex(n => new { n.PersonKey, n.RecordedAt });
            e.Property(n => n.PersonKey).HasMaxLength(64);
            e.Property(n => n.Municipality).HasMaxLength(8);
            e.Property(n => n.Caseworker).HasMaxLength(64);
            e.Property(n => n.Service).HasMaxLength(32);
            e.Property(n => n.Outcome).HasMaxLength(32);
            e.Property(n => n.Channel).HasMaxLength(32);
            e.Property(n => n.Signals).HasMaxLength(256);
        });
        modelBuilder.Entity<FollowedPerson>(e =>
        {
            e.ToTable("followed_persons");
            e.HasKey(f => f.Id);
            e.Property(f => f.Id).ValueGeneratedOnAdd();
            e.HasIndex(f => new { f.PersonKey, f.Municipality }).IsUnique();
            e.HasIndex(f => f.Municipality);
            e.Property(f => f.PersonKey).HasMaxLength(64);
            e.Property(f => f.Municipality).HasMaxLength(8);
            e.Property(f => f.Caseworker).HasMaxLength(64);
            e.Property(f => f.Service).HasMaxLength(32);
        });
    }
}
