using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Fhir.Validation;
using IntegrationHub.FirelyReference;
using IntegrationHub.TestSupport;

namespace IntegrationHub.GpCertificates.Tests;

/// <summary>
/// A generated corpus of hostile certificates: random deletions, type swaps, truncations, deep
/// nesting, huge strings and flipped bytes. None may end in a 500, and every answer must be a
/// well-formed OperationOutcome. Firely's validator judges the same bytes: where the hub's limits
/// (body size, string length, depth) do not decide first, the two verdicts agree.
/// </summary>
public sealed class MutatedCorpusTests : IAsyncLifetime
{
    private const int CorpusSize = 500;
    private CertificateClient _gp = null!;

    public async Task InitializeAsync() => _gp = await CertificateClient.StartAsync("--modules", "gp-certificates");

    public async Task DisposeAsync() => await _gp.DisposeAsync();

    [Fact]
    public async Task Five_hundred_mutated_bundles_never_give_a_500_and_always_an_operation_outcome()
    {
        var random = new Random(20261122);
        var corpus = Enumerable.Range(0, CorpusSize).Select(i => Mutate(random, i)).ToList();
        var validator = new FhirValidator();
        var firely = new FirelyProfileValidator();
        var statuses = new Dictionary<HttpStatusCode, int>();
        var limited = 0;
        var validForBoth = 0;
        var disagreements = new List<string>();

        foreach (var batch in corpus.Chunk(8))
        {
            var answers = await Task.WhenAll(batch.Select(_gp.PostAsync));
            foreach (var (answer, index) in answers.Select((a, i) => (a, i)))
            {
                Assert.True((int)answer.Status < 500, $"{answer.Status} for {Describe(batch[index])}: {answer.Body[..Math.Min(500, answer.Body.Length)]}");
                Assert.Equal(OperationOutcomes.ContentType, answer.ContentType);
                Assert.Equal("OperationOutcome", answer.Outcome.GetProperty("resourceType").GetString());
                Assert.Empty(validator.Validate(answer.Outcome));
                statuses[answer.Status] = statuses.GetValueOrDefault(answer.Status) + 1;

                var hubValid = answer.Status is HttpStatusCode.Created or HttpStatusCode.OK;
                var (firelyValid, errors) = firely.Validate(batch[index]);
                if (!hubValid && ByLimit(answer))
                {
                    limited++;
                }
                else if (hubValid && firelyValid)
                {
                    validForBoth++;
                }
                else if (hubValid != firelyValid)
                {
                    disagreements.Add($"{Describe(batch[index])}: hub {answer.Status} {answer.Body[..Math.Min(300, answer.Body.Length)]}; Firely {(firelyValid ? "valid" : string.Join(" | ", errors.Take(3)))}");
                }
            }
        }

        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(RepositoryRoot.Path, "TestResults")).FullName, "mutated-corpus-agreement.md"),
            $"# Mutated corpus: the hub and Firely\n\ncases {CorpusSize}, decided by the hub's limits {limited}, compared {CorpusSize - limited}, "
            + $"disagreements {disagreements.Count}, valid for both {validForBoth}\n");
        Assert.True(validForBoth > 0, "no mutated certificate is valid: agreement says little");
        Assert.True(disagreements.Count == 0, $"{disagreements.Count} disagreements ({limited} decided by the hub's limits):\n" + string.Join("\n", disagreements));

        // The corpus reaches every kind of answer, not just one.
        Assert.Contains(HttpStatusCode.BadRequest, statuses.Keys);
        Assert.Contains(HttpStatusCode.UnprocessableEntity, statuses.Keys);
        Assert.Contains(HttpStatusCode.RequestEntityTooLarge, statuses.Keys);
        Assert.Equal(CorpusSize, statuses.Values.Sum());
    }

    /// <summary>Refused by a bound the hub sets on hostile input (FhirValidationLimits, MaxBodyBytes), which FHIR itself does not set.</summary>
    private static bool ByLimit(FhirAnswer answer) =>
        answer.Status == HttpStatusCode.RequestEntityTooLarge
        || answer.Outcome.GetProperty("issue").EnumerateArray().Any(i => i.GetProperty("code").GetString() is IssueCode.TooLong or IssueCode.TooCostly);

    private static string Describe(byte[] body) => Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300));

    private static byte[] Mutate(Random random, int index)
    {
        var bundle = CertificateExamples.LegeerklaeringNode();
        bundle["identifier"]!["value"] = $"urn:uuid:{new Guid(index, 0, 0, new byte[8])}";
        switch (index % 7)
        {
            case 0:
                for (var i = random.Next(1, 4); i > 0; i--)
                {
                    Delete(random, bundle);
                }

                break;
            case 1:
                SwapType(random, bundle);
                break;
            case 2:
                var text = bundle.ToJsonString();
                return Encoding.UTF8.GetBytes(text[..random.Next(0, text.Length)]);
            case 3:
                // Spliced in as text: the JSON writer itself refuses more than 1000 levels.
                Replace(random, bundle, JsonValue.Create("__nested__"));
                var depth = random.Next(20, 5000);
                var arrays = random.Next(2) == 0;
                var nested = arrays
                    ? new string('[', depth) + "1" + new string(']', depth)
                    : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                return Encoding.UTF8.GetBytes(bundle.ToJsonString().Replace("\"__nested__\"", nested, StringComparison.Ordinal));
            case 4:
                Replace(random, bundle, JsonValue.Create(new string((char)random.Next('a', 'z'), random.Next(50_000, 1_500_000))));
                break;
            case 5:
                var bytes = Encoding.UTF8.GetBytes(bundle.ToJsonString());
                for (var i = random.Next(1, 6); i > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            default:
                Delete(random, bundle);
                SwapType(random, bundle);
                break;
        }

        return Encoding.UTF8.GetBytes(bundle.ToJsonString());
    }

    private static List<(JsonNode Parent, object Key)> Slots(JsonNode node)
    {
        var slots = new List<(JsonNode, object)>();
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    slots.Add((obj, name));
                    if (child is not null)
                    {
                        slots.AddRange(Slots(child));
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    slots.Add((array, i));
                    if (array[i] is { } child)
                    {
                        slots.AddRange(Slots(child));
                    }
                }

                break;
        }

        return slots;
    }

    private static void Delete(Random random, JsonObject bundle)
    {
        var slots = Slots(bundle);
        var (parent, key) = slots[random.Next(slots.Count)];
        if (parent is JsonObject obj)
        {
            obj.Remove((string)key);
        }
        else if (parent is JsonArray array && (int)key < array.Count)
        {
            array.RemoveAt((int)key);
        }
    }

    private static void SwapType(Random random, JsonObject bundle) => Replace(random, bundle, random.Next(6) switch
    {
        0 => JsonValue.Create(random.Next()),
        1 => JsonValue.Create("swapped"),
        2 => JsonValue.Create(random.Next(2) == 0),
        3 => new JsonObject { ["x"] = 1 },
        4 => new JsonArray(1, "two"),
        _ => null,
    });

    private static void Replace(Random random, JsonObject bundle, JsonNode? replacement)
    {
        var slots = Slots(bundle);
        var (parent, key) = slots[random.Next(slots.Count)];
        if (parent is JsonObject obj)
        {
            obj[(string)key] = replacement;
        }
        else if (parent is JsonArray array)
        {
            array[(int)key] = replacement;
        }
    }
}
