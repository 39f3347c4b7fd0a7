using IntegrationHub.Audit;
using IntegrationHub.Coordination;
using IntegrationHub.GpCertificates;
using IntegrationHub.MunicipalFollowUp;
using IntegrationHub.NavCases;
using IntegrationHub.Pages;
using IntegrationHub.Routing;
using IntegrationHub.Messaging.Hosting;

namespace IntegrationHub.Hub.Startup;

/// <summary>Every module this binary can run. A new module adds one line here.</summary>
public static class ModuleCatalog
{
    public static IReadOnlyList<HubModule> All { get; } =
    [
        AuditModule.Descriptor,
        GpCertificatesModule.Descriptor,
        RoutingModule.Descriptor,
        NavCasesModule.Descriptor,
        MunicipalFollowUpModule.Descriptor,
        CoordinationModule.Descriptor,
        PagesModule.Descriptor,
    ];

    /// <summary>
    /// Parses <c>--modules a,b</c>. "all" (the default) selects every module; "none" runs only the
    /// host's own endpoints (person keys, dead letters, health), e.g. as an edge process.
    /// </summary>
    public static IReadOnlyList<HubModule> Select(string? selection)
    {
        if (string.IsNullOrWhiteSpace(selection) || selection.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return All;
        }

        if (selection.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var names = selection.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !All.Any(m => m.Name.Equals(n, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
        {
            // The consent registry became part of routing (one authority, one database).
            var hint = unknown.Contains("consent", StringComparer.OrdinalIgnoreCase) ? " The consent registry is part of the routing module." : string.Empty;
            throw new HubConfigurationException(
                $"Unknown module(s): {string.Join(", ", unknown)}. Known modules: {string.Join(", ", All.Select(m => m.Name))}.{hint}");
        }

        return All.Where(m => names.Contains(m.Name, StringComparer.OrdinalIgnoreCase)).ToList();
    }
}
