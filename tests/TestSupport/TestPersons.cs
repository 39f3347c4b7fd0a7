using System.Globalization;

namespace IntegrationHub.TestSupport;

/// <summary>
/// Synthetic fødselsnumre (month + 80, as in Skatteetaten's test data), with valid check digits:
/// never a real person's. The hub accepts them in Development.
/// </summary>
public static class TestPersons
{
    private static readonly int[] FirstWeights = [3, 7, 6, 1, 8, 9, 4, 5, 2];
    private static readonly int[] SecondWeights = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

    /// <summary><paramref name="count"/> distinct synthetic numbers, the same for the same <paramref name="seed"/>.</summary>
    public static IReadOnlyList<string> Synthetic(int count, int seed = 0)
    {
        var found = new List<string>(count);
        for (var n = seed * 997; found.Count < count; n++)
        {
            var day = 1 + (n % 28);
            var month = 1 + ((n / 28) % 12);
            var individual = 100 + ((n / 336) % 400);
            var stem = string.Create(CultureInfo.InvariantCulture, $"{day:00}{month + 80:00}85{individual:000}");
            if (CheckDigit(stem, FirstWeights) is not { } first || CheckDigit(stem + first, SecondWeights) is not { } second)
            {
                continue;
            }

            found.Add(string.Create(CultureInfo.InvariantCulture, $"{stem}{first}{second}"));
        }

        return found;
    }

    private static int? CheckDigit(string digits, int[] weights)
    {
        var sum = digits.Select((c, i) => (c - '0') * weights[i]).Sum();
        var check = 11 - (sum % 11);
        return check switch
        {
            11 => 0,
            10 => null,
            _ => check,
        };
    }
}
