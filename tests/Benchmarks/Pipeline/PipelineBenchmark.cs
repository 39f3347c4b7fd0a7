using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Benchmarks.Pipeline;

/// <summary>
/// <c>bash infra/benchmark.sh</c>: GP certificates POSTed by concurrent clients, validated, stored,
/// routed by consent and delivered to the NAV and the municipal inbox; over RabbitMQ with the
/// modules in two processes, and embedded. Reported against raw RabbitMQ.Client in the same run.
/// </summary>
public static partial class PipelineBenchmark
{
    /// <param name="Warmup">Certificates per warm-up round; rounds go on until <paramref name="WarmupSeconds"/> have passed.</param>
    /// <param name="History">Certificates per person sent before the warm-up, so the measured ones land on people and tables with a past.</param>
    private sealed record Settings(int Persons, int Certificates, int Clients, int Warmup, int WarmupSeconds, int LatencySeconds, IReadOnlyList<string> Modes, int PacedRate, int History);

    /// <summary>What one process spent on the certificates of the saturation run.</summary>
    private sealed record ProcessCost(string Process, double CpuMs, double AllocatedKb, IReadOnlyList<double> CollectionsPerThousand, bool ServerGc);

    private sealed record ModeResult(
        string Mode, LoadResult Saturation, LoadResult? Paced, IReadOnlyList<(string Name, long Peak)> Memory, (double Transactions, double Messages) PerCertificate, IReadOnlyList<ProcessCost> Costs,
        IReadOnlyList<(string Name, long Before, long After)>? PacedWorkingSet = null, ((long Inbox, long Outbox) Before, (long Inbox, long Outbox) After)? PacedTableRows = null,
        IReadOnlyList<Cleanup>? Cleanups = null);

    /// <summary>The outbox and inbox cleanups of one module database over the run, from its process's log.</summary>
    private sealed record Cleanup(string Process, string Context, int Runs, long Rows, double LongestMs, double LongestTurnMs);

    [GeneratedRegex(@"cleanup of (?<context>\w+) deleted (?<rows>\d+) rows in (?<ms>\d+) ms; its longest write turn (?<turn>\d+) ms")]
    private static partial Regex CleanupLine();

