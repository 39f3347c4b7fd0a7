namespace IntegrationHub.Fhir.Identifiers;

public enum PersonIdentifierKind
{
    Fodselsnummer,
    DNumber,
}

/// <summary>A fødselsnummer or D-number that has passed the date and mod-11 checks.</summary>
/// <remarks><see cref="ToString"/> deliberately hides the value so it cannot leak into logs by accident.</remarks>
public sealed class NorwegianPersonIdentifier : IEquatable<NorwegianPersonIdentifier>
{
    public const string FodselsnummerSystem = "urn:oid:2.16.578.1.12.4.1.4.1";
    public const string DNumberSystem = "urn:oid:2.16.578.1.12.4.1.4.2";

    private static readonly int[] FirstCheckWeights = [3, 7, 6, 1, 8, 9, 4, 5, 2, 1];
    private static readonly int[] SecondCheckWeights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1];
    private static readonly int[] DaysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

    private NorwegianPersonIdentifier(string value, PersonIdentifierKind kind, bool isSynthetic, DateOnly? birthDate)
    {
        Value = value;
        Kind = kind;
        IsSynthetic = isSynthetic;
        BirthDate = birthDate;
    }

    /// <summary>The 11 digits. Handle as sensitive: never log it or put it in a URL.</summary>
    public string Value { get; }

    public PersonIdentifierKind Kind { get; }

    public bool IsSynthetic { get; }

    /// <summary>
    /// The birth date the digits hold, the century read from the individual number as the population
    /// register assigns it; null for a 29 February in a year that had none.
    /// </summary>
    public DateOnly? BirthDate { get; }

    public string System => Kind == PersonIdentifierKind.DNumber ? DNumberSystem : FodselsnummerSystem;

    public static bool TryParse(
        string? text,
        PersonIdentifierRules rules,
        out NorwegianPersonIdentifier? identifier,
        out string error)
    {
        identifier = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "The identifier is empty.";
            return false;
        }

        if (text.Length != 11 || !text.All(char.IsAsciiDigit))
        {
            error = "The identifier must be exactly 11 digits.";
            return false;
        }

        var digits = text.Select(c => c - '0').ToArray();
        var day = (digits[0] * 10) + digits[1];
        var month = (digits[2] * 10) + digits[3];

        var kind = PersonIdentifierKind.Fodselsnummer;
        if (day > 40)
        {
            kind = PersonIdentifierKind.DNumber;
            day -= 40;
        }

        var isSynthetic = false;
        if (month > 80)
        {
            isSynthetic = true;
            month -= 80;
        }
        else if (month > 40)
        {
            isSynthetic = true;
            month -= 40;
        }

        if (isSynthetic && !rules.AcceptSynthetic)
        {
            error = "Synthetic test identifiers are not accepted here.";
            return false;
        }

        if (month is < 1 or > 12)
        {
            error = "The identifier does not contain a valid month.";
            return false;
        }

        if (day < 1 || day > DaysInMonth[month - 1])
        {
            error = "The identifier does not contain a valid day of month.";
            return false;
        }

        var firstRemainder = WeightedSum(digits, FirstCheckWeights) % 11;
        var firstOk = firstRemainder == 0 || (rules.Allow2032CheckDigits && firstRemainder <= 3);
        if (!firstOk || WeightedSum(digits, SecondCheckWeights) % 11 != 0)
        {
            error = "The identifier's check digits are wrong.";
            return false;
        }

        identifier = new NorwegianPersonIdentifier(text, kind, isSynthetic, BirthDateOf(digits, day, month));
        error = string.Empty;
        return true;
    }

    private static DateOnly? BirthDateOf(int[] digits, int day, int month)
    {
        var yearInCentury = (digits[4] * 10) + digits[5];
        var individual = (digits[6] * 100) + (digits[7] * 10) + digits[8];
        var century = individual switch
        {
            >= 500 and < 750 when yearInCentury >= 54 => 1800,
            >= 500 when yearInCentury < 40 => 2000,
            _ => 1900,
        };
        var year = century + yearInCentury;
        return day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;
    }

    private static int WeightedSum(int[] digits, int[] weights)
    {
        var sum = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += digits[i] * weights[i];
        }

        return sum;
    }

    public bool Equals(NorwegianPersonIdentifier? other) => other is not null && other.Value == Value;

    public override bool Equals(object? obj) => Equals(obj as NorwegianPersonIdentifier);

    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => $"{Kind}(***********)";
}
