using IntegrationHub.Coordination.Domain;
using IntegrationHub.Messaging;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Coordination.Persistence;

public sealed class CoordinationDbContext(DbContextOptions<CoordinationDbContext> options, TimeProvider time) : MessagingDbContext(options, time)
{
    public const string DatabaseName = "coordination";

    public DbSet<ReachProfile> Profiles => Set<ReachProfile>();

    public DbSet<ObservedSignal> Signals => Set<ObservedSignal>();

    public DbSet<Escalation> Escalations => Set<Escalation>();

    public DbSet<ContactAttempt> ContactAttempts => Set<ContactAttempt>();

    public DbSet<PersonDetails> People => Set<PersonDetails>();

    public DbSet<MunicipalContact> MunicipalContacts => Set<MunicipalContact>();

    public DbSet<AccessRequest> AccessRequests => Set<AccessRequest>();

    public DbSet<AccessReportSection> AccessReportSections => Set<AccessReportSection>();

    public DbSet<ChangeRequest> ChangeRequests => Set<ChangeRequest>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<ReachProfile>(e =>
        {
            e.ToTable("reach_profiles");
            e.HasKey(p => p.PersonKey);
            e.Property(p => p.PersonKey).HasMaxLength(64);
            e.Property(p => p.NavOffice).HasMaxLength(8);
            e.Property(p => p.Advisor).HasMaxLength(16);
            e.Property(p => p.Municipality).HasMaxLength(8);
            e.Property(p => p.Channels).HasMaxLength(128);
            e.Property(p => p.PreferredChannel).HasMaxLength(32);
            e.Property(p => p.ChannelsAgreedBy).HasMaxLength(128);
            e.Property(p => p.Krr).HasMaxLength(32);
            e.Property(p => p.SealedIdentifier).HasMaxLength(128);
            e.Property(p => p.KrrContact).HasMaxLength(1024);
            e.Property(p => p.Status).HasMaxLength(32);
        });
        modelBuilder.Entity<PersonDetails>(e =>
        {
            e.ToTable("person_details");
            e.HasKey(p => p.PersonKey);
            e.Property(p => p.PersonKey).HasMaxLength(64);
            e.Property(p => p.SealedIdentifier).HasMaxLength(128);
            e.Property(p => p.Name).HasMaxLength(1024);
            e.Property(p => p.NameSource).HasConversion<string>().HasMaxLength(32);
        });
        modelBuilder.Entity<AccessRequest>(e =>
        {
            e.ToTable("access_requests");
            e.HasKey(r => r.Id);
            e.HasIndex(r => r.PersonKey);
            e.Property(r => r.PersonKey).HasMaxLength(64);
            e.Property(r => r.ReceivedVia).HasMaxLength(32);
            e.Property(r => r.Note).HasMaxLength(2000);
            e.Property(r => r.RegisteredBy).HasMaxLength(128);
            e.Property(r => r.RegisteredByRole).HasMaxLength(64);
            e.Property(r => r.RegisteredByUnit).HasMaxLength(64);
            e.Property(r => r.HandedOverBy).HasMaxLength(128);
            e.Property(r => r.HandedOverVia).HasMaxLength(32);
        });
        modelBuilder.Entity<ChangeRequest>(e =>
        {
            e.ToTable("change_requests");
            e.HasKey(r => r.Id);
            e.HasIndex(r => r.PersonKey);
            e.HasIndex(r => r.State);
            e.Property(r => r.PersonKey).HasMaxLength(64);
            e.Property(r => r.Kind).HasMaxLength(32);
            e.Property(r => r.Concerns).HasMaxLength(2000);
            e.Property(r => r.Owner).HasMaxLength(32);
            e.Property(r => r.OwnerUnit).HasMaxLength(16);
            e.Property(r => r.ReceivedVia).HasMaxLength(32);
            e.Property(r => r.RegisteredBy).HasMaxLength(128);
            e.Property(r => r.RegisteredByRole).HasMaxLength(64);
            e.Property(r => r.RegisteredByUnit).HasMaxLength(64);
            e.Property(r => r.State).HasMaxLength(32);
            e.Property(r => r.ResolvedBy).HasMaxLength(128);
            e.Property(r => r.ResolutionNote).HasMaxLength(2000);
        });
        modelBuilder.Entity<AccessReportSection>(e =>
        {
            e.ToTable("access_report_sections");
            e.HasKey(r => new { r.RequestId, r.Module });
            e.Property(r => r.Module).HasMaxLength(64);
        });
        modelBuilder.Entity<MunicipalContact>(e =>
        {
            e.ToTable("municipal_contacts");
            e.HasKey(c => new { c.PersonKey, c.Municipality });
            e.Property(c => c.PersonKey).HasMaxLength(64);
            e.Property(c => c.Municipality).HasMaxLength(8);
            e.Property(c => c.Service).HasMaxLength(32);
            e.Property(c => c.Caseworker).HasMaxLength(64);
        });
        modelBuilder.Entity<ObservedSignal>(e =>
        {
            e.ToTable("signals");
            e.HasKey(s => s.Id);
            e.HasIndex(s => new { s.PersonKey, s.OccurredAt });
            e.Property(s => s.PersonKey).HasMaxLength(64);
            e.Property(s => s.Signal).HasMaxLength(64);
            e.Property(s => s.SourceKind).HasConversion<string>().HasMaxLength(32);
            e.Property(s => s.SourceId).HasMaxLength(64);
            e.Property(s => s.Reference).HasMaxLength(128);
            e.Property(s => s.Channel).HasMaxLength(32);
        });
        modelBuilder.Entity<Escalation>(e =>
        {
            e.ToTable("escalations");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.PersonKey, x.State });
            e.HasIndex(x => x.State);
            e.Property(x => x.PersonKey).HasMaxLength(64);
            e.Property(x => x.State).HasMaxLength(32);
            e.Property(x => x.AcknowledgedBy).HasMaxLength(128);
            e.Property(x => x.ResolvedBy).HasMaxLength(128);
            e.Property(x => x.Resolution).HasMaxLength(64);
            e.Property(x => x.ResolutionNote).HasMaxLength(2000);
        });
        modelBuilder.Entity<ContactAttempt>(e =>
        {
            e.ToTable("contact_attempts");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).ValueGeneratedOnAdd();
            e.HasIndex(a => a.EscalationId);
            e.Property(a => a.Channel).HasMaxLength(32);
            e.Property(a => a.Outcome).HasMaxLength(32);
            e.Property(a => a.Note).HasMaxLength(2000);
            e.Property(a => a.RecordedBy).HasMaxLength(128);
        });
    }
}
