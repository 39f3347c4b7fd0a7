using IntegrationHub.Contracts;
using IntegrationHub.MunicipalFollowUp.Domain;
using MassTransit;

namespace IntegrationHub.MunicipalFollowUp.Translation;

/// <summary>A municipal note into the hub's contracts: the note, the contact attempt, and a signal per signal code.</summary>
public static class NoteTranslator
{
    public static IReadOnlyList<object> Translate(ReceivedNote note)
    {
        var person = new PersonReference(note.PersonKey);
        var source = new PartyReference(PartyKind.Municipality, note.Municipality);
        var signals = note.Signals.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var contact = new ContactStatus(note.Outcome, note.Channel, MunicipalVocabulary.Summarise(note.Outcome, note.Channel));
        var messages = new List<object>
        {
            new FollowUpNoteRecorded(note.NoteId, person, note.Municipality, note.Caseworker, note.Service, note.RecordedAt, contact, note.Text, signals),
            new ContactAttempted(note.NoteId, person, source, note.Outcome, note.Channel, MunicipalVocabulary.IsReached(note.Outcome), note.RecordedAt),
        };
        messages.AddRange(signals.Select(signal => new EngagementSignalObserved(NewId.NextGuid(), person, signal, source, note.RecordedAt, note.NoteId.ToString())));
        return messages;
    }
}
