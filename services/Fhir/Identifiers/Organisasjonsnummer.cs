namespace IntegrationHub.Fhir.Identifiers;

/// <summary>Brønnøysund organisation number: 9 digits, the last a mod-11 check digit (weights 3,2,7,6,5,4,3,2).</summary>
public sealed record Organisasjonsnummer
{
    public const string System = "urn:oid:2.16.578.1.12.4.1.4.101";

    private static readonly int[] Weights = [3, 2, 7, 6, 5, 4, 3, 2];

    private Organisasjonsnummer(string value) => Value = value;

    public string Value { get; }

    public static bool TryParse(string? text, out Organisasjonsnummer? number, out string error)
    {
        number = null;
        if (text is not { Length: 9 } || !text.All(char.IsAsciiDigit))
        {
            error = "An organisasjonsnummer is exactly 9 digits.";
            return false;
        }

        var sum = 0;
        for (var i = 0; i < Weights.Length; i++)
        {
            sum += (text[i] - '0') * Weights[i];
        }

        var check = 11 - (sum % 11);
        check = check == 11 ? 0 : check;
        if (check == 10 || check != text[8] - '0')
        {
            error = "The organisasjonsnummer's check digit is wrong.";
            return false;
        }

        number = new Organisasjonsnummer(text);
        error = string.Empty;
        return true;
    }

    public override string ToString() => Value;
}
