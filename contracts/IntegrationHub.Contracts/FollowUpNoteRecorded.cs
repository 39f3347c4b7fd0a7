namespace IntegrationHub.Contracts;

/// <summary>
/// A municipal service recorded a follow-up note. The contact status (category contact-status)
/// and the free text (category follow-up-notes, the most sensitive) are apart, so routing can
/// share the first without the second.
/// </summary>
/// <param name="Municipality">Municipality number, 4 digits.</param>
/// <param name="Service">addiction, mental-health, housing or other.</param>
/// <param name="Signals">Engagement signal codes the note gave (phone-lost, no-electronic-id, ...).</param>
public sealed record FollowUpNoteRecorded(
    Guid NoteId,
    PersonReference Person,
    string Municipality,
    string Caseworker,
    string Service,
    DateTimeOffset RecordedAt,
    ContactStatus Contact,
    string? Text,
    IReadOnlyList<string> Signals);