    public static async Task<int> RunAsync(string[] args)
    {
        var settings = new Settings(
            Option(args, "--persons", 200), Option(args, "--certificates", 3000), Option(args, "--clients", 32),
            Option(args, "--warmup", 500), Option(args, "--warmup-seconds", 60), Option(args, "--latency-seconds", 20),
            (Text(args, "--modes") ?? "intake,split,split-postgres,embedded").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            // 0: half of each mode's saturation rate. A fixed rate compares latency across settings that saturate apart.
            Option(args, "--paced-rate", 0),
            Option(args, "--history", 0));
        var hubSettings = new Dictionary<string, string>();
        for (var i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--hub" && args[i + 1].Split('=', 2) is [var key, var value])
            {
                hubSettings[key] = value;
            }
        }

        var broker = await TestBroker.CreateVirtualHostAsync("pipeline");
        var identifiers = TestPersons.Synthetic(settings.Persons, seed: 7);
        var payloadBytes = CertificateExamples.LegeerklaeringBytes.Length;
        var report = new StringBuilder();
        void Line(string text)
        {
            Console.WriteLine(text);
            report.AppendLine(text);
        }

        Line($"# Pipeline benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Line(string.Empty);
        Line($"Machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
             $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB.");
        Line($"Settings: {settings.Persons} people followed by NAV and the municipality (with consent)" +
             (settings.History > 0 ? $", each with {settings.History} certificates of history sent before the warm-up" : string.Empty) + $", {settings.Certificates} certificates " +
             $"of {payloadBytes} bytes by {settings.Clients} concurrent HTTP clients (after at least {settings.WarmupSeconds} s of the same load to warm up: the JIT compiler's tiers take that long, and without it the figures varied by half run to run); latency at " +
             (settings.PacedRate > 0 ? $"{settings.PacedRate} certificates/s" : "half the saturation rate") + $" for {settings.LatencySeconds} s, open loop. Release build, hub processes with " +
             (hubSettings.Count == 0 ? "default settings." : $"{string.Join(", ", hubSettings.Select(s => $"{s.Key}={s.Value}"))}."));
        Line(string.Empty);

        var baselineBefore = await RabbitBaseline.RunAsync(broker, settings.Certificates, payloadBytes, settings.Clients);
        Console.WriteLine($"baseline: {baselineBefore.PerSecond:0} certificates/s");

        // The outbox's cleanup logs each run at Information; the report sums them up.
        hubSettings.TryAdd("Logging__LogLevel__IntegrationHub.Messaging.Outbox", "Information");
        var results = new List<ModeResult>();
        foreach (var mode in settings.Modes)
        {
            await using var hub = mode switch
            {
                "intake" => await HubDeployment.StartIntakeAloneAsync(hubSettings),
                "split" => await HubDeployment.StartSplitAsync(broker, hubSettings),
                "split-postgres" => await HubDeployment.StartSplitAsync(broker, hubSettings, postgres: true),
                "scaled-postgres" => await HubDeployment.StartScaledOutAsync(broker, instances: 2, hubSettings),
                "embedded" => await HubDeployment.StartEmbeddedAsync(hubSettings),
                _ => throw new ArgumentException($"Unknown mode {mode}: intake, split, split-postgres, scaled-postgres or embedded."),
            };
            results.Add(await MeasureAsync(hub, identifiers, settings, pipeline: mode != "intake"));
            // Kept beside the report, to read what each process did in the slowest seconds.
            Directory.CreateDirectory(Path.Combine(RepositoryRoot.Path, "TestResults"));
            foreach (var member in hub.Members)
            {
                await File.WriteAllTextAsync(Path.Combine(RepositoryRoot.Path, "TestResults", $"pipeline-{mode}-{member.Name}.log"), member.Process.Output);
            }
        }

        var baselineAfter = await RabbitBaseline.RunAsync(broker, settings.Certificates, payloadBytes, settings.Clients);
        var baseline = (baselineBefore.PerSecond + baselineAfter.PerSecond) / 2;
        Line($"Baseline, raw RabbitMQ.Client (persistent, confirms, quorum queues, 2 hops, 1 message in and 2 out): " +
             $"{baselineBefore.PerSecond:0} and {baselineAfter.PerSecond:0} certificates/s (before and after the hub runs), mean {baseline:0}.");
        Line(string.Empty);
        Line("| mode | saturation (certificates/s) | ratio to baseline | HTTP intake alone (/s) | paced at (/s) | p50 ms | p95 ms | p99 ms | rejected | peak working set |");
        Line("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var result in results)
        {
            var (saturation, paced) = (result.Saturation, result.Paced);
            var latency = paced is null
                ? "- | - | - | -"
                : string.Create(CultureInfo.InvariantCulture, $"{paced.Certificates / (double)settings.LatencySeconds:0} | {paced.Percentile(50):0} | {paced.Percentile(95):0} | {paced.Percentile(99):0}");
            Line(string.Create(CultureInfo.InvariantCulture,
                $"| {result.Mode} | {saturation.PerSecond:0} | {saturation.PerSecond / baseline:0.00} | {saturation.Certificates / saturation.PostingTook.TotalSeconds:0} | {latency} | " +
                $"{saturation.Rejected + (paced?.Rejected ?? 0)} | {string.Join(", ", result.Memory.Select(m => $"{m.Name} {m.Peak / (1 << 20)} MiB"))} |"));
        }

        Line(string.Empty);
        Line("Latency: from sending the POST to the inbox row being committed, per row (each certificate has a NAV and a municipal row). " +
             "HTTP intake alone ends at the answer to the POST, and the saturation rate is the rate of answers.");
        Line(string.Empty);
        Line("Where the paced latency goes, p50 / p99 ms of each hop: POST sent to the certificate committed by intake, to routing's decision, to the inbox row.");
        Line(string.Empty);
        Line("| mode | to intake's commit | to routing's decision | to the inbox row |");
        Line("| --- | --- | --- | --- |");
        foreach (var result in results.Where(r => r.Paced?.Hops is { Count: > 0 }))
        {
            var hops = result.Paced!.Hops!;
            string Hop(Func<(double Intake, double Routing, double Delivery), double> hop) => string.Create(
                CultureInfo.InvariantCulture, $"{Statistics.Percentile([.. hops.Select(hop)], 50):0} / {Statistics.Percentile([.. hops.Select(hop)], 99):0}");
            Line($"| {result.Mode} | {Hop(h => h.Intake)} | {Hop(h => h.Routing)} | {Hop(h => h.Delivery)} |");
        }

        foreach (var result in results.Where(r => r.Paced?.ByMinute is { Count: >= 3 }))
        {
            Line(string.Empty);
            Line($"{result.Mode}, paced run minute by minute (rows stored, p99 ms): " +
                 string.Join(", ", result.Paced!.ByMinute!.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Rows} rows p99 {m.P99:0}"))) +
                 "; working set at its start and end: " +
                 string.Join(", ", (result.PacedWorkingSet ?? []).Select(w => $"{w.Name} {w.Before / (1 << 20)} → {w.After / (1 << 20)} MiB")) +
                 (result.PacedTableRows is { } rows
                     ? $"; rows in all inbox tables {rows.Before.Inbox} → {rows.After.Inbox}, in all outbox tables {rows.Before.Outbox} → {rows.After.Outbox}"
                     : string.Empty) + ".");
            Line("Its slowest seconds, by the clock time of the POSTs (UTC), with the longest wait for a row: " +
                 string.Join(", ", result.Paced.WorstSeconds!.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Second:HH:mm:ss} {w.MaxMs:0} ms"))) + ".");
        }

        foreach (var result in results.Where(r => r.Cleanups is { Count: > 0 }))
        {
            Line(string.Empty);
            Line($"{result.Mode}, outbox and inbox cleanups (from each process's log): " + string.Join(", ", result.Cleanups!.Select(c => string.Create(
                CultureInfo.InvariantCulture, $"{c.Process} {c.Context} {c.Runs} runs, {c.Rows} rows, longest run {c.LongestMs:0} ms, longest write turn {c.LongestTurnMs:0} ms"))) + ".");
        }

        Line(string.Empty);
        Line("Cost per certificate in each hub process over the saturation run, from its own counters (`GET /admin/runtime`): CPU time " +
             "(user and system), bytes allocated, and garbage collections per 1,000 certificates.");
        Line(string.Empty);
        Line("| mode | process | CPU ms per certificate | KB allocated per certificate | GC gen 0 / 1 / 2 per 1,000 | GC mode |");
        Line("| --- | --- | --- | --- | --- | --- |");
        foreach (var result in results)
        {
            foreach (var cost in result.Costs)
            {
                Line(string.Create(CultureInfo.InvariantCulture,
                    $"| {result.Mode} | {cost.Process} | {cost.CpuMs:0.00} | {cost.AllocatedKb:0} | {string.Join(" / ", cost.CollectionsPerThousand.Select(c => c.ToString("0.0", CultureInfo.InvariantCulture)))} | {(cost.ServerGc ? "server" : "workstation")} |"));
            }
        }

        Line(string.Empty);
        Line("Work per certificate, counted in the module databases over the whole load (warm-up, saturation and paced): consumer transactions " +
             "are inbox rows (one per message a consumer committed), outbox messages are those sent or published through an outbox (an event " +
             "counts once however many queues it reaches). Messages published straight to the bus, not through an outbox, are not counted.");
        Line(string.Empty);
        Line("| mode | consumer transactions | outbox messages |");
        Line("| --- | --- | --- |");
        foreach (var result in results)
        {
            // Cleanups lists only runs that deleted rows.
            Line(result.Cleanups is { Count: > 0 }
                ? $"| {result.Mode} | not counted: the cleanup deleted rows during the run | |"
                : string.Create(CultureInfo.InvariantCulture, $"| {result.Mode} | {result.PerCertificate.Transactions:0.00} | {result.PerCertificate.Messages:0.00} |"));
        }

        var file = Path.Combine(RepositoryRoot.Path, "TestResults", "pipeline-benchmark.md");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, report.ToString());
        Console.WriteLine($"report: {file}");
        return 0;
    }

    private static async Task<ModeResult> MeasureAsync(HubDeployment hub, IReadOnlyList<string> identifiers, Settings settings, bool pipeline)
    {
        if (pipeline)
        {
            Console.WriteLine($"{hub.Description}: setting up {identifiers.Count} people");
            await hub.FollowAsync(identifiers);
        }

        var load = new CertificateLoad(hub, identifiers, untilStored: pipeline);
        for (var sent = 0; sent < settings.History * identifiers.Count; sent += HistoryChunk)
        {
            await load.SaturateAsync(load.Prepare(Math.Min(HistoryChunk, (settings.History * identifiers.Count) - sent)), settings.Clients);
            Console.WriteLine($"{hub.Description}: history {Math.Min(sent + HistoryChunk, settings.History * identifiers.Count)} of {settings.History * identifiers.Count} certificates");
        }

        var before = await hub.WorkDoneAsync();
        var warmedUp = 0;
        var warmup = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            warmedUp += (await load.SaturateAsync(load.Prepare(settings.Warmup), settings.Clients)).Certificates;
        }
        while (warmup.Elapsed < TimeSpan.FromSeconds(settings.WarmupSeconds));

        var figuresBefore = await hub.RuntimeFiguresAsync();
        var saturation = await load.SaturateAsync(load.Prepare(settings.Certificates), settings.Clients);
        var figuresAfter = await hub.RuntimeFiguresAsync();
        Console.WriteLine($"{hub.Description}: saturation {saturation.PerSecond:0} certificates/s");
        var costs = figuresBefore.Zip(figuresAfter, (b, a) => new ProcessCost(
            b.Name,
            (a.Figures.ProcessorTimeMs - b.Figures.ProcessorTimeMs) / saturation.Certificates,
            (a.Figures.AllocatedBytes - b.Figures.AllocatedBytes) / 1024.0 / saturation.Certificates,
            [.. a.Figures.Collections.Zip(b.Figures.Collections, (x, y) => (x - y) * 1000.0 / saturation.Certificates)],
            a.Figures.ServerGc)).ToList();
        foreach (var cost in costs)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{hub.Description}: {cost.Process} {cost.CpuMs:0.00} CPU ms and {cost.AllocatedKb:0} KB per certificate"));
        }

        LoadResult? paced = null;
        List<(string, long, long)>? pacedWorkingSet = null;
        ((long, long), (long, long))? pacedTableRows = null;
        if (pipeline)
        {
            var rate = settings.PacedRate > 0 ? settings.PacedRate : saturation.PerSecond / 2;
            var beforePaced = await hub.RuntimeFiguresAsync();
            var rowsBefore = await hub.TableRowsAsync();
            paced = await load.PaceAsync(load.Prepare((int)(rate * settings.LatencySeconds)), rate);
            var afterPaced = await hub.RuntimeFiguresAsync();
            pacedTableRows = (rowsBefore, await hub.TableRowsAsync());
            pacedWorkingSet = [.. beforePaced.Zip(afterPaced, (b, a) => (b.Name, b.Figures.WorkingSetBytes, a.Figures.WorkingSetBytes))];
            Console.WriteLine($"{hub.Description}: at {rate:0}/s p50 {paced.Percentile(50):0} ms, p99 {paced.Percentile(99):0} ms");
        }

        var memory = hub.Processes.Select(p => (p.Name, Statistics.PeakWorkingSetBytes(p.ProcessId))).ToList();
        // Every certificate is in both inboxes by now (the load waits for its rows); what it caused is committed with them.
        var after = await hub.WorkDoneAsync();
        var certificates = (double)(warmedUp + saturation.Certificates + (paced?.Certificates ?? 0));
        var work = ((after.ConsumerTransactions - before.ConsumerTransactions) / certificates, (after.OutboxMessages - before.OutboxMessages) / certificates);
        var cleanups = hub.Members
            .SelectMany(member => CleanupLine().Matches(member.Process.Output).Select(m => (Process: member.Name, Match: m)))
            .GroupBy(c => (c.Process, Context: c.Match.Groups["context"].Value))
            .Select(g => new Cleanup(
                g.Key.Process,
                g.Key.Context,
                g.Count(),
                g.Sum(c => long.Parse(c.Match.Groups["rows"].Value, CultureInfo.InvariantCulture)),
                g.Max(c => double.Parse(c.Match.Groups["ms"].Value, CultureInfo.InvariantCulture)),
                g.Max(c => double.Parse(c.Match.Groups["turn"].Value, CultureInfo.InvariantCulture))))
            .Where(c => c.Rows > 0)
            .ToList();
        return new ModeResult(hub.Description, saturation, paced, memory, work, costs, pacedWorkingSet, pacedTableRows, cleanups);
    }

    // Prepared certificates are held in memory until sent: history goes in chunks.
    private const int HistoryChunk = 5000;

    private static string? Text(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
