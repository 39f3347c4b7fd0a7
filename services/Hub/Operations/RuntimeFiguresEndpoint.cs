using System.Diagnostics;
using System.Runtime;
using IntegrationHub.Messaging.Auth;

namespace IntegrationHub.Hub.Operations;

/// <summary>
/// <c>GET /admin/runtime</c>: this process's cumulative CPU time, allocation and garbage
/// collections. An operator (and the pipeline benchmark) reads it twice and divides the
/// difference by the work done between the reads.
/// </summary>
public static class RuntimeFiguresEndpoint
{
    /// <param name="Collections">Collections so far of generation 0, 1 and 2.</param>
    public sealed record RuntimeFigures(
        int ProcessId,
        double ProcessorTimeMs,
        long AllocatedBytes,
        IReadOnlyList<int> Collections,
        double GcPauseMs,
        bool ServerGc,
        long WorkingSetBytes,
        int ThreadPoolThreads);

    public static IEndpointRouteBuilder MapRuntimeFigures(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/admin/runtime", () =>
            {
                using var process = Process.GetCurrentProcess();
                return TypedResults.Ok(new RuntimeFigures(
                    Environment.ProcessId,
                    process.TotalProcessorTime.TotalMilliseconds,
                    GC.GetTotalAllocatedBytes(precise: true),
                    [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)],
                    GC.GetTotalPauseDuration().TotalMilliseconds,
                    GCSettings.IsServerGC,
                    process.WorkingSet64,
                    ThreadPool.ThreadCount));
            })
            .RequireHubRoles(HubRoles.HubAdmin)
            .WithTags("Admin")
            .WithName("RuntimeFigures")
            .WithSummary("This process's CPU time, bytes allocated and garbage collections so far; no person data.");
        return endpoints;
    }
}
