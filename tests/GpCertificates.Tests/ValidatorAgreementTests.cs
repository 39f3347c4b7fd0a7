using System.Net;
using System.Text;
using IntegrationHub.FirelyReference;
using IntegrationHub.TestSupport;

namespace IntegrationHub.GpCertificates.Tests;

/// <summary>
/// Firely's validator is the reference for the hub's own: both judge every case of the agreement
/// corpus against the same profile, and each disagreement is fixed or listed with its reason in
/// <c>validator-differences.md</c>.
/// </summary>
public sealed class ValidatorAgreementTests
{
    private static readonly string DifferencesFile = Path.Combine(RepositoryRoot.Path, "tests", "GpCertificates.Tests", "validator-differences.md");

    [Fact]
    public void Firely_finds_the_example_valid_against_the_profile()
    {
        var (valid, errors) = new FirelyProfileValidator().Validate(CertificateExamples.Mutated(_ => { }));

        Assert.True(valid, string.Join("\n", errors));
    }

    [Fact]
    public async Task The_hub_and_Firely_agree_on_every_case_or_the_difference_is_listed_with_its_reason()
    {
        await using var gp = await CertificateClient.StartAsync("--modules", "gp-certificates");
        var firely = new FirelyProfileValidator();
        var corpus = AgreementCorpus.All;
        var verdicts = new List<(AgreementCorpus.Case Case, bool Hub, bool Firely, string Why)>();
        foreach (var batch in corpus.Chunk(8))
        {
            var answers = await Task.WhenAll(batch.Select(c => gp.PostAsync(c.Json)));
            foreach (var (item, answer) in batch.Zip(answers))
            {
                Assert.True((int)answer.Status < 500, $"{item.Mutation} on {item.Variant}: {answer.Status}");
                var (firelyValid, errors) = firely.Validate(item.Json);
                var hubValid = answer.Status is HttpStatusCode.Created or HttpStatusCode.OK;
                verdicts.Add((item, hubValid, firelyValid, hubValid ? string.Join(" | ", errors.Take(3)) : answer.Body[..Math.Min(300, answer.Body.Length)]));
            }
        }

        var disagreeing = verdicts.Where(v => v.Hub != v.Firely).ToList();
        WriteReport(verdicts, disagreeing);
        var listed = ListedDifferences();
        var unlisted = disagreeing.Where(d => !listed.Contains(d.Case.Mutation)).ToList();
        var settled = listed.Where(m => !disagreeing.Any(d => d.Case.Mutation == m)).ToList();

        Assert.True(corpus.Count >= 500, $"{corpus.Count} cases");
        Assert.True(verdicts.Count(v => v.Hub && v.Firely) >= 45, "too few valid cases to say the validators agree on what is valid");
        Assert.True(unlisted.Count == 0, "Unlisted disagreements:\n" + string.Join("\n", unlisted.Select(d => $"{d.Case.Mutation} on {d.Case.Variant}: hub {Verdict(d.Hub)}, Firely {Verdict(d.Firely)}; {d.Why}")));
        Assert.True(settled.Count == 0, "Listed, but no longer disagreeing: " + string.Join(", ", settled));
    }

    private static string Verdict(bool valid) => valid ? "valid" : "invalid";

    private static HashSet<string> ListedDifferences() =>
        File.ReadLines(DifferencesFile)
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| mutation", StringComparison.Ordinal) && !l.StartsWith("| ---", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)[1])
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The counts and every disagreement, in TestResults, for the note and the README.</summary>
    private static void WriteReport(List<(AgreementCorpus.Case Case, bool Hub, bool Firely, string Why)> verdicts, List<(AgreementCorpus.Case Case, bool Hub, bool Firely, string Why)> disagreeing)
    {
        var report = new StringBuilder()
            .AppendLine("# Validator agreement")
            .AppendLine()
            .AppendLine($"cases {verdicts.Count}, agreements {verdicts.Count - disagreeing.Count}, disagreements {disagreeing.Count} in {disagreeing.Select(d => d.Case.Mutation).Distinct().Count()} mutations")
            .AppendLine($"valid for both {verdicts.Count(v => v.Hub && v.Firely)}, invalid for both {verdicts.Count(v => !v.Hub && !v.Firely)}")
            .AppendLine();
        foreach (var d in disagreeing)
        {
            report.AppendLine($"- {d.Case.Mutation} on {d.Case.Variant}: hub {Verdict(d.Hub)}, Firely {Verdict(d.Firely)}; {d.Why.ReplaceLineEndings(" ")}");
        }

        var directory = Path.Combine(RepositoryRoot.Path, "TestResults");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "validator-agreement.md"), report.ToString());
    }
}
