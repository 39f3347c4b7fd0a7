namespace IntegrationHub.Contracts;

/// <summary>
/// Codes for what the hub learns about a person's reach. They inform people and are never grounds
/// for a sanction; each is neutral in wording on purpose.
/// </summary>
public static class EngagementSignal
{
    // From NAV's case system.
    public const string MessageSent = "message-sent";
    public const string MessageRead = "message-read";
    public const string MessageAnswered = "message-answered";
    public const string MeetingScheduled = "meeting-scheduled";
    public const string MeetingAttended = "meeting-attended";
    public const string MeetingMissed = "meeting-missed";

    /// <summary>Meldekort: the employment status card, due every 14 days.</summary>
    public const string EmploymentStatusCardMissed = "employment-status-card-missed";
    public const string ContactSucceeded = "contact-succeeded";
    public const string ContactFailed = "contact-failed";

    // From municipal follow-up notes.
    public const string NoPhone = "no-phone";
    public const string PhoneLost = "phone-lost";
    public const string NoPhoneCredit = "no-phone-credit";
    public const string NoInternet = "no-internet";
    public const string NoElectronicId = "no-electronic-id";
    public const string NoFixedAddress = "no-fixed-address";
    public const string Hospitalised = "hospitalised";
    public const string InTreatment = "in-treatment";
    public const string AskedToBeCalled = "asked-to-be-called";
    public const string WalkedInInstead = "walked-in-instead";

    // From KRR (Kontakt- og reservasjonsregisteret).
    public const string ReservedAgainstDigitalContact = "reserved-against-digital-contact";
    public const string CannotBeNotifiedDigitally = "cannot-be-notified-digitally";
}
