using IntegrationHub.Fhir.Identifiers;

namespace IntegrationHub.Fhir.Tests;

/// <summary>Check digits computed independently (mod 11, weights 3,7,6,1,8,9,4,5,2 and 5,4,3,2,7,6,5,4,3,2).</summary>
public sealed class NorwegianPersonIdentifierTests
{
    private static readonly PersonIdentifierRules Synthetic = new() { AcceptSynthetic = true };
    private static readonly PersonIdentifierRules With2032 = new() { Allow2032CheckDigits = true };

    [Theory]
    [InlineData("12039140045")]
    [InlineData("05065066671")]
    [InlineData("07090408849")]
    [InlineData("14070824648")]
    [InlineData("18025406091")]
    [InlineData("04102864501")]
    [InlineData("19110759080")]
    [InlineData("13100699944")]
    [InlineData("02047187985")]
    [InlineData("04097331575")]
    [InlineData("27098718589")]
    [InlineData("29029212366")]
    public void Valid_fodselsnummer_is_accepted(string value)
    {
        Assert.True(NorwegianPersonIdentifier.TryParse(value, PersonIdentifierRules.Production, out var identifier, out var error), error);
        Assert.Equal(PersonIdentifierKind.Fodselsnummer, identifier!.Kind);
        Assert.False(identifier.IsSynthetic);
        Assert.Equal(NorwegianPersonIdentifier.FodselsnummerSystem, identifier.System);
    }

    [Theory]
    [InlineData("12039140045", "1991-03-12")] // individual number 400: 1900-1999
    [InlineData("14070824648", "1908-07-14")]
    [InlineData("19110759080", "2007-11-19")] // 590 with year 07: 2000-2039
    [InlineData("13100699944", "2006-10-13")] // 999 with year 06
    [InlineData("43127206172", "1972-12-03")] // D-number: day + 40
    [InlineData("17825316817", "1953-02-17")] // synthetic: month + 80
    public void Birth_date_is_read_from_the_digits_with_the_century_of_the_individual_number(string value, string birthDate)
    {
        Assert.True(NorwegianPersonIdentifier.TryParse(value, Synthetic, out var identifier, out var error), error);
        Assert.Equal(DateOnly.Parse(birthDate, System.Globalization.CultureInfo.InvariantCulture), identifier!.BirthDate);
    }

    [Theory]
    [InlineData("59027365404")]
    [InlineData("43127206172")]
    [InlineData("47106369689")]
    [InlineData("54099932123")]
    [InlineData("59085837081")]
    public void Valid_d_number_is_accepted_as_a_d_number(string value)
    {
        Assert.True(NorwegianPersonIdentifier.TryParse(value, PersonIdentifierRules.Production, out var identifier, out var error), error);
        Assert.Equal(PersonIdentifierKind.DNumber, identifier!.Kind);
        Assert.Equal(NorwegianPersonIdentifier.DNumberSystem, identifier.System);
    }

    [Theory]
    [InlineData("08452371554")] // NAV test person: month + 40
    [InlineData("03447330775")]
    [InlineData("16494374610")]
    [InlineData("17825316817")] // Tenor test person: month + 80
    [InlineData("22810978299")]
    [InlineData("19894034869")]
    [InlineData("52927650800")] // synthetic D-number
    [InlineData("66905807030")]
    public void Synthetic_identifier_is_accepted_only_when_switched_on(string value)
    {
        Assert.True(NorwegianPersonIdentifier.TryParse(value, Synthetic, out var identifier, out var error), error);
        Assert.True(identifier!.IsSynthetic);

        Assert.False(NorwegianPersonIdentifier.TryParse(value, PersonIdentifierRules.Production, out _, out var refusal));
        Assert.Contains("Synthetic", refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("09026071337")] // first check remainder 1
    [InlineData("03110774809")]
    [InlineData("10128259169")]
    [InlineData("27115729115")]
    [InlineData("13128535521")] // remainder 3
    [InlineData("15014517291")]
    public void Check_digits_of_the_2032_rule_are_accepted_only_when_switched_on(string value)
    {
        Assert.False(NorwegianPersonIdentifier.TryParse(value, PersonIdentifierRules.Production, out _, out _));
        Assert.True(NorwegianPersonIdentifier.TryParse(value, With2032, out _, out var error), error);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("1203914004", "11 digits")]
    [InlineData("120391400450", "11 digits")]
    [InlineData("1203914004a", "11 digits")]
    [InlineData("12039 40045", "11 digits")]
    [InlineData("１２０３９１４００４５", "11 digits")] // full-width digits are not ASCII digits
    [InlineData("12039140046", "check digits")]
    [InlineData("12039140055", "check digits")]
    [InlineData("05065066672", "check digits")]
    [InlineData("59027365405", "check digits")]
    [InlineData("31049012392", "day of month")] // 31 April
    [InlineData("30029012373", "day of month")] // 30 February
    [InlineData("00059012320", "day of month")]
    [InlineData("72059012345", "day of month")] // D-number day 32
    [InlineData("15139012345", "month")]
    [InlineData("15009012345", "month")]
    [InlineData("15339012345", "month")] // month 33 is neither real nor synthetic
    [InlineData("04106306082", "check digits")] // remainder 4: wrong even under the 2032 rule
    [InlineData("25043613211", "check digits")]
    public void Invalid_identifier_is_rejected_with_a_reason(string? value, string reason)
    {
        var rules = new PersonIdentifierRules { AcceptSynthetic = true, Allow2032CheckDigits = true };
        Assert.False(NorwegianPersonIdentifier.TryParse(value, rules, out var identifier, out var error));
        Assert.Null(identifier);
        Assert.Contains(reason, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Identifier_never_shows_its_digits_when_formatted()
    {
        NorwegianPersonIdentifier.TryParse("12039140045", PersonIdentifierRules.Production, out var identifier, out _);

        Assert.DoesNotContain("12039140045", identifier!.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("12039140045", $"{identifier}", StringComparison.Ordinal);
    }
}
