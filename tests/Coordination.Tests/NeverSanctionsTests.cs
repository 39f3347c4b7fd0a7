using System.Reflection;
using IntegrationHub.Contracts;
using IntegrationHub.Coordination.Domain;
using IntegrationHub.Coordination.Endpoints;

namespace IntegrationHub.Coordination.Tests;

/// <summary>Silence is a signal for support, never for blame: nothing the hub emits can sanction.</summary>
public sealed class NeverSanctionsTests
{
    private static readonly string[] SanctionWords = ["sanction", "compliance", "stopbenefit", "stansytelse", "closecase", "penalty", "breach"];
    private static readonly string[] Stigmatising = ["narkoman", "misbruk", "junkie", "addict", "rusavhengig", "sprøyte", "sanksjon"];

    [Fact]
    public void No_message_the_hub_publishes_can_stop_a_benefit_close_a_case_or_mark_non_compliance()
    {
        var contracts = typeof(PersonReference).Assembly.GetExportedTypes();
        var names = contracts.Select(t => t.Name)
            .Concat(contracts.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)).Select(p => p.Name))
            .Concat(contracts.SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static)).Where(f => f.FieldType == typeof(string)).Select(f => (string)f.GetValue(null)!));

        var offending = names.Where(n => SanctionWords.Any(w => n.Replace("-", string.Empty, StringComparison.Ordinal).Contains(w, StringComparison.OrdinalIgnoreCase))).ToList();

        Assert.Empty(offending);
        // The one message about a case ending comes from NAV itself; the hub only passes it on.
        Assert.DoesNotContain(contracts, t => t.Namespace == "IntegrationHub.Contracts" && t.Name.StartsWith("Close", StringComparison.Ordinal));
    }

    [Fact]
    public void Coordination_words_are_plain_and_neutral()
    {
        var now = DateTimeOffset.UtcNow;
        var assessment = ReachRules.Assess(
            new ReachFacts(
                [new(EngagementSignal.MessageSent, PartyKind.Nav, now.AddDays(-20), "m"), new(EngagementSignal.PhoneLost, PartyKind.Municipality, now.AddDays(-1), null),
                 new(EngagementSignal.NoElectronicId, PartyKind.Municipality, now.AddDays(-1), null), new(EngagementSignal.NoPhoneCredit, PartyKind.Municipality, now.AddDays(-1), null)],
                null, now.AddDays(-50), now.AddDays(-20), KrrStatus.Reserved),
            new ReachOptions(),
            now);
        var texts = assessment.Reasons.Select(r => r.Text)
            .Concat(ReachRules.All.Select(r => r.Description))
            .Concat(EscalationEndpoints.Resolutions.Values)
            .Concat(EscalationEndpoints.AttemptChannels.Values)
            .Concat(ReachEndpoints.Channels.Values)
            .Append(NeutralWording.NotGroundsForAction)
            .ToList();

        Assert.All(texts, t => Assert.DoesNotContain(Stigmatising, w => t.Contains(w, StringComparison.OrdinalIgnoreCase)));
        Assert.Contains("ikke grunnlag for tiltak", NeutralWording.NotGroundsForAction, StringComparison.Ordinal);
    }
}
