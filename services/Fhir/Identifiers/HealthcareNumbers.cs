namespace IntegrationHub.Fhir.Identifiers;

/// <summary>HPR number: a health professional in Helsepersonellregisteret. Digits only, up to 9.</summary>
public sealed record HprNumber
{
    public const string System = "urn:oid:2.16.578.1.12.4.1.4.4";

    private HprNumber(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? text, out HprNumber? number, out string error)
    {
        number = null;
        if (!DigitString.IsPositive(text, maxLength: 9))
        {
            error = "An HPR number is 1-9 digits, not all zero.";
            return false;
        }

        number = new HprNumber(text!);
        error = string.Empty;
        return true;
    }

    public override string ToString() => Value;
}

/// <summary>HER-id: an addressable unit in Adresseregisteret (Norsk Helsenett). Digits only.</summary>
public sealed record HerId
{
    public const string System = "urn:oid:2.16.578.1.12.4.1.2";

    private HerId(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? text, out HerId? herId, out string error)
    {
        herId = null;
        if (!DigitString.IsPositive(text, maxLength: 9))
        {
            error = "A HER-id is 1-9 digits, not all zero.";
            return false;
        }

        herId = new HerId(text!);
        error = string.Empty;
        return true;
    }

    public override string ToString() => Value;
}

internal static class DigitString
{
    public static bool IsPositive(string? text, int maxLength) =>
        text is { Length: > 0 } && text.Length <= maxLength && text.All(char.IsAsciiDigit) && text.Any(c => c != '0');
}
