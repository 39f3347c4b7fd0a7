using System.Diagnostics.CodeAnalysis;

namespace IntegrationHub.Messaging.Validation;

/// <summary>A NAV unit number (NAV office) or a municipality number: both are 4 digits.</summary>
public static class UnitNumber
{
    public static bool IsValid([NotNullWhen(true)] string? text) => text is { Length: 4 } && text.All(char.IsAsciiDigit);
}
