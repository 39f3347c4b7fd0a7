using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IntegrationHub.TestSupport;

/// <summary>The hub binary as a real operating-system process, as an operator starts it.</summary>
public sealed class HubProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _errors = new();

    private HubProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => Append(_output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(_errors, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public string Output => Read(_output);

    public string Errors => Read(_errors);

    public bool HasExited => _process.HasExited;

    public int ProcessId => _process.Id;

    public static string HubAssembly
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                ? "Release"
                : "Debug";
            var path = Path.Combine(RepositoryRoot.Path, "services", "Hub", "bin", configuration, "net10.0", "IntegrationHub.Hub.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build the hub first.", path);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static HubProcess Start(IDictionary<string, string> environment, params string[] arguments)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.Path,
        };
        start.ArgumentList.Add(HubAssembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new HubProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>Runs the hub to completion (for start-up errors) and answers its exit code and output.</summary>
    public static async Task<(int ExitCode, string StandardError, string StandardOutput)> RunToExitAsync(
        IDictionary<string, string> environment, params string[] arguments)
    {
        await using var hub = Start(environment, arguments);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await hub._process.WaitForExitAsync(timeout.Token);
        // The parameterless wait also drains the redirected output.
        hub._process.WaitForExit();
        return (hub._process.ExitCode, hub.Errors, hub.Output);
    }

    public async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.WaitForAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The hub exited with {_process.ExitCode}: {Errors} {Output}");
                }

                try
                {
                    return (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode;
                }
                catch (HttpRequestException)
                {
                    return HttpStatusCode.ServiceUnavailable;
                }
                catch (TaskCanceledException)
                {
                    // A hub still starting on a busy machine may take longer than one probe allows: ask again.
                    return HttpStatusCode.ServiceUnavailable;
                }
            },
            status => status == HttpStatusCode.OK,
            "the hub to be ready",
            TimeSpan.FromSeconds(90));
    }

    /// <summary>SIGKILL: no shutdown hooks, exactly like a crash.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    private static void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (target)
        {
            target.AppendLine(line);
        }
    }

    private static string Read(StringBuilder source)
    {
        lock (source)
        {
            return source.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
