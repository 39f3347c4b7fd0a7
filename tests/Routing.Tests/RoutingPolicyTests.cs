using IntegrationHub.Contracts;
using IntegrationHub.Routing.Domain;

namespace IntegrationHub.Routing.Tests;

/// <summary>Every (source, recipient, category, consent state) of the default legal-basis table.</summary>
public sealed class RoutingPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly RoutingPolicy Policy = new(new LegalBasisTable(LegalBasisTable.Defaults));
    private static readonly (string Code, PartyReference Unit)[] Recipients =
        [("nav", new(PartyKind.Nav, "0314")), ("municipality", new(PartyKind.Municipality, "0301")), ("coordinator", new(PartyKind.Coordination, "coordination"))];
    private static readonly string[] ConsentStates = ["none", "valid", "expired", "not-yet-valid", "withdrawn", "other-recipient", "other-unit", "other-category"];

    public static TheoryData<string, string, string, string> Combinations()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var source in new[] { "gp", "nav", "municipality", "coordination" })
        {
            foreach (var (recipient, _) in Recipients)
            {
                foreach (var category in DataCategory.Labels.Keys)
                {
                    foreach (var state in ConsentStates)
                    {
                        data.Add(source, recipient, category, state);
                    }
                }
            }
        }

        return data;
    }

    private static KnownConsent? ConsentIn(string state, PartyReference unit, string category)
    {
        var today = new DateOnly(2026, 11, 22);
        var recipient = new ConsentRecipient(unit.Kind, unit.Id);
        var otherKind = new ConsentRecipient(unit.Kind == PartyKind.Nav ? PartyKind.Municipality : PartyKind.Nav, "4601");
        var otherUnit = new ConsentRecipient(unit.Kind, unit.Kind == PartyKind.Nav ? "0315" : "4601");
        ConsentGranted Grant(DateOnly from, DateOnly until, ConsentRecipient to, string what) => new(
            Guid.NewGuid(), new PersonReference("422d395586c31b91f2d3781c84d9b1a3"), "coordinated-follow-up", [to], [what], from, until, "in-person", "coord-7", "coord-7", Now.AddDays(-1));
        return state switch
        {
            "valid" => new KnownConsent(Grant(today.AddDays(-1), today.AddYears(1), recipient, category), null),
            "expired" => new KnownConsent(Grant(today.AddYears(-1), today.AddDays(-1), recipient, category), null),
            "not-yet-valid" => new KnownConsent(Grant(today.AddDays(1), today.AddYears(1), recipient, category), null),
            "withdrawn" => new KnownConsent(Grant(today.AddDays(-1), today.AddYears(1), recipient, category), Now.AddMinutes(-1)),
            "other-recipient" => new KnownConsent(Grant(today.AddDays(-1), today.AddYears(1), otherKind, category), null),
            "other-unit" => new KnownConsent(Grant(today.AddDays(-1), today.AddYears(1), otherUnit, category), null),
            "other-category" => new KnownConsent(Grant(today.AddDays(-1), today.AddYears(1), recipient, category == DataCategory.ContactStatus ? DataCategory.Diagnosis : DataCategory.ContactStatus), null),
            _ => null,
        };
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Category_is_shared_only_on_a_basis_from_the_table_or_a_valid_consent(string source, string recipient, string category, string consentState)
    {
        var unit = Recipients.Single(r => r.Code == recipient).Unit;
        var consent = ConsentIn(consentState, unit, category);
        var rule = LegalBasisTable.Defaults.FirstOrDefault(r => r.Source == source && r.Recipient == recipient && r.Category == category);

        var decision = Assert.Single(Policy.Decide(source, unit, [category], consent is null ? [] : [consent], Now));

        var expected = rule switch
        {
            null => false,
            { Basis: Basis.Consent } => consentState == "valid",
            _ => true,
        };
        Assert.Equal(expected, decision.Allowed);
        if (decision.Allowed)
        {
            Assert.Equal(rule!.Reference, decision.BasisOrReason);
            Assert.Equal(rule.Basis == Basis.Consent ? consent!.Grant.ConsentId : null, decision.ConsentId);
        }
        else
        {
            Assert.NotEmpty(decision.BasisOrReason);
        }
    }

    [Fact]
    public void Withdrawal_counts_from_its_instant_not_its_day()
    {
        var grant = new ConsentGranted(
            Guid.NewGuid(), new PersonReference("422d395586c31b91f2d3781c84d9b1a3"), "coordinated-follow-up", [Oslo], [DataCategory.WorkCapacity],
            new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1), "phone", "coord-7", "coord-7", Now.AddDays(-30));
        var consent = new KnownConsent(grant, Now);

        Assert.True(Policy.Decide("gp", OsloUnit, [DataCategory.WorkCapacity], [consent], Now.AddTicks(-1))[0].Allowed);
        Assert.False(Policy.Decide("gp", OsloUnit, [DataCategory.WorkCapacity], [consent], Now)[0].Allowed);
    }

    private static readonly ConsentRecipient Oslo = new(PartyKind.Municipality, "0301");
    private static readonly PartyReference OsloUnit = new(PartyKind.Municipality, "0301");

    [Fact]
    public void A_consent_to_one_municipality_is_no_consent_for_another_and_says_which_unit_lacks_it()
    {
        var grant = new ConsentGranted(
            Guid.NewGuid(), new PersonReference("422d395586c31b91f2d3781c84d9b1a3"), "coordinated-follow-up", [Oslo], [DataCategory.WorkCapacity],
            new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1), "phone", "coord-7", "coord-7", Now.AddDays(-30));

        Assert.True(Policy.Decide("gp", OsloUnit, [DataCategory.WorkCapacity], [new KnownConsent(grant, null)], Now)[0].Allowed);
        var bergen = Policy.Decide("gp", new PartyReference(PartyKind.Municipality, "4601"), [DataCategory.WorkCapacity], [new KnownConsent(grant, null)], Now)[0];
        Assert.False(bergen.Allowed);
        Assert.Equal("ikke samtykke til å dele «Hvor mye du kan jobbe, og for hvilken periode» med Bergen kommune (4601)", bergen.BasisOrReason);
    }

    [Fact]
    public void A_consent_to_NAV_without_a_unit_covers_whichever_office_follows_the_case_and_one_with_a_unit_only_that_office()
    {
        ConsentGranted To(ConsentRecipient nav) => new(
            Guid.NewGuid(), new PersonReference("422d395586c31b91f2d3781c84d9b1a3"), "coordinated-follow-up", [nav], [DataCategory.ContactStatus],
            new DateOnly(2026, 1, 1), new DateOnly(2027, 1, 1), "phone", "coord-7", "coord-7", Now.AddDays(-30));
        var agency = new KnownConsent(To(new ConsentRecipient(PartyKind.Nav, null)), null);
        var office = new KnownConsent(To(new ConsentRecipient(PartyKind.Nav, "0314")), null);

        foreach (var follows in new[] { "0314", "0315" })
        {
            Assert.True(Policy.Decide("municipality", new PartyReference(PartyKind.Nav, follows), [DataCategory.ContactStatus], [agency], Now)[0].Allowed);
        }

        Assert.True(Policy.Decide("municipality", new PartyReference(PartyKind.Nav, "0314"), [DataCategory.ContactStatus], [office], Now)[0].Allowed);
        Assert.False(Policy.Decide("municipality", new PartyReference(PartyKind.Nav, "0315"), [DataCategory.ContactStatus], [office], Now)[0].Allowed);
    }

    [Fact]
    public void Consent_dates_are_Norwegian_calendar_days()
    {
        // 23:30 UTC on 31 December is already 1 January in Norway.
        var grant = new ConsentGranted(
            Guid.NewGuid(), new PersonReference("422d395586c31b91f2d3781c84d9b1a3"), "coordinated-follow-up", [Oslo], [DataCategory.WorkCapacity],
            new DateOnly(2027, 1, 1), new DateOnly(2027, 6, 30), "phone", "coord-7", "coord-7", Now);

        Assert.True(grant.CoversDate(new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.Zero)));
        Assert.False(grant.CoversDate(new DateTimeOffset(2026, 12, 31, 22, 30, 0, TimeSpan.Zero)));
    }
}
