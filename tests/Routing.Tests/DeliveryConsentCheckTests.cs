using IntegrationHub.Contracts;

namespace IntegrationHub.Routing.Tests;

/// <summary>The check adapters make when they store or push: a withdrawal reaches updates already queued.</summary>
public sealed class DeliveryConsentCheckTests
{
    private static readonly DateTimeOffset Queued = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly Guid ConsentId = Guid.NewGuid();

    private static DeliverUpdate Update() => new(
        Guid.NewGuid(), Guid.NewGuid(), new PersonReference("422d395586c31b91f2d3781c84d9b1a3"), new PartyReference(PartyKind.Municipality, "0301"),
        "rus-oslo-0042", "gp", "medical-certificate", Queued,
        [new DisclosureBasis(DataCategory.WorkCapacity, "consent", "samtykke", ConsentId), new DisclosureBasis(DataCategory.Diagnosis, "consent", "samtykke", ConsentId)],
        [new WithheldCategory(DataCategory.MedicalAssessment, "ikke samtykke")],
        new WorkCapacity(new DateOnly(2026, 11, 20), new DateOnly(2027, 1, 31), 100m),
        [new DiagnosisEntry("urn:oid:2.16.578.1.12.4.1.1.7170", "P15", null)],
        null);

    [Fact]
    public void Update_queued_before_a_withdrawal_is_emptied_when_delivered_after_it()
    {
        var update = Update();

        var checkedAtDelivery = update.WithoutWithdrawnConsents(id => id == ConsentId ? Queued.AddSeconds(5) : null, Queued.AddSeconds(10));

        Assert.False(checkedAtDelivery.HasContent);
        Assert.Null(checkedAtDelivery.WorkCapacity);
        Assert.Null(checkedAtDelivery.Diagnoses);
        Assert.Equal(
            [DataCategory.Diagnosis, DataCategory.MedicalAssessment, DataCategory.WorkCapacity],
            checkedAtDelivery.Withheld.Select(w => w.Category).Order());
    }

    [Fact]
    public void Update_delivered_before_the_withdrawal_instant_is_unchanged()
    {
        var update = Update();

        Assert.Same(update, update.WithoutWithdrawnConsents(_ => Queued.AddSeconds(5), Queued.AddSeconds(4)));
        Assert.Same(update, update.WithoutWithdrawnConsents(_ => null, Queued.AddYears(1)));
    }

    [Fact]
    public void Category_on_a_legal_basis_stays_when_a_consent_is_withdrawn()
    {
        var update = Update() with
        {
            Bases = [new DisclosureBasis(DataCategory.WorkCapacity, "legal-basis", "folketrygdloven § 21-4"), new DisclosureBasis(DataCategory.Diagnosis, "consent", "samtykke", ConsentId)],
        };

        var checkedAtDelivery = update.WithoutWithdrawnConsents(_ => Queued, Queued);

        Assert.NotNull(checkedAtDelivery.WorkCapacity);
        Assert.Null(checkedAtDelivery.Diagnoses);
        Assert.Equal(DataCategory.WorkCapacity, Assert.Single(checkedAtDelivery.Bases).Category);
    }
}
