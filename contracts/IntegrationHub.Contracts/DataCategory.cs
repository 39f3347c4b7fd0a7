namespace IntegrationHub.Contracts;

/// <summary>
/// The categories routing allows or withholds one by one. The codes are the ones in the party
/// interfaces and consent API; their labels are shown to people, so they are plain bokmål.
/// </summary>
public static class DataCategory
{
    public const string ContactStatus = "contact-status";
    public const string CaseStatus = "case-status";
    public const string WorkCapacity = "work-capacity";
    public const string Diagnosis = "diagnosis";
    public const string FollowUpNotes = "follow-up-notes";

    /// <summary>The GP's free-text assessment of function and measures, apart from diagnosis and work capacity.</summary>
    public const string MedicalAssessment = "medical-assessment";
    public const string ReachSignals = "reach-signals";

    public static IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>
    {
        [ContactStatus] = "Om vi har fått kontakt med deg",
        [CaseStatus] = "Status i saken din hos NAV",
        [WorkCapacity] = "Hvor mye du kan jobbe, og for hvilken periode",
        [Diagnosis] = "Diagnosen legen har satt",
        [FollowUpNotes] = "Notater fra oppfølgingen",
        [MedicalAssessment] = "Legens vurdering av hva du klarer, og hvilke tiltak som trengs",
        [ReachSignals] = "Hva som gjør det vanskelig å nå deg digitalt",
    };

    public static bool IsKnown(string category) => Labels.ContainsKey(category);
}
