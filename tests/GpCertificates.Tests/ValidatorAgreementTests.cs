using IntegrationHub.TestSupport;

namespace IntegrationHub.GpCertificates.Tests;

public sealed class ValidatorAgreementTests
{
    [Fact]
    public void Firely_finds_the_example_valid_against_the_profile()
    {
        var (valid, errors) = new FirelyReference().Validate(CertificateExamples.Mutated(_ => { }));

        Assert.True(valid, string.Join("\n", errors));
    }
}
