using IntegrationHub.Fhir.Identifiers;

namespace IntegrationHub.Fhir.Tests;

public sealed class OrganisasjonsnummerTests
{
    [Theory]
    [InlineData("910000128")]
    [InlineData("987789328")]
    [InlineData("992174218")]
    [InlineData("896792903")]
    [InlineData("800339073")]
    [InlineData("979383479")]
    [InlineData("817468144")]
    [InlineData("938401918")]
    [InlineData("914610036")]
    [InlineData("807666193")]
    [InlineData("845145067")]
    [InlineData("823100779")]
    [InlineData("883783263")]
    [InlineData("916630492")]
    [InlineData("823740956")]
    [InlineData("961113938")]
    [InlineData("895597295")]
    [InlineData("992622431")]
    [InlineData("832836796")]
    [InlineData("860110849")]
    [InlineData("864697488")]
    public void Valid_organisasjonsnummer_is_accepted(string value)
    {
        Assert.True(Organisasjonsnummer.TryParse(value, out var number, out var error), error);
        Assert.Equal(value, number!.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("91000012")]
    [InlineData("9100001280")]
    [InlineData("91000012a")]
    [InlineData("910 00128")]
    [InlineData("910000129")]
    [InlineData("987789329")]
    [InlineData("992174219")]
    [InlineData("896792904")]
    [InlineData("800339074")]
    [InlineData("979383470")]
    [InlineData("817468145")]
    [InlineData("938401919")]
    [InlineData("914610037")]
    [InlineData("910000120")]
    [InlineData("000000001")]
    [InlineData("123456789")]
    [InlineData("-91000012")]
    [InlineData("９１００００１２８")]
    public void Invalid_organisasjonsnummer_is_rejected(string? value)
    {
        Assert.False(Organisasjonsnummer.TryParse(value, out var number, out var error));
        Assert.Null(number);
        Assert.NotEmpty(error);
    }
}

public sealed class HealthcareNumberTests
{
    public static TheoryData<string> ValidNumbers { get; } =
    [
        "9144889", "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678", "123456789", "90128",
        "100", "565501872", "8000001", "7777777", "400000009", "10", "999999999", "0123", "9", "31415926",
    ];

    public static TheoryData<string?> InvalidNumbers { get; } =
    [
        null, "", "0", "000", "000000000", "1234567890", "12a", "a12", "12 34", " 123", "123 ", "-123", "+123", "12.3",
        "1e5", "١٢٣", "１２３", "12345678901234", "0x12", "12_3",
    ];

    [Theory]
    [MemberData(nameof(ValidNumbers))]
    public void Valid_hpr_number_is_accepted(string value) => Assert.True(HprNumber.TryParse(value, out _, out var error), error);

    [Theory]
    [MemberData(nameof(InvalidNumbers))]
    public void Invalid_hpr_number_is_rejected(string? value) => Assert.False(HprNumber.TryParse(value, out _, out _));

    [Theory]
    [MemberData(nameof(ValidNumbers))]
    public void Valid_her_id_is_accepted(string value) => Assert.True(HerId.TryParse(value, out _, out var error), error);

    [Theory]
    [MemberData(nameof(InvalidNumbers))]
    public void Invalid_her_id_is_rejected(string? value) => Assert.False(HerId.TryParse(value, out _, out _));
}

public sealed class DiagnosisCodeTests
{
    [Theory]
    [InlineData("P15")]
    [InlineData("P76")]
    [InlineData("P19")]
    [InlineData("P74")]
    [InlineData("A01")]
    [InlineData("B80")]
    [InlineData("D01")]
    [InlineData("F70")]
    [InlineData("H01")]
    [InlineData("K86")]
    [InlineData("L03")]
    [InlineData("N89")]
    [InlineData("R74")]
    [InlineData("S88")]
    [InlineData("T90")]
    [InlineData("U71")]
    [InlineData("W78")]
    [InlineData("X76")]
    [InlineData("Y85")]
    [InlineData("Z05")]
    public void Valid_icpc2_code_is_accepted(string code) =>
        Assert.True(DiagnosisCode.TryParse(DiagnosisCode.Icpc2System, code, out _, out var error), error);

