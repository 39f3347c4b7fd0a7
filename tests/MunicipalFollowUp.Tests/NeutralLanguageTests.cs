using System.Reflection;
using IntegrationHub.Contracts;
using IntegrationHub.Delivery.Domain;
using IntegrationHub.MunicipalFollowUp.Translation;
using IntegrationHub.Routing.Domain;

namespace IntegrationHub.MunicipalFollowUp.Tests;

/// <summary>Every code and text the hub writes about people uses neutral words: "bruker", "rusmiddelavhengighet".</summary>
public sealed class NeutralLanguageTests
{
    private static readonly string[] Stigmatising =
        ["narkoman", "misbruk", "junkie", "addict", "rusavhengig", "sprøyte", "rusbruker", "non-complian", "sanksjon", "sanction"];

    private static IEnumerable<string> HubTexts()
    {
        foreach (var text in MunicipalVocabulary.Services.Values.Concat(MunicipalVocabulary.Outcomes.Values).Concat(MunicipalVocabulary.Channels.Values))
        {
            yield return text;
        }

        foreach (var outcome in MunicipalVocabulary.Outcomes.Keys)
        {
            foreach (var channel in MunicipalVocabulary.Channels.Keys)
            {
                yield return MunicipalVocabulary.Summarise(outcome, channel);
            }
        }

        var signalCodes = typeof(EngagementSignal).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();
        foreach (var code in signalCodes)
        {
            yield return code;
            foreach (var channel in new[] { "phone", "physical", "home-visit", "video", null })
            {
                if (ContactStatusTexts.ForNavSignal(code, channel) is { } text)
                {
                    yield return text;
                }
            }
        }

        foreach (var label in DataCategory.Labels.Values)
        {
            yield return label;
        }

        foreach (var kind in new[] { "medical-certificate", "follow-up-note", "case-opened", UpdateKinds.HandoverSummary, "meeting-missed" })
        {
            yield return UpdateText.Summarise(new DeliverUpdate(
                Guid.NewGuid(), Guid.NewGuid(), new PersonReference("k"), new PartyReference(PartyKind.Nav, "0314"), null, "municipality", kind,
                DateTimeOffset.UtcNow, [], [], null, null, null) { Contact = new ContactStatus("not-reached", "phone", MunicipalVocabulary.Summarise("not-reached", "phone")) });
        }
    }

    [Fact]
    public void No_code_or_text_the_hub_writes_uses_a_stigmatising_word()
    {
        var offending = HubTexts()
            .SelectMany(text => Stigmatising.Where(word => text.Contains(word, StringComparison.OrdinalIgnoreCase)).Select(word => $"{word}: {text}"))
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void The_hub_speaks_of_the_person_as_bruker_and_of_addiction_as_rusmiddelavhengighet()
    {
        Assert.Contains("rusmiddelavhengighet", MunicipalVocabulary.Services["addiction"], StringComparison.Ordinal);
        Assert.All(MunicipalVocabulary.Outcomes.Values, text => Assert.Contains("bruker", text, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_missed_contact_says_it_is_information_for_a_person_to_act_on_and_not_grounds_for_a_sanction()
    {
        Assert.Contains("ikke grunnlag for tiltak", MunicipalVocabulary.Summarise("appointment-missed", "office"), StringComparison.Ordinal);
        Assert.Contains("ikke grunnlag for tiltak", ContactStatusTexts.ForNavSignal(EngagementSignal.MeetingMissed, null)!, StringComparison.Ordinal);
        Assert.Contains("ikke grunnlag for tiltak", ContactStatusTexts.ForNavSignal(EngagementSignal.ContactFailed, "phone")!, StringComparison.Ordinal);
    }
}
