using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace IntegrationHub.Messaging.Persons;

/// <summary>
/// A person's name as NAV holds it from the population register, or as a GP or municipality wrote it:
/// <c>{"given": "Kari", "family": "Nordmann"}</c>. Staff see people by name, not by key.
/// </summary>
public sealed record PersonName(string Given, string Family)
{
    public const int MaxLength = 100;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Full => $"{Given} {Family}";

    /// <summary>
    /// Reads <c>person.name</c> when the sender gave one. Null without an error when it is absent;
    /// an error naming the field when it is there but not a usable name.
    /// </summary>
    public static PersonName? Read(JsonElement person, out string? error)
    {
        error = null;
        if (person.ValueKind != JsonValueKind.Object || !person.TryGetProperty("name", out var name) || name.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (name.ValueKind == JsonValueKind.Object && TryCreate(Text(name, "given"), Text(name, "family"), out var read))
        {
            return read;
        }

        error = Rule;
        return null;
    }

    public static string Rule { get; } = $"A name is {{ \"given\": \"...\", \"family\": \"...\" }}, each 1-{MaxLength} characters without control characters.";

    public static bool TryCreate(string? given, string? family, [NotNullWhen(true)] out PersonName? name)
    {
        name = Part(given) is { } g && Part(family) is { } f ? new PersonName(g, f) : null;
        return name is not null;
    }

    private static string? Text(JsonElement name, string property) =>
        name.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Part(string? text) =>
        text?.Trim() is { Length: > 0 and <= MaxLength } trimmed && !trimmed.Any(char.IsControl) ? trimmed : null;
}
