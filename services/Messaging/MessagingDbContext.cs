using System.Diagnostics;
using System.Text.Json;
using IntegrationHub.Messaging.Inbox;
using IntegrationHub.Messaging.Leases;
using IntegrationHub.Messaging.Outbox;
using IntegrationHub.Messaging.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace IntegrationHub.Messaging;

/// <summary>
/// Base of every module's DbContext: its own tables plus an outbox and an inbox, so that a state
/// change and the messages it causes commit in one transaction.
/// </summary>
public abstract class MessagingDbContext(DbContextOptions options, TimeProvider time) : DbContext(options)
{
    internal static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web);

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<InboxMessage> InboxMessages => Set<InboxMessage>();

    protected TimeProvider Time => time;

    internal bool HasUncommittedOutboxRows { get; set; }

    /// <summary>Wakes this context's outbox dispatcher; set once the context has added outbox rows.</summary>
    internal Action? NotifyOutbox { get; set; }

    /// <summary>
    /// Called by whoever rolled this context's work back in a transaction EF did not see end: its
    /// tracked changes and its outbox flag would otherwise outlive the rollback, and a pooled
    /// context outlives its scope.
    /// </summary>
    internal void RolledBackOutside()
    {
        ChangeTracker.Clear();
        HasUncommittedOutboxRows = false;
    }

    /// <summary>Called by whoever committed this context's work in a transaction EF did not see commit.</summary>
    internal void CommittedOutside()
    {
        if (HasUncommittedOutboxRows)
        {
            HasUncommittedOutboxRows = false;
            NotifyOutbox?.Invoke();
        }
    }

    /// <summary>Publishes the event when this context's transaction commits.</summary>
    public void Publish<T>(T message)
        where T : class => Enqueue(message, destination: null, time.GetUtcNow(), timerKey: null);

    /// <summary>Sends the command to one queue when this context's transaction commits.</summary>
    public void Send<T>(T message, string queueName)
        where T : class => Enqueue(message, queueName, time.GetUtcNow(), timerKey: null);

    /// <summary>
    /// A durable timer: publishes the message at <paramref name="dueAt"/>, also across restarts.
    /// Scheduling a key that is still pending replaces it.
    /// </summary>
    public async Task ScheduleAsync<T>(T message, DateTimeOffset dueAt, string timerKey, CancellationToken cancellationToken)
        where T : class
    {
        await CancelTimerAsync(timerKey, cancellationToken);
        Enqueue(message, destination: null, dueAt, timerKey);
    }

    /// <summary>
    /// Saves; when the only conflict is a timer row another transaction removed meanwhile (a
    /// cancel or reschedule racing another, or racing the dispatcher that just fired it), there is
    /// nothing left to change on it, so the rest is saved without it. EF rolls a failed save back
    /// to its savepoint first, so the retry starts clean. EF names one failed statement's rows at a
    /// time, so it tries again for as long as each try leaves such rows out: when the dispatcher
    /// marked a page in which three rescheduled timers had been removed, a limit of three tries
    /// failed that page on every turn, and the outbox stopped.
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // Inside a transaction its owner already holds the write turn (IdempotentConsumer).
        using var turn = Database.CurrentTransaction is null ? await SqliteWriteGate.EnterAsync(Database, cancellationToken) : null;
        while (true)
        {
            try
            {
                return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }
            catch (DbUpdateConcurrencyException ex) when (ex.Entries.Count > 0
                && ex.Entries.All(e => e is { Entity: OutboxMessage { TimerKey: not null }, State: EntityState.Deleted or EntityState.Modified }))
            {
                foreach (var entry in ex.Entries)
                {
                    entry.State = EntityState.Detached;
                }
            }
        }
    }

    /// <summary>Removes a pending timer. Answers false when it had already fired or never existed.</summary>
    public async Task<bool> CancelTimerAsync(string timerKey, CancellationToken cancellationToken)
    {
        var pending = await OutboxMessages
            .Where(m => m.TimerKey == timerKey && m.DispatchedAt == null)
            .ToListAsync(cancellationToken);
        OutboxMessages.RemoveRange(pending);
        return pending.Count > 0;
    }

    private void Enqueue(object message, string? destination, DateTimeOffset dueAt, string? timerKey)
    {
        var type = message.GetType();
        OutboxMessages.Add(new OutboxMessage
        {
            MessageId = NewId.NextGuid(),
            MessageType = MessageTypeNames.NameOf(type),
            Body = JsonSerializer.Serialize(message, type, BodyJson),
            Destination = destination,
            CreatedAt = time.GetUtcNow(),
            DueAt = dueAt,
            TimerKey = timerKey,
            TraceParent = Activity.Current?.Id,
            Partition = DutyPartitions.Of(OutboxLanes.KeyOf(message)),
        });
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).ValueGeneratedOnAdd();
            e.HasIndex(m => m.MessageId).IsUnique();
            e.HasIndex(m => new { m.DispatchedAt, m.DueAt });
            e.HasIndex(m => m.TimerKey);
            e.Property(m => m.MessageType).HasMaxLength(512);
            e.Property(m => m.Destination).HasMaxLength(256);
            e.Property(m => m.TimerKey).HasMaxLength(256);
            e.Property(m => m.TraceParent).HasMaxLength(128);
            e.Property(m => m.LastError).HasMaxLength(2000);
        });
        modelBuilder.Entity<InboxMessage>(e =>
        {
            e.ToTable("inbox_messages");
            e.HasKey(m => new { m.MessageId, m.Consumer });
            e.HasIndex(m => m.ProcessedAt);
            e.Property(m => m.Consumer).HasMaxLength(256);
        });
        modelBuilder.Entity<DutyLease>(e =>
        {
            e.ToTable("duty_leases");
            e.HasKey(l => new { l.Duty, l.Partition });
            e.Property(l => l.Duty).HasMaxLength(64);
            e.Property(l => l.Owner).HasMaxLength(160);
        });
        modelBuilder.Entity<DutyMember>(e =>
        {
            e.ToTable("duty_members");
            e.HasKey(m => new { m.Duty, m.Owner });
            e.Property(m => m.Duty).HasMaxLength(64);
            e.Property(m => m.Owner).HasMaxLength(160);
        });
    }

    /// <summary>
    /// Instants are stored as UTC DateTime on every provider: SQLite cannot order or compare
    /// DateTimeOffset, and Npgsql's timestamptz accepts only UTC.
    /// </summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcInstantConverter>();
    }

    private sealed class UtcInstantConverter() : ValueConverter<DateTimeOffset, DateTime>(
        v => v.UtcDateTime,
        v => new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc), TimeSpan.Zero));
}
