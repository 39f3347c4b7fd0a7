using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Benchmarks.Pipeline;

/// <summary>One prepared certificate: its issue instant tells its inbox rows apart from every other's.</summary>
public sealed record PreparedCertificate(int Index, DateTimeOffset IssuedAt, byte[] Body);

/// <summary>What one load run measured.</summary>
/// <param name="Hops">Per inbox row, milliseconds from the POST to intake's commit, from there to routing's decision, and from there to the inbox row.</param>
/// <param name="ByMinute">Per minute of the run (by when each POST was sent): rows stored and their p99 latency, to see whether a long run stays flat.</param>
/// <param name="WorstSeconds">The seconds whose POSTs waited longest for their rows, by clock time, to set beside the processes' logs.</param>
public sealed record LoadResult(
    int Certificates, TimeSpan PostingTook, TimeSpan PipelineTook, IReadOnlyList<double> LatenciesMs, int Rejected,
    IReadOnlyList<(double Intake, double Routing, double Delivery)>? Hops = null, IReadOnlyList<(int Rows, double P99)>? ByMinute = null,
    IReadOnlyList<(DateTimeOffset Second, double MaxMs)>? WorstSeconds = null)
{
    public double PerSecond => Certificates / PipelineTook.TotalSeconds;

    public double Percentile(double p) => Statistics.Percentile(LatenciesMs, p);
}

