using System.Globalization;
using System.Text.Json;
using IntegrationHub.Fhir.Identifiers;
using IntegrationHub.Messaging.Persons;
using IntegrationHub.Messaging.Validation;

namespace IntegrationHub.NavCases.Translation;

/// <summary>
/// Reads and validates one event of <c>POST /nav/events</c>. Every error names its field, as in
/// problem details; a value a caller sent is never echoed when it may be a fødselsnummer.
/// </summary>
public sealed class NavEventReader(PersonIdentifierRules identifierRules, TimeProvider time)
{
    public const int MaxIdLength = 64;

    public sealed record Result(Guid? EventId, NavEvent? Event, Dictionary<string, string[]> Errors);

    public Result Read(JsonElement element)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["Each event is a JSON object."];
            return new Result(null, null, errors);
        }

        var fields = new Fields(element, errors);
        Guid? eventId = null;
        if (fields.String("eventId") is { } idText)
        {
            if (Guid.TryParse(idText, out var id) && id != Guid.Empty)
            {
                eventId = id;
            }
            else
            {
                errors["eventId"] = ["Must be a UUID."];
            }
        }

        var type = fields.String("type");
        if (type is not null && !NavEventTypes.All.Contains(type))
        {
            errors["type"] = [$"Unknown event type. Known: {string.Join(", ", NavEventTypes.All)}."];
            type = null;
        }

        var occurredAt = fields.Instant("occurredAt");
        if (occurredAt is { } at && InstantText.IsInFuture(at, time))
        {
            errors["occurredAt"] = ["Lies in the future."];
        }

        NorwegianPersonIdentifier? person = null;
        if (!element.TryGetProperty("person", out var personElement) || personElement.ValueKind != JsonValueKind.Object)
        {
            errors["person"] = ["Required: { \"identifier\": \"<fødselsnummer or D-number>\" }."];
        }
        else if (!NorwegianPersonIdentifier.TryParse(
            personElement.TryGetProperty("identifier", out var identifier) && identifier.ValueKind == JsonValueKind.String ? identifier.GetString() : null,
            identifierRules,
            out person,
            out var personError))
        {
            errors["person.identifier"] = [personError];
        }

        var name = PersonName.Read(personElement, out var nameError);
        if (nameError is not null)
        {
            errors["person.name"] = [nameError];
        }

        var caseId = fields.Id("caseId");
        var navOffice = fields.String("navOffice");
        if (navOffice is not null && !UnitNumber.IsValid(navOffice))
        {
            errors["navOffice"] = ["A NAV unit number: 4 digits."];
        }

        var advisorRequired = type is NavEventTypes.CaseOpened or NavEventTypes.AdvisorAssigned;
        var advisor = NavIdent(fields, "advisor", advisorRequired);
        var ev = type is null ? null : ReadSpecific(type, fields, advisor);

        if (errors.Count > 0 || ev is null || eventId is null || occurredAt is null || person is null || caseId is null || navOffice is null)
        {
            return new Result(eventId, null, errors);
        }

        return new Result(eventId, ev with { EventId = eventId.Value, OccurredAt = occurredAt.Value, Person = person, CaseId = caseId, NavOffice = navOffice, Name = name }, errors);
    }

    private static NavEvent? ReadSpecific(string type, Fields fields, string? advisor)
    {
        // The common fields are filled in by the caller once all are known to be valid.
        var ev = new NavEvent(Guid.Empty, type, default, null!, string.Empty, string.Empty, advisor);
        return type switch
        {
            NavEventTypes.CaseOpened => ev with { CaseType = fields.Code("caseType", NavEventTypes.CaseTypes) },
            NavEventTypes.AdvisorAssigned => ev with { PreviousAdvisor = NavIdent(fields, "previousAdvisor", required: false) },
            NavEventTypes.CaseClosed => ev with { Outcome = fields.Code("outcome", NavEventTypes.CaseOutcomes) },
            NavEventTypes.MessageSent => ev with { MessageId = fields.Id("messageId"), Channel = fields.Code("channel", NavEventTypes.MessageChannels) },
            NavEventTypes.MessageRead or NavEventTypes.MessageAnswered => ev with { MessageId = fields.Id("messageId") },
            NavEventTypes.MeetingScheduled => ev with
            {
                MeetingId = fields.Id("meetingId"), MeetingAt = fields.Instant("at"), MeetingForm = fields.Code("form", NavEventTypes.MeetingForms),
            },
            NavEventTypes.MeetingAttended or NavEventTypes.MeetingMissed => ev with { MeetingId = fields.Id("meetingId") },
            NavEventTypes.EmploymentStatusCardMissed => Period(fields, ev),
            NavEventTypes.ContactRegistered => ev with
            {
                Channel = fields.Code("channel", NavEventTypes.ContactChannels),
                Direction = fields.Code("direction", NavEventTypes.Directions),
                Succeeded = fields.Boolean("succeeded"),
            },
            _ => null,
        };
    }

    private static NavEvent Period(Fields fields, NavEvent ev)
    {
        if (!fields.Element.TryGetProperty("period", out var period) || period.ValueKind != JsonValueKind.Object)
        {
            fields.Errors["period"] = ["Required: { \"start\": \"YYYY-MM-DD\", \"end\": \"YYYY-MM-DD\" }."];
            return ev;
        }

        var inner = new Fields(period, fields.Errors, "period.");
        var start = inner.Date("start");
        var end = inner.Date("end");
        if (start is not null && end is not null && end < start)
        {
            fields.Errors["period.end"] = ["Must not come before period.start."];
        }

        return ev with { PeriodStart = start, PeriodEnd = end };
    }

    private static string? NavIdent(Fields fields, string name, bool required)
    {
        var value = required ? fields.String(name) : fields.OptionalString(name);
        if (value is not null && (value.Length != 7 || !char.IsAsciiLetterUpper(value[0]) || !value[1..].All(char.IsAsciiDigit)))
        {
            fields.Errors[name] = ["A NAV ident: a capital letter and 6 digits, e.g. Z990123."];
            return null;
        }

        return value;
    }

    /// <summary>Reads fields of one JSON object and collects an error per bad field.</summary>
    private sealed class Fields(JsonElement element, Dictionary<string, string[]> errors, string prefix = "")
    {
        public JsonElement Element => element;

        public Dictionary<string, string[]> Errors => errors;

        public string? String(string name)
        {
            var value = OptionalString(name);
            if (value is null && !errors.ContainsKey(prefix + name))
            {
                errors[prefix + name] = ["Required."];
            }

            return value;
        }

        public string? OptionalString(string name)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            {
                errors[prefix + name] = ["Must be a non-empty string."];
                return null;
            }

            return value.GetString();
        }

        public string? Id(string name)
        {
            var value = String(name);
            if (value is not null && (value.Length > MaxIdLength || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')))
            {
                errors[prefix + name] = [$"At most {MaxIdLength} characters: letters, digits, '-', '_', '.', ':'."];
                return null;
            }

            return value;
        }

        public string? Code(string name, IReadOnlySet<string> allowed)
        {
            var value = String(name);
            if (value is not null && !allowed.Contains(value))
            {
                errors[prefix + name] = [$"One of: {string.Join(", ", allowed)}."];
                return null;
            }

            return value;
        }

        public DateTimeOffset? Instant(string name)
        {
            var value = String(name);
            if (value is null)
            {
                return null;
            }

            if (!InstantText.TryParse(value, out var at))
            {
                errors[prefix + name] = [InstantText.Expected];
                return null;
            }

            return at;
        }

        public DateOnly? Date(string name)
        {
            var value = String(name);
            if (value is not null && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            if (value is not null)
            {
                errors[prefix + name] = ["A date: YYYY-MM-DD."];
            }

            return null;
        }

        public bool? Boolean(string name)
        {
            if (element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return value.GetBoolean();
            }

            errors[prefix + name] = ["Required: true or false."];
            return null;
        }
    }
}
