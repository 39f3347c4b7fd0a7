using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using IntegrationHub.TestSupport;

namespace IntegrationHub.Benchmarks.Pipeline;

/// <summary>
/// <c>bash infra/benchmark.sh</c>: GP certificates POSTed by concurrent clients, validated, stored,
/// routed by consent and delivered to the NAV and the municipal inbox; over RabbitMQ with the
/// modules in two processes, and embedded. Reported against raw RabbitMQ.Client in the same run.
/// </summary>
public static class PipelineBenchmark
{
    private sealed record Settings(int Persons, int Certificates, int Clients, int Warmup, int LatencySeconds);

    public static async Task<int> RunAsync(string[] args)
    {
        var settings = new Settings(
            Option(args, "--persons", 200), Option(args, "--certificates", 3000), Option(args, "--clients", 32),
            Option(args, "--warmup", 300), Option(args, "--latency-seconds", 20));
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
        Line($"Settings: {settings.Persons} people followed by NAV and the municipality (with consent), {settings.Certificates} certificates " +
             $"of {payloadBytes} bytes by {settings.Clients} concurrent HTTP clients (after {settings.Warmup} to warm up); latency at half " +
             $"the saturation rate for {settings.LatencySeconds} s, open loop. Release build, hub processes with " +
             (hubSettings.Count == 0 ? "default settings." : $"{string.Join(", ", hubSettings.Select(s => $"{s.Key}={s.Value}"))}."));
        Line(string.Empty);

        var baselineBefore = await RabbitBaseline.RunAsync(broker, settings.Certificates, payloadBytes, settings.Clients);
        Console.WriteLine($"baseline: {baselineBefore.PerSecond:0} certificates/s");

        var results = new List<(string Mode, LoadResult Saturation, LoadResult Paced, IReadOnlyList<(string Name, long Peak)> Memory, (double Transactions, double Messages) PerCertificate)>();
        await using (var split = await HubDeployment.StartSplitAsync(broker, hubSettings))
        {
            results.Add(await MeasureAsync(split, identifiers, settings));
        }

        var baselineAfter = await RabbitBaseline.RunAsync(broker, settings.Certificates, payloadBytes, settings.Clients);
        await using (var embedded = await HubDeployment.StartEmbeddedAsync(hubSettings))
        {
            results.Add(await MeasureAsync(embedded, identifiers, settings));
        }

        var baseline = (baselineBefore.PerSecond + baselineAfter.PerSecond) / 2;
        Line($"Baseline, raw RabbitMQ.Client (persistent, confirms, quorum queues, 2 hops, 1 message in and 2 out): " +
             $"{baselineBefore.PerSecond:0} and {baselineAfter.PerSecond:0} certificates/s (before and after the hub run), mean {baseline:0}.");
        Line(string.Empty);
        Line("| mode | saturation (certificates/s) | ratio to baseline | HTTP intake alone (/s) | paced at (/s) | p50 ms | p95 ms | p99 ms | rejected | peak working set |");
        Line("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var (mode, saturation, paced, memory, _) in results)
        {
            Line(string.Create(CultureInfo.InvariantCulture,
                $"| {mode} | {saturation.PerSecond:0} | {saturation.PerSecond / baseline:0.00} | {saturation.Certificates / saturation.PostingTook.TotalSeconds:0} | " +
                $"{paced.Certificates / (double)settings.LatencySeconds:0} | {paced.Percentile(50):0} | {paced.Percentile(95):0} | {paced.Percentile(99):0} | " +
                $"{saturation.Rejected + paced.Rejected} | {string.Join(", ", memory.Select(m => $"{m.Name} {m.Peak / (1 << 20)} MiB"))} |"));
        }

        Line(string.Empty);
        Line("Latency: from sending the POST to the inbox row being committed, per row (each certificate has a NAV and a municipal row).");
        Line(string.Empty);
        Line("Work per certificate, counted in the module databases over the whole load (warm-up, saturation and paced): consumer transactions " +
             "are inbox rows (one per message a consumer committed), outbox messages are those sent or published through an outbox (an event " +
             "counts once however many queues it reaches). Messages published straight to the bus, not through an outbox, are not counted.");
        Line(string.Empty);
        Line("| mode | consumer transactions | outbox messages |");
        Line("| --- | --- | --- |");
        foreach (var (mode, _, _, _, work) in results)
        {
            Line(string.Create(CultureInfo.InvariantCulture, $"| {mode} | {work.Transactions:0.00} | {work.Messages:0.00} |"));
        }
        var file = Path.Combine(RepositoryRoot.Path, "TestResults", "pipeline-benchmark.md");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, report.ToString());
        Console.WriteLine($"report: {file}");
        return 0;
    }

    private static async Task<(string, LoadResult, LoadResult, IReadOnlyList<(string, long)>, (double, double))> MeasureAsync(
        HubDeployment hub, IReadOnlyList<string> identifiers, Settings settings)
    {
        Console.WriteLine($"{hub.Description}: setting up {identifiers.Count} people");
        await hub.FollowAsync(identifiers);
        var before = await hub.WorkDoneAsync();
        var load = new CertificateLoad(hub, identifiers);
        await load.SaturateAsync(load.Prepare(settings.Warmup), settings.Clients);
        var saturation = await load.SaturateAsync(load.Prepare(settings.Certificates), settings.Clients);
        Console.WriteLine($"{hub.Description}: saturation {saturation.PerSecond:0} certificates/s");
        var rate = saturation.PerSecond / 2;
        var paced = await load.PaceAsync(load.Prepare((int)(rate * settings.LatencySeconds)), rate);
        Console.WriteLine($"{hub.Description}: at {rate:0}/s p50 {paced.Percentile(50):0} ms, p99 {paced.Percentile(99):0} ms");
        var memory = hub.Processes.Select(p => (p.Name, Statistics.PeakWorkingSetBytes(p.ProcessId))).ToList();
        // Every certificate is in both inboxes by now (the load waits for its rows); what it caused is committed with them.
        var after = await hub.WorkDoneAsync();
        var certificates = (double)(settings.Warmup + saturation.Certificates + paced.Certificates);
        var work = ((after.ConsumerTransactions - before.ConsumerTransactions) / certificates, (after.OutboxMessages - before.OutboxMessages) / certificates);
        return (hub.Description, saturation, paced, memory, work);
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
