using IntegrationHub.Messaging;
using IntegrationHub.Messaging.Inbox;
using IntegrationHub.Messaging.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace IntegrationHub.Messaging.Tests;

// A minimal module used only to exercise the messaging guarantees: a command writes a note and
// publishes an event; a second consumer records every event it receives.
public sealed record RecordNote(Guid NoteId, string Text, bool FailAfterWrite);

public sealed record NoteRecorded(Guid NoteId, string Text);

public sealed record Marker(Guid MarkerId);

public sealed record ReminderDue(Guid ReminderId);

public sealed class Note
{
    public Guid Id { get; set; }

    public required string Text { get; set; }
}

/// <summary>What a consumer saw, one row per processed message.</summary>
public sealed class Receipt
{
    public long Id { get; set; }

    public required string Kind { get; set; }

    public Guid SubjectId { get; set; }
}

public sealed class TestDbContext(DbContextOptions<TestDbContext> options, TimeProvider time) : MessagingDbContext(options, time)
{
    public DbSet<Note> Notes => Set<Note>();

    public DbSet<Receipt> Receipts => Set<Receipt>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Note>().ToTable("notes");
        modelBuilder.Entity<Receipt>().ToTable("receipts");
    }
}

[DbContext(typeof(TestDbContext))]
[Migration("0001_Initial")]
public sealed class TestInitialMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        MessagingSchema.CreateOutboxAndInbox(migrationBuilder);
        MessagingSchema.IndexInboxByProcessedAt(migrationBuilder);
        MessagingSchema.PartitionTheOutbox(migrationBuilder);
        migrationBuilder.CreateTable(
            "notes",
            table => new { Id = table.Column<Guid>(nullable: false), Text = table.Column<string>(nullable: false) },
            constraints: table => table.PrimaryKey("PK_notes", x => x.Id));
        migrationBuilder.CreateTable(
            "receipts",
            table => new
            {
                Id = table.Column<long>(nullable: false)
                    .Annotation("Sqlite:Autoincrement", true)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                Kind = table.Column<string>(nullable: false),
                SubjectId = table.Column<Guid>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_receipts", x => x.Id));
    }
}

/// <summary>Lets a test make a consumer fail until the cause is "fixed".</summary>
public sealed class FailureSwitch
{
    public volatile bool Failing;
}

public sealed class RecordNoteConsumer(TestDbContext db, TimeProvider time, FailureSwitch failure)
    : IdempotentConsumer<RecordNote, TestDbContext>(db, time)
{
    protected override async Task HandleAsync(ConsumeContext<RecordNote> context)
    {
        Db.Notes.Add(new Note { Id = context.Message.NoteId, Text = context.Message.Text });
        Db.Publish(new NoteRecorded(context.Message.NoteId, context.Message.Text));
        await Db.SaveChangesAsync(context.CancellationToken);
        if (context.Message.FailAfterWrite || failure.Failing)
        {
            throw new InvalidOperationException("Simulated failure after the state was written.");
        }
    }
}

public sealed class NoteRecordedConsumer(TestDbContext db, TimeProvider time)
    : IdempotentConsumer<NoteRecorded, TestDbContext>(db, time)
{
    protected override Task HandleAsync(ConsumeContext<NoteRecorded> context)
    {
        Db.Receipts.Add(new Receipt { Kind = nameof(NoteRecorded), SubjectId = context.Message.NoteId });
        return Task.CompletedTask;
    }
}

public sealed class MarkerConsumer(TestDbContext db, TimeProvider time) : IdempotentConsumer<Marker, TestDbContext>(db, time)
{
    protected override Task HandleAsync(ConsumeContext<Marker> context)
    {
        Db.Receipts.Add(new Receipt { Kind = nameof(Marker), SubjectId = context.Message.MarkerId });
        return Task.CompletedTask;
    }
}

public sealed class ReminderDueConsumer(TestDbContext db, TimeProvider time) : IdempotentConsumer<ReminderDue, TestDbContext>(db, time)
{
    protected override Task HandleAsync(ConsumeContext<ReminderDue> context)
    {
        Db.Receipts.Add(new Receipt { Kind = nameof(ReminderDue), SubjectId = context.Message.ReminderId });
        return Task.CompletedTask;
    }
}

/// <summary>
/// NoteRecorded and Marker share one queue and one consumer at a time, so a marker that has
/// been processed proves that everything queued before it has been processed too.
/// </summary>
public sealed class OrderedReceiptsDefinition : ConsumerDefinition<NoteRecordedConsumer>
{
    public OrderedReceiptsDefinition() => Endpoint(endpoint =>
    {
        endpoint.Name = "ordered-receipts";
        endpoint.ConcurrentMessageLimit = 1;
    });
}

public sealed class MarkerConsumerDefinition : ConsumerDefinition<MarkerConsumer>
{
    public MarkerConsumerDefinition() => Endpoint(endpoint =>
    {
        endpoint.Name = "ordered-receipts";
        endpoint.ConcurrentMessageLimit = 1;
    });
}

/// <summary>A message about a person, numbered in the order it was committed for that person.</summary>
public sealed record PersonNoted(IntegrationHub.Contracts.PersonReference Person, int Sequence);

public sealed class PersonNotedConsumer(TestDbContext db, TimeProvider time) : IdempotentConsumer<PersonNoted, TestDbContext>(db, time)
{
    protected override Task HandleAsync(ConsumeContext<PersonNoted> context)
    {
        Db.Receipts.Add(new Receipt { Kind = $"{context.Message.Person.PersonKey}:{context.Message.Sequence}", SubjectId = Guid.Empty });
        return Task.CompletedTask;
    }
}

/// <summary>One at a time, so receipts are in the order the messages arrived.</summary>
public sealed class PersonNotedConsumerDefinition : ConsumerDefinition<PersonNotedConsumer>
{
    public PersonNotedConsumerDefinition() => Endpoint(endpoint =>
    {
        endpoint.Name = "person-receipts";
        endpoint.ConcurrentMessageLimit = 1;
    });
}
