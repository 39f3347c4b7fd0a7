using System.Globalization;
using IntegrationHub.Contracts;

namespace IntegrationHub.Delivery.Domain;

/// <summary>A category the recipient got, and on what basis.</summary>
public sealed record SharedCategory(string Category, string Label, string Basis, string Reference);

/// <summary>A category the update carries but the recipient may not see, and why (e.g. no consent).</summary>
public sealed record WithheldView(string Category, string Label, string Reason);

/// <summary>
/// An update as a recipient sees it, in the inbox and in the webhook body. Only what was shared is
/// here. A withheld category is named with its reason but never its content, so the recipient
/// knows to ask for consent instead of assuming nothing exists. An update where nothing at all may
/// be shared is never sent, so its existence stays hidden.
/// </summary>
public sealed record UpdateView(
    Guid UpdateId,
    string PersonKey,
    string Source,
    string Kind,
    DateTimeOffset OccurredAt,
    DateTimeOffset DeliveredAt,
    string Summary,
    IReadOnlyList<SharedCategory> Categories,
    WorkCapacity? WorkCapacity,
    IReadOnlyList<DiagnosisEntry>? Diagnoses,
    MedicalAssessment? Assessment,
    ContactStatus? Contact,
    CaseStatus? Case,
    string? FollowUpNote,
    IReadOnlyList<string>? ReachSignals,
    DateTimeOffset? AcknowledgedAt,
    string WebhookStatus)
{
    /// <summary>For a handover summary: the person's timeline up to the handover, as the recipient may see it now.</summary>
    public IReadOnlyList<TimelineEntry>? Handover { get; init; }

    public IReadOnlyList<WithheldView> Withheld { get; init; } = [];

    /// <summary>withdrawn-by-source or replaced when the source corrected the update; its content is gone.</summary>
    public string? Correction { get; init; }

    public static UpdateView From(DeliveredUpdate stored, DeliverUpdate update) => new(
        stored.Id,
        stored.PersonKey,
        update.Source,
        update.Kind,
        update.OccurredAt,
        stored.StoredAt,
        stored.Correction is { } correction ? $"{CorrectUpdates.Text(correction)}: se bort fra det som sto her." : UpdateText.Summarise(update),
        update.Bases.Select(b => new SharedCategory(b.Category, DataCategory.Labels.GetValueOrDefault(b.Category, b.Category), b.Basis, b.Reference)).ToList(),
        update.WorkCapacity,
        update.Diagnoses,
        update.Assessment,
        update.Contact,
        update.Case,
        update.FollowUpNote,
        update.ReachSignals,
        stored.AcknowledgedAt,
        stored.WebhookStatus)
    {
        Withheld = update.Withheld.Select(w => new WithheldView(w.Category, DataCategory.Labels.GetValueOrDefault(w.Category, w.Category), w.Reason)).ToList(),
        Correction = stored.Correction,
    };
}

/// <summary>One line of a person's timeline: the recipient's own party's events, and the updates delivered to it.</summary>
/// <param name="Update">The update as delivered, when the line is one; null for the party's own events.</param>
public sealed record TimelineEntry(DateTimeOffset At, string Source, string Kind, string Summary, UpdateView? Update);

/// <summary>One plain bokmål line per update, built only from what the recipient may see.</summary>
public static class UpdateText
{
    private static readonly Dictionary<string, string> Sources = new(StringComparer.Ordinal)
    {
        ["gp"] = "Fastlegen",
        ["nav"] = "NAV",
        ["municipality"] = "Kommunen",
        ["coordination"] = "Koordinator",
    };

    public static string Summarise(DeliverUpdate update)
    {
        var who = Sources.GetValueOrDefault(update.Source, update.Source);
        var parts = new List<string>();
        if (update.WorkCapacity is { } capacity)
        {
            parts.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"arbeidsuførhet {capacity.IncapacityPercent:0.#} % fra {capacity.From:dd.MM.yyyy} til {capacity.To:dd.MM.yyyy}"));
        }

        if (update.Diagnoses is { Count: > 0 } diagnoses)
        {
            parts.Add("diagnose " + string.Join(", ", diagnoses.Select(d => d.Code)));
        }

        if (update.Contact is { } contact)
        {
            parts.Add(contact.Summary.TrimEnd('.'));
        }

        if (update.Case is { } status)
        {
            parts.Add(status.Status == "closed" ? $"saken {status.CaseId} er avsluttet" : $"saken {status.CaseId} er åpnet");
        }

        if (update.FollowUpNote is not null)
        {
            parts.Add("notat fra oppfølgingen");
        }

        var what = update.Kind switch
        {
            "medical-certificate" => "sendte en legeerklæring eller sykmelding",
            "medical-certificate-withdrawn" => "trakk tilbake en legeerklæring eller sykmelding; se bort fra den",
            "follow-up-note" => "skrev et oppfølgingsnotat",
            "case-opened" or "case-closed" => "oppdaterte saken",
            "escalation-raised" => "følger opp brukeren",
            "escalation-resolved" => "har fulgt opp brukeren",
            UpdateKinds.HandoverSummary => "overleverer oppfølgingen: her er det som har skjedd så langt, så brukeren slipper å fortelle alt på nytt",
            _ => "melder om kontakt",
        };
        return parts.Count == 0 ? $"{who} {what}." : $"{who} {what}: {string.Join("; ", parts)}.";
    }
}
