using System.Text.Json;
using IntegrationHub.Contracts;
using IntegrationHub.Coordination.Krr;
using IntegrationHub.Fhir.Identifiers;
using IntegrationHub.Messaging.Persistence;
using IntegrationHub.Messaging.Persons;

namespace IntegrationHub.Coordination.Domain;

/// <summary>
/// Opens and seals what coordination keeps of who a person is and how to reach them. The name and
/// KRR's contact details lie sealed with <c>Hub:AtRest:Key</c> (rotated as its README section says),
/// each bound to its person, so a value copied to another person's row does not open. The identifier
/// stays as the sending module sealed it.
/// </summary>
public sealed class PersonDirectory(AtRestCipher cipher, PersonIdentifierSealer sealer)
{
    // The sender validated the identifier; here it is only read for its birth date.
    private static readonly PersonIdentifierRules Lenient = new() { AcceptSynthetic = true, Allow2032CheckDigits = true };

    /// <summary>Higher outranks lower: the population register (through NAV) before what a municipality or GP typed.</summary>
    public static int NameRank(PartyKind? source) => source switch
    {
        PartyKind.Nav => 3,
        PartyKind.Municipality => 2,
        PartyKind.GeneralPractitioner => 1,
        _ => 0,
    };

    /// <summary>Takes the person's identifier, and their name when it outranks the one kept, or is as good and newer.</summary>
    public void Take(PersonDetails details, PersonIdentified identified)
    {
        details.SealedIdentifier = identified.SealedIdentifier;
        if (sealer.OpenName(identified.SealedName) is not { } name)
        {
            return;
        }

        var rank = NameRank(identified.Source.Kind);
        var keptRank = NameRank(details.NameSource);
        if (details.Name is null || rank > keptRank || (rank == keptRank && identified.OccurredAt >= details.NameGivenAt))
        {
            details.Name = cipher.SealText(JsonSerializer.Serialize(name, PersonName.Json), NameBinding(details.PersonKey));
            details.NameSource = identified.Source.Kind;
            details.NameGivenAt = identified.OccurredAt;
        }
    }

    public PersonName? NameOf(PersonDetails? details) =>
        details?.Name is { } sealedName ? JsonSerializer.Deserialize<PersonName>(cipher.OpenText(sealedName, NameBinding(details.PersonKey)), PersonName.Json) : null;

    public DateOnly? BirthDateOf(string? sealedIdentifier) =>
        NorwegianPersonIdentifier.TryParse(sealer.Open(sealedIdentifier), Lenient, out var identifier, out _) ? identifier!.BirthDate : null;

    /// <summary>The fødselsnummer or D-number in full: only for the audited "vis fødselsnummer" step.</summary>
    public string? IdentifierOf(string? sealedIdentifier) => sealer.Open(sealedIdentifier);

    public void KeepContact(ReachProfile profile, KrrContact? contact) =>
        profile.KrrContact = contact is null ? null : cipher.SealText(JsonSerializer.Serialize(contact, PersonName.Json), ContactBinding(profile.PersonKey));

    public KrrContact? ContactOf(ReachProfile? profile) =>
        profile?.KrrContact is { } sealedContact ? JsonSerializer.Deserialize<KrrContact>(cipher.OpenText(sealedContact, ContactBinding(profile.PersonKey)), PersonName.Json) : null;

    private static string NameBinding(string personKey) => $"person_details/{personKey}/name";

    private static string ContactBinding(string personKey) => $"reach_profiles/{personKey}/krr-contact";
}
