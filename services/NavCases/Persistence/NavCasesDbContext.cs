using IntegrationHub.Delivery.Persistence;
using IntegrationHub.NavCases.Domain;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.NavCases.Persistence;

public sealed class NavCasesDbContext(DbContextOptions<NavCasesDbContext> options, TimeProvider time) : DeliveryDbContext(options, time)
{
    public const string DatabaseName = "nav-cases";

    public DbSet<NavCase> Cases => Set<NavCase>();

    public DbSet<ReceivedNavEvent> Events => Set<ReceivedNavEvent>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<NavCase>(e =>
        {
            e.ToTable("nav_cases");
            e.HasKey(c => c.CaseId);
            e.Property(c => c.CaseId).HasMaxLength(64);
            e.HasIndex(c => c.PersonKey);
            e.HasIndex(c => new { c.NavOffice, c.ClosedAt });
            e.Property(c => c.PersonKey).HasMaxLength(64);
            e.Property(c => c.NavOffice).HasMaxLength(8);
            e.Property(c => c.Advisor).HasMaxLength(16);
            e.Property(c => c.CaseType).HasMaxLength(32);
            e.Property(c => c.Outcome).HasMaxLength(64);
        });
        modelBuilder.Entity<ReceivedNavEvent>(e =>
        {
            e.ToTable("nav_events");
            e.HasKey(ev => ev.EventId);
            e.HasIndex(ev => new { ev.PersonKey, ev.OccurredAt });
            e.Property(ev => ev.Type).HasMaxLength(64);
            e.Property(ev => ev.PersonKey).HasMaxLength(64);
            e.Property(ev => ev.CaseId).HasMaxLength(64);
            e.Property(ev => ev.NavOffice).HasMaxLength(8);
            e.Property(ev => ev.Detail).HasMaxLength(160);
        });
    }
}