    [Theory]
    [InlineData("F10.2")]
    [InlineData("F10")]
    [InlineData("F102")]
    [InlineData("F32.1")]
    [InlineData("F33.10")]
    [InlineData("F11.2")]
    [InlineData("F19.2")]
    [InlineData("F41.1")]
    [InlineData("F43.1")]
    [InlineData("F20.0")]
    [InlineData("M54.5")]
    [InlineData("J45.9")]
    [InlineData("E11.9")]
    [InlineData("I10")]
    [InlineData("K70.3")]
    [InlineData("Z59.0")]
    [InlineData("B20")]
    [InlineData("T40.1")]
    [InlineData("X42")]
    [InlineData("U07.1")]
    public void Valid_icd10_code_is_accepted(string code) =>
        Assert.True(DiagnosisCode.TryParse(DiagnosisCode.Icd10System, code, out _, out var error), error);

    [Theory]
    [InlineData(DiagnosisCode.Icpc2System, null)]
    [InlineData(DiagnosisCode.Icpc2System, "")]
    [InlineData(DiagnosisCode.Icpc2System, "p15")]
    [InlineData(DiagnosisCode.Icpc2System, "P1")]
    [InlineData(DiagnosisCode.Icpc2System, "P150")]
    [InlineData(DiagnosisCode.Icpc2System, "C15")] // no chapter C in ICPC-2
    [InlineData(DiagnosisCode.Icpc2System, "E15")]
    [InlineData(DiagnosisCode.Icpc2System, "P15.1")]
    [InlineData(DiagnosisCode.Icpc2System, "15P")]
    [InlineData(DiagnosisCode.Icpc2System, " P15")]
    [InlineData(DiagnosisCode.Icd10System, "F1")]
    [InlineData(DiagnosisCode.Icd10System, "f10.2")]
    [InlineData(DiagnosisCode.Icd10System, "F10.")]
    [InlineData(DiagnosisCode.Icd10System, "F10.23456")]
    [InlineData(DiagnosisCode.Icd10System, "10.2")]
    [InlineData(DiagnosisCode.Icd10System, "FF10")]
    [InlineData(DiagnosisCode.Icd10System, "F10 2")]
    [InlineData(DiagnosisCode.Icd10System, "F10..2")]
    [InlineData(DiagnosisCode.Icpc2System, "G15")]
    [InlineData(DiagnosisCode.Icpc2System, "I15")]
    [InlineData(DiagnosisCode.Icpc2System, "J15")]
    [InlineData(DiagnosisCode.Icpc2System, "M15")]
    [InlineData(DiagnosisCode.Icpc2System, "O15")]
    [InlineData(DiagnosisCode.Icpc2System, "Q15")]
    [InlineData(DiagnosisCode.Icpc2System, "V15")]
    [InlineData(DiagnosisCode.Icpc2System, "P-5")]
    [InlineData(DiagnosisCode.Icpc2System, "PP5")]
    [InlineData(DiagnosisCode.Icpc2System, "P15 ")]
    [InlineData(DiagnosisCode.Icd10System, null)]
    [InlineData(DiagnosisCode.Icd10System, "")]
    [InlineData(DiagnosisCode.Icd10System, "F")]
    [InlineData(DiagnosisCode.Icd10System, ".F10")]
    [InlineData(DiagnosisCode.Icd10System, "F10-2")]
    [InlineData(DiagnosisCode.Icd10System, "F10.2 ")]
    [InlineData(DiagnosisCode.Icd10System, " F10.2")]
    [InlineData(DiagnosisCode.Icd10System, "F1O.2")]
    [InlineData(DiagnosisCode.Icd10System, "F10.2/3")]
    [InlineData(DiagnosisCode.Icd10System, "Æ10.2")]
    [InlineData("http://hl7.org/fhir/sid/icd-10", "F10.2")] // the hub expects the Norwegian OIDs
    [InlineData(null, "P15")]
    public void Invalid_diagnosis_code_is_rejected(string? system, string? code)
    {
        Assert.False(DiagnosisCode.TryParse(system, code, out var diagnosis, out var error));
        Assert.Null(diagnosis);
        Assert.NotEmpty(error);
    }
}
