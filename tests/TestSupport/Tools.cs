using System.Diagnostics;

namespace IntegrationHub.TestSupport;

/// <summary>The command-line tools the test support drives (rabbitmqctl, pg_ctl, kill), each run to its end.</summary>
internal static class Tools
{
    /// <summary>Runs a command to its end (90 s at most) and answers whether it succeeded and what it printed on both streams.</summary>
    public static async Task<(bool Succeeded, string Output)> TryRunAsync(
        string command, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        await Task.WhenAll(output, error);
        return (process.ExitCode == 0, await output + await error);
    }

    /// <summary>Runs a command to its end and answers what it printed; a failure is an exception with that output.</summary>
    public static async Task<string> RunAsync(string command, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var (succeeded, output) = await TryRunAsync(command, arguments, environment);
        return succeeded ? output : throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed: {output}");
    }
}
