using IntegrationHub.Contracts;

namespace IntegrationHub.Routing.Domain;

/// <summary>A consent as routing knows it: the grant and, once withdrawn, the instant.</summary>
public sealed record KnownConsent(ConsentGranted Grant, DateTimeOffset? WithdrawnAt);

/// <summary>For one recipient and one category: shared or not, and on what basis or for what reason.</summary>
public sealed record CategoryDecision(string Category, bool Allowed, string BasisOrReason, Guid? ConsentId);

/// <summary>The decision itself: pure, so every combination can be tested without a bus.</summary>
public sealed class RoutingPolicy(LegalBasisTable table)
{
    public static string RecipientCode(PartyKind kind) => kind switch
    {
        PartyKind.Nav => "nav",
        PartyKind.Municipality => "municipality",
        PartyKind.GeneralPractitioner => "gp",
        _ => "coordinator",
    };

    /// <summary>The source column of the legal-basis table for a party (coordination is "coordinator" only as a recipient).</summary>
    public static string SourceCode(PartyKind kind) => kind == PartyKind.Coordination ? "coordination" : RecipientCode(kind);

    /// <summary>Per category: shared with <paramref name="recipient"/> (a unit) or not, and why, as of <paramref name="at"/>.</summary>
    public IReadOnlyList<CategoryDecision> Decide(
        string source, PartyReference recipient, IEnumerable<string> categories, IReadOnlyCollection<KnownConsent> consents, DateTimeOffset at)
    {
        var recipientCode = RecipientCode(recipient.Kind);
        var recipientName = UnitNames.Of(recipient);
        return categories.Select(category =>
        {
            var label = DataCategory.Labels.GetValueOrDefault(category, category);
            switch (table.Find(source, recipientCode, category))
            {
                case null:
                    return new CategoryDecision(category, false, $"ingen hjemmel for å dele «{label}» med {recipientName}", null);
                case { Basis: Basis.Consent } rule:
                    var consent = consents.FirstOrDefault(c => Covers(c, recipient, category, at));
                    return consent is null
                        ? new CategoryDecision(category, false, $"ikke samtykke til å dele «{label}» med {recipientName}", null)
                        : new CategoryDecision(category, true, rule.Reference, consent.Grant.ConsentId);
                case var rule:
                    return new CategoryDecision(category, true, rule.Reference, null);
            }
        }).ToList();
    }

    /// <summary>A consent covers the recipient only if it names that unit (or NAV as the agency, for the office that follows the case).</summary>
    private static bool Covers(KnownConsent consent, PartyReference recipient, string category, DateTimeOffset at) =>
        (consent.WithdrawnAt is null || consent.WithdrawnAt > at)
        && consent.Grant.CoversDate(at)
        && consent.Grant.Recipients.Any(r => r.Names(recipient))
        && consent.Grant.Categories.Contains(category);
}
