namespace IntegrationHub.MunicipalFollowUp.Domain;

/// <summary>A note the municipal system sent, by its id: duplicates are found here, and the caseworkers' timeline reads it.</summary>
public sealed class ReceivedNote
{
    public Guid NoteId { get; set; }

    public required string PersonKey { get; set; }

    public required string Municipality { get; set; }

    public required string Caseworker { get; set; }

    public required string Service { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public required string Outcome { get; set; }

    public required string Channel { get; set; }

    /// <summary>Signal codes, comma-separated.</summary>
    public string Signals { get; set; } = string.Empty;

    public string? Text { get; set; }
}

/// <summary>"Our service follows this person": a municipality and its caseworker in the person's care team.</summary>
public sealed class FollowedPerson
{
    public long Id { get; set; }

    public required string PersonKey { get; set; }

    public required string Municipality { get; set; }

    public required string Caseworker { get; set; }

    public required string Service { get; set; }

    public DateTimeOffset Since { get; set; }
}

public sealed class MunicipalFollowUpOptions
{
    public const string Section = "MunicipalFollowUp";

    /// <summary>The free text is the most sensitive field; a short note is all another organisation should need.</summary>
    public int MaxTextLength { get; set; } = 2000;
}
