namespace IntegrationHub.Messaging.Auth;

/// <summary>The hub's roles (DESIGN.md). Each token carries one, with the party it acts for.</summary>
public static class HubRoles
{
    public const string GpSystem = "gp-system";
    public const string NavSystem = "nav-system";
    public const string MunicipalSystem = "municipal-system";
    public const string NavAdvisor = "nav-advisor";
    public const string MunicipalCaseworker = "municipal-caseworker";
    public const string Coordinator = "coordinator";
    public const string HubAdmin = "hub-admin";

    public static IReadOnlyList<string> All { get; } =
        [GpSystem, NavSystem, MunicipalSystem, NavAdvisor, MunicipalCaseworker, Coordinator, HubAdmin];

    /// <summary>People, as opposed to systems.</summary>
    public static IReadOnlyList<string> Staff { get; } = [NavAdvisor, MunicipalCaseworker, Coordinator, HubAdmin];
}