/// <summary>GP systems POSTing certificates over HTTP: as fast as they can (closed loop) or at a fixed rate (open loop).</summary>
/// <param name="untilStored">Wait until both inbox rows of each certificate are stored; otherwise an answered POST is the end.</param>
public sealed class CertificateLoad(HubDeployment hub, IReadOnlyList<string> identifiers, bool untilStored = true)
{
    private static readonly MediaTypeHeaderValue FhirJson = new("application/fhir+json");
    // Whole seconds: the certificate carries its issue instant to the second, and the inbox row keeps it.
    private DateTimeOffset _nextIssue = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-20).ToUnixTimeSeconds());
    private int _nextIndex;

    /// <summary>Certificates for the people followed, round robin, each issued one second after the last.</summary>
    public IReadOnlyList<PreparedCertificate> Prepare(int count)
    {
        var prepared = new List<PreparedCertificate>(count);
        for (var i = 0; i < count; i++)
        {
            var issuedAt = _nextIssue = _nextIssue.AddSeconds(1);
            var index = _nextIndex++;
            var body = CertificateExamples.NewFor(identifiers[index % identifiers.Count], issuedAt);
            prepared.Add(new PreparedCertificate(index, issuedAt, System.Text.Encoding.UTF8.GetBytes(body)));
        }

        return prepared;
    }

    /// <summary>Closed loop: <paramref name="clients"/> clients, each sending the next certificate as soon as its last was answered.</summary>
    public async Task<LoadResult> SaturateAsync(IReadOnlyList<PreparedCertificate> certificates, int clients)
    {
        using var http = Client(clients);
        var sentAt = new ConcurrentDictionary<DateTimeOffset, DateTimeOffset>();
        var rejected = 0;
        var next = -1;
        var posting = Stopwatch.StartNew();
        var start = DateTimeOffset.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < certificates.Count)
            {
                if (!await PostAsync(http, certificates[i], sentAt))
                {
                    Interlocked.Increment(ref rejected);
                }
            }
        }));
        var postingTook = posting.Elapsed;
        return await CollectAsync(certificates, sentAt, start, postingTook, rejected);
    }

    /// <summary>Open loop: certificates start at a fixed rate whether or not earlier ones were answered, as independent GP systems do.</summary>
    public async Task<LoadResult> PaceAsync(IReadOnlyList<PreparedCertificate> certificates, double perSecond)
    {
        using var http = Client(512);
        var sentAt = new ConcurrentDictionary<DateTimeOffset, DateTimeOffset>();
        var rejected = 0;
        var inFlight = new List<Task>(certificates.Count);
        var posting = Stopwatch.StartNew();
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i < certificates.Count; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            var wait = due - posting.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var certificate = certificates[i];
            inFlight.Add(Task.Run(async () =>
            {
                if (!await PostAsync(http, certificate, sentAt))
                {
                    Interlocked.Increment(ref rejected);
                }
            }));
        }

        await Task.WhenAll(inFlight);
        return await CollectAsync(certificates, sentAt, start, posting.Elapsed, rejected);
    }

    private HttpClient Client(int connections) => new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = hub.IntakeAddress,
        Timeout = TimeSpan.FromMinutes(2),
    };

    private async Task<bool> PostAsync(HttpClient http, PreparedCertificate certificate, ConcurrentDictionary<DateTimeOffset, DateTimeOffset> sentAt)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/fhir/Bundle", UriKind.Relative))
        {
            Content = new ByteArrayContent(certificate.Body) { Headers = { ContentType = FhirJson } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GpToken);
        sentAt[certificate.IssuedAt] = DateTimeOffset.UtcNow;
        using var response = await http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.Created;
    }

    private string GpToken => _gpToken ??= hub.Token(HubRoles.GpSystem, "90128");

    private string? _gpToken;

    private long _stored;

    /// <summary>Waits for both inbox rows of every certificate, then reads the latency of each row: POST sent to row stored.</summary>
    private async Task<LoadResult> CollectAsync(
        IReadOnlyList<PreparedCertificate> certificates, ConcurrentDictionary<DateTimeOffset, DateTimeOffset> sentAt, DateTimeOffset start, TimeSpan postingTook, int rejected)
    {
        if (!untilStored)
        {
            return new LoadResult(certificates.Count, postingTook, postingTook, [], rejected);
        }

        // Counting is cheap; reading every row each time would cost the machine the hub runs on.
        var stored = await Eventually.WaitForAsync(
            hub.InboxCountAsync,
            count => count >= _stored + (2 * (certificates.Count - rejected)),
            $"{2 * certificates.Count} inbox rows",
            TimeSpan.FromMinutes(10));
        _stored = stored;
        var expected = certificates.Select(c => c.IssuedAt).ToHashSet();
        var rows = (await hub.InboxRowsAsync()).Where(r => expected.Contains(r.OccurredAt)).ToList();
        var latencies = rows.Select(r => (r.StoredAt - sentAt[r.OccurredAt]).TotalMilliseconds).ToList();
        var hopTimes = await hub.HopTimesAsync();
        var hops = rows.Where(r => hopTimes.ContainsKey(r.Id)).Select(r =>
        {
            var (received, decided) = hopTimes[r.Id];
            var sent = sentAt[r.OccurredAt];
            return ((received - sent).TotalMilliseconds, (decided - received).TotalMilliseconds, (r.StoredAt - decided).TotalMilliseconds);
        }).ToList();
        var byMinute = rows.GroupBy(r => (int)((sentAt[r.OccurredAt] - start).TotalMinutes)).OrderBy(g => g.Key)
            .Select(g => (g.Count(), Statistics.Percentile([.. g.Select(r => (r.StoredAt - sentAt[r.OccurredAt]).TotalMilliseconds)], 99)))
            .ToList();
        var worstSeconds = rows
            .GroupBy(r => DateTimeOffset.FromUnixTimeSeconds(sentAt[r.OccurredAt].ToUnixTimeSeconds()))
            .Select(g => (g.Key, g.Max(r => (r.StoredAt - sentAt[r.OccurredAt]).TotalMilliseconds)))
            .OrderByDescending(s => s.Item2).Take(5).ToList();
        var last = rows.Max(r => r.StoredAt);
        return new LoadResult(certificates.Count, postingTook, last - start, latencies, rejected, hops, byMinute, worstSeconds);
    }
}

public static class Statistics
{
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    /// <summary>The process's peak resident set (VmHWM), the operating system's own high-water mark.</summary>
    public static long PeakWorkingSetBytes(int processId)
    {
        var status = File.ReadAllLines($"/proc/{processId}/status");
        var line = status.FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
