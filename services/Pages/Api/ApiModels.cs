using IntegrationHub.Contracts;

namespace IntegrationHub.Pages.Api;

// The API's answers as these pages read them. The pages are a client of the hub's HTTP API like any
// other, so they hold their own read models instead of referencing a module's types.

public sealed record PersonKeyAnswer(string PersonKey);

public sealed record ReachReasonView(string Code, string Text);

public sealed record ChannelProfileView(IReadOnlyList<string> Usable, string? Preferred, bool NeedsPhysicalMeetings, DateTimeOffset? AgreedAt, string? AgreedBy);

public sealed record CareTeamMemberView(string Role, string Office);

public sealed record PersonNameView(string Given, string Family);

/// <summary>Who the person is: the name the parties gave (null until one did) and the birth date in the identifier.</summary>
public sealed record PersonIdentityView(string PersonKey, PersonNameView? Name, DateOnly? BirthDate);

public sealed record IdentifierAnswer(string PersonKey, string Identifier);

public sealed record MunicipalContactRow(string Municipality, string MunicipalityName, string Service, string ServiceText, string? Caseworker, DateTimeOffset Since);

/// <summary>How a coordinator can reach the person: KRR's details, the agreed channels, the NAV office and the municipal services.</summary>
public sealed record HowToReachView(
    string? Mobile,
    string? Email,
    string Krr,
    DateTimeOffset? KrrCheckedAt,
    ChannelProfileView Channels,
    string? NavOffice,
    IReadOnlyList<MunicipalContactRow> Municipal);

public sealed record WorklistRow(
    Guid EscalationId,
    string PersonKey,
    string State,
    int Level,
    DateTimeOffset RaisedAt,
    int DaysSinceContact,
    DateTimeOffset? LastContactAt,
    string Status,
    IReadOnlyList<ReachReasonView> Reasons,
    ChannelProfileView Channels,
    IReadOnlyList<CareTeamMemberView> CareTeam,
    int ContactAttempts,
    PersonIdentityView Person,
    HowToReachView Reach);

public sealed record SignalRow(string Signal, string Source, string SourceId, DateTimeOffset OccurredAt, string? Channel);

public sealed record ReachProfileView(
    string PersonKey,
    string Status,
    IReadOnlyList<ReachReasonView> Reasons,
    ChannelProfileView Channels,
    string Krr,
    DateTimeOffset? KrrCheckedAt,
    DateTimeOffset? LastContactAt,
    IReadOnlyList<CareTeamMemberView> CareTeam,
    IReadOnlyList<SignalRow> Signals);

public sealed record ContactAttemptRow(DateTimeOffset At, string Channel, string ChannelText, string Outcome, string? Note, string RecordedBy);

public sealed record EscalationDetailView(
    Guid EscalationId,
    string PersonKey,
    string State,
    int Level,
    DateTimeOffset RaisedAt,
    IReadOnlyList<ReachReasonView> Reasons,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    DateTimeOffset? ResolvedAt,
    string? Resolution,
    string? ResolutionText,
    string? ResolutionNote,
    IReadOnlyList<ContactAttemptRow> Attempts,
    PersonIdentityView Person,
    HowToReachView Reach);

public sealed record SharedCategoryView(string Category, string Label, string Basis, string Reference);

public sealed record WithheldCategoryView(string Category, string Label, string Reason);

public sealed record InboxUpdate(
    Guid UpdateId,
    string PersonKey,
    string Source,
    string Kind,
    DateTimeOffset OccurredAt,
    DateTimeOffset DeliveredAt,
    string Summary,
    IReadOnlyList<SharedCategoryView> Categories,
    WorkCapacity? WorkCapacity,
    IReadOnlyList<DiagnosisEntry>? Diagnoses,
    MedicalAssessment? Assessment,
    ContactStatus? Contact,
    CaseStatus? Case,
    string? FollowUpNote,
    IReadOnlyList<string>? ReachSignals,
    DateTimeOffset? AcknowledgedAt,
    string WebhookStatus,
    IReadOnlyList<TimelineLine>? Handover,
    IReadOnlyList<WithheldCategoryView>? Withheld);

public sealed record InboxPerson(string PersonKey, DateTimeOffset LatestAt, int Unacknowledged, IReadOnlyList<InboxUpdate> Updates);

public sealed record InboxPageView(int Page, int PageSize, int TotalPersons, IReadOnlyList<InboxPerson> Persons);

public sealed record TimelineLine(DateTimeOffset At, string Source, string Kind, string Summary, InboxUpdate? Update);

/// <param name="Name">The unit in bokmål, e.g. "Oslo kommune (0301)".</param>
public sealed record ConsentRecipientRow(string Party, string? Unit, string Name);

public sealed record ConsentRow(
    Guid ConsentId,
    string Purpose,
    IReadOnlyList<ConsentRecipientRow> Recipients,
    IReadOnlyList<string> Categories,
    DateOnly ValidFrom,
    DateOnly ValidUntil,
    string ObtainedVia,
    string? WitnessedBy,
    string RecordedBy,
    string RecordedByRole,
    string? RecordedByParty,
    bool ObtainedByRecipientStaff,
    DateTimeOffset RecordedAt,
    DateTimeOffset? WithdrawnAt,
    string? WithdrawnVia,
    string Status);

public sealed record DisclosureRow(
    DateTimeOffset DecidedAt, string Recipient, string RecipientId, string RecipientName, string Source, string Kind, string Category, string CategoryLabel,
    string Outcome, string BasisOrReason, DateTimeOffset? RetractedAt);

public sealed record ConsentGrantAnswer(Guid ConsentId, string PersonKey);

public sealed record AccessRequestRow(
    Guid RequestId,
    string PersonKey,
    string ReceivedVia,
    string? Note,
    string RegisteredBy,
    string? RegisteredByUnit,
    DateTimeOffset RegisteredAt,
    DateTimeOffset DueAt,
    string State,
    DateTimeOffset? HandedOverAt,
    string? HandedOverBy,
    string? HandedOverVia,
    IReadOnlyList<string> Missing,
    int Level);

public sealed record ChangeRequestRow(
    Guid RequestId,
    string PersonKey,
    string Kind,
    string Concerns,
    string Owner,
    string? OwnerUnit,
    string OwnerName,
    string ReceivedVia,
    string RegisteredBy,
    DateTimeOffset RegisteredAt,
    DateTimeOffset DueAt,
    int Level,
    string State,
    DateTimeOffset? ResolvedAt,
    string? ResolvedBy,
    string? ResolutionNote);

public sealed record OpenRightsRequestRow(Guid RequestId, string Kind, PersonIdentityView Person, DateTimeOffset RegisteredAt, DateTimeOffset DueAt, int Level, string? OwnerName);

public sealed record HeldFactView(string Label, string Value);

public sealed record HeldRecordView(string Heading, DateTimeOffset? At, IReadOnlyList<HeldFactView> Facts);

public sealed record HeldRecordsView(string Module, string Title, string About, IReadOnlyList<HeldRecordView> Records);

public sealed record AccessReportView(AccessRequestRow Request, PersonIdentityView Person, IReadOnlyList<HeldRecordsView> Sections);
