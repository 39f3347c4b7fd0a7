using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Validation;
using IntegrationHub.Pages.Api;

namespace IntegrationHub.Pages;

/// <summary>Codes from the API in plain bokmål, and times in Norwegian time, for the pages.</summary>
public static class Display
{
    private static TimeZoneInfo Norway => NorwegianTime.Zone;

    public static string Time(DateTimeOffset instant) => NorwegianTime.Format(instant);

    public static string Time(DateTimeOffset? instant) => instant is { } value ? Time(value) : "–";

    public static string Date(DateOnly day) => NorwegianTime.Format(day);

    /// <summary>A wall-clock time typed in Norway, as an instant.</summary>
    public static DateTimeOffset InstantOf(DateTime norwegianWallClock)
    {
        var unspecified = DateTime.SpecifyKind(norwegianWallClock, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, Norway.GetUtcOffset(unspecified));
    }

    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Norway).DateTime);

    /// <summary>"1 person", "2 personer": the number with the right form of the word.</summary>
    public static string Count(int count, string one, string many) => count == 1 ? $"1 {one}" : $"{count} {many}";

    /// <summary>
    /// The person as staff know them: "Kari Nordmann, f. 12.03.1991". Until a party has given a name,
    /// the birth date alone; never the key.
    /// </summary>
    public static string Person(PersonIdentityView? person) => (person?.Name, person?.BirthDate) switch
    {
        ({ } name, { } born) => $"{name.Given} {name.Family}, f. {Date(born)}",
        ({ } name, null) => $"{name.Given} {name.Family}",
        (null, { } born) => $"Person uten registrert navn, f. {Date(born)}",
        _ => "Person uten registrert navn",
    };


    public static string Role(string? role) => role switch
    {
        "coordinator" => "koordinator",
        "nav-advisor" => "NAV-veileder",
        "municipal-caseworker" => "kommunal saksbehandler",
        "hub-admin" => "administrator",
        null => "ingen rolle",
        _ => role,
    };

    public static string Source(string source) => source switch
    {
        "gp" => "Fastlegen",
        "nav" => "NAV",
        "municipality" => "Kommunen",
        "coordination" => "Koordinator",
        _ => source,
    };

    /// <summary>A disclosure's outcome as the person reads it.</summary>
    public static string Outcome(string outcome, DateTimeOffset? retractedAt) => outcome switch
    {
        "delivered" => "Ja",
        "retracted" => $"Delt, men trukket tilbake {Time(retractedAt)} før mottakeren leste det",
        _ => "Nei, holdt tilbake",
    };

    public static string ReachStatus(string status) => status switch
    {
        "reachable" => "Nås digitalt",
        "at-risk" => "Kan være i ferd med å falle ut",
        "not-reached-digitally" => "Nås ikke digitalt",
        _ => "Ukjent",
    };

    public static string Krr(string krr) => krr switch
    {
        "normal" => "Kan varsles digitalt",
        "reserved" => "Reservert mot digital kontakt",
        "cannot-be-notified" => "Kan ikke varsles (mangler kontaktinformasjon)",
        _ => "Ikke sjekket",
    };

    public static string Module(string module) => module switch
    {
        "gp-certificates" => "fastlegedelen",
        "nav-cases" => "NAV-delen",
        "municipal-follow-up" => "kommunedelen",
        "routing" => "samtykker og utleveringer",
        "coordination" => "koordineringen",
        _ => module,
    };

    public static string RightsKind(string kind) => kind switch
    {
        "access" => "Innsyn",
        "correction" => "Retting",
        "deletion" => "Sletting",
        _ => kind,
    };

    /// <summary>How near a request's deadline is, as its level says (raised by the hub's timers).</summary>
    public static string Deadline(DateTimeOffset dueAt, int level) => level switch
    {
        >= 3 => $"Fristen gikk ut {Time(dueAt)}",
        2 => $"Fristen nærmer seg: {Time(dueAt)}",
        _ => $"Frist {Time(dueAt)}",
    };

    public static string ChangeState(ChangeRequestRow request) => request.State switch
    {
        "done" => $"Utført {Time(request.ResolvedAt)}: {request.ResolutionNote}",
        "refused" => $"Avslått {Time(request.ResolvedAt)}: {request.ResolutionNote}",
        _ => Deadline(request.DueAt, request.Level),
    };

    public static string AccessState(AccessRequestRow request) => request.State switch
    {
        "handed-over" => $"utlevert {Time(request.HandedOverAt)}",
        "ready" => "klar til å skrives ut",
        _ => "venter på svar fra en del av navet",
    };

    public static string EscalationState(string state) => state switch
    {
        "raised" => "Ny, ikke tatt",
        "acknowledged" => "Tatt",
        "contact-attempts" => "Kontaktforsøk pågår",
        "resolved" => "Avsluttet",
        _ => state,
    };

    public static string ConsentStatus(string status) => status switch
    {
        "active" => "Gjelder",
        "withdrawn" => "Trukket tilbake",
        "expired" => "Utløpt",
        "not-yet-valid" => "Gjelder ikke ennå",
        _ => status,
    };

    public static string ObtainedVia(string via) => via switch
    {
        "digital" => "digitalt",
        "in-person" => "ved personlig oppmøte",
        "phone" => "på telefon",
        _ => via,
    };

    public static string Channel(string? channel) =>
        channel is null ? "ikke avtalt" : FollowUpVocabulary.ProfileChannels.GetValueOrDefault(channel, channel);

    public static string Category(string category) => DataCategory.Labels.GetValueOrDefault(category, category);
}
