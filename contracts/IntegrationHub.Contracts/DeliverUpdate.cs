namespace IntegrationHub.Contracts;

/// <summary>Why a category was shared: a law, the person's consent (then <paramref name="ConsentId"/>), or the task itself.</summary>
public sealed record DisclosureBasis(string Category, string Basis, string Reference, Guid? ConsentId = null);

/// <summary>A category that exists in the update but may not reach this recipient, and why.</summary>
public sealed record WithheldCategory(string Category, string Reason);

/// <summary>
/// Command to a recipient's adapter (NAV, municipality): deliver this update to its inbox and
/// webhook. Only the categories allowed for the recipient are filled in; the others are null and
/// listed in <see cref="Withheld"/>. Routing decided it with the consents in force then; a
/// later withdrawal takes it back with <see cref="RetractUpdates"/> on the same queue.
/// </summary>
/// <param name="Source">gp, nav, municipality or coordination.</param>
/// <param name="Kind">What happened, e.g. medical-certificate, medical-certificate-withdrawn, follow-up-note.</param>
/// <remarks>Certificate categories are positional; the others are init properties, filled per kind.</remarks>
public sealed record DeliverUpdate(
    Guid UpdateId,
    Guid SourceEventId,
    PersonReference Person,
    PartyReference Recipient,
    string? RecipientUser,
    string Source,
    string Kind,
    DateTimeOffset OccurredAt,
    IReadOnlyList<DisclosureBasis> Bases,
    IReadOnlyList<WithheldCategory> Withheld,
    WorkCapacity? WorkCapacity,
    IReadOnlyList<DiagnosisEntry>? Diagnoses,
    MedicalAssessment? Assessment)
{
    /// <summary>Category contact-status.</summary>
    public ContactStatus? Contact { get; init; }

    /// <summary>Category case-status.</summary>
    public CaseStatus? Case { get; init; }

    /// <summary>Category follow-up-notes: the municipal note's free text.</summary>
    public string? FollowUpNote { get; init; }

    /// <summary>Category reach-signals: engagement signal codes.</summary>
    public IReadOnlyList<string>? ReachSignals { get; init; }

    /// <summary>Whether any category is left to deliver.</summary>
    public bool HasContent => Bases.Count > 0;

    /// <summary>The update without <paramref name="retracted"/>: their content emptied, their bases gone, and each listed as withheld with <paramref name="reason"/>.</summary>
    public DeliverUpdate Retract(IReadOnlySet<string> retracted, string reason)
    {
        var taken = Bases.Where(b => retracted.Contains(b.Category)).Select(b => b.Category).ToList();
        if (taken.Count == 0)
        {
            return this;
        }

        return WithoutCategories(retracted) with
        {
            Bases = Bases.Where(b => !retracted.Contains(b.Category)).ToList(),
            Withheld = [.. Withheld, .. taken.Select(c => new WithheldCategory(c, reason))],
        };
    }

    /// <summary>The categories this update carries, in a fixed order.</summary>
    public IReadOnlyList<string> CategoriesPresent()
    {
        var present = new List<string>();
        Add(WorkCapacity, DataCategory.WorkCapacity);
        Add(Diagnoses, DataCategory.Diagnosis);
        Add(Assessment, DataCategory.MedicalAssessment);
        Add(Contact, DataCategory.ContactStatus);
        Add(Case, DataCategory.CaseStatus);
        Add(FollowUpNote, DataCategory.FollowUpNotes);
        Add(ReachSignals, DataCategory.ReachSignals);
        return present;

        void Add(object? value, string category)
        {
            if (value is not null)
            {
                present.Add(category);
            }
        }
    }

    /// <summary>The same update with the fields of these categories emptied (bases and withheld lists untouched).</summary>
    public DeliverUpdate WithoutCategories(IReadOnlySet<string> removed) => this with
    {
        WorkCapacity = removed.Contains(DataCategory.WorkCapacity) ? null : WorkCapacity,
        Diagnoses = removed.Contains(DataCategory.Diagnosis) ? null : Diagnoses,
        Assessment = removed.Contains(DataCategory.MedicalAssessment) ? null : Assessment,
        Contact = removed.Contains(DataCategory.ContactStatus) ? null : Contact,
        Case = removed.Contains(DataCategory.CaseStatus) ? null : Case,
        FollowUpNote = removed.Contains(DataCategory.FollowUpNotes) ? null : FollowUpNote,
        ReachSignals = removed.Contains(DataCategory.ReachSignals) ? null : ReachSignals,
    };
}
