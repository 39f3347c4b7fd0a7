using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using IntegrationHub.Messaging.Transport;

namespace IntegrationHub.TestSupport;

/// <summary>
/// A RabbitMQ node of one test's own on 127.0.0.1 (own node name, ports and data folder), for the
/// fault tests that stop the broker: the shared test broker serves every other test meanwhile.
/// Set up as <c>infra/private-services.sh</c> does; its data folder survives a stop, so quorum
/// queues and their messages are there again after a restart.
/// </summary>
public sealed class PrivateBroker : IAsyncDisposable
{
    private readonly TemporaryDirectory _base;
    private readonly Dictionary<string, string> _environment;
    private Process? _server;

    private PrivateBroker(TemporaryDirectory @base, Dictionary<string, string> environment, string node, ushort port)
    {
        _base = @base;
        _environment = environment;
        Node = node;
        Options = new RabbitMqOptions { Host = "127.0.0.1", Port = port, VirtualHost = "/" };
    }

    public string Node { get; }

    public RabbitMqOptions Options { get; }

    public bool IsRunning => _server is { HasExited: false };

    /// <summary>
    /// Starts a node. Nodes given one <paramref name="epmdPort"/> find each other and can form a
    /// cluster (<see cref="JoinAsync"/>); without one the node has a port mapper of its own.
    /// </summary>
    public static async Task<PrivateBroker> StartAsync(int? epmdPort = null)
    {
        var @base = new TemporaryDirectory("broker");
        var node = $"ihub-fault-{Guid.NewGuid():N}"[..20] + "@localhost";
        var port = FreePort();
        Directory.CreateDirectory(@base.Combine("mnesia"));
        Directory.CreateDirectory(@base.Combine("log"));
        await File.WriteAllTextAsync(@base.Combine("enabled_plugins"), "[].");
        await File.WriteAllTextAsync(@base.Combine("rabbitmq.conf"), string.Empty);
        var environment = new Dictionary<string, string>
        {
            ["RABBITMQ_NODENAME"] = node,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = FreePort().ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_PORT"] = (epmdPort ?? FreePort()).ToString(CultureInfo.InvariantCulture),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_MNESIA_BASE"] = @base.Combine("mnesia"),
            ["RABBITMQ_LOG_BASE"] = @base.Combine("log"),
            ["RABBITMQ_PID_FILE"] = @base.Combine("rabbitmq.pid"),
            ["RABBITMQ_FEATURE_FLAGS_FILE"] = @base.Combine("feature_flags"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = @base.Combine("enabled_plugins"),
            ["RABBITMQ_CONFIG_FILE"] = @base.Combine("rabbitmq.conf"),
            ["PATH"] = $"{Environment.GetEnvironmentVariable("PATH")}:/usr/sbin:/usr/lib/rabbitmq/bin",
        };
        // Debian's wrapper runs the broker as the rabbitmq user, so the folder must be that user's.
        await AsRootAsync("chown", ["-R", "rabbitmq:rabbitmq", @base.Path], environment);
        var broker = new PrivateBroker(@base, environment, node, port);
        await broker.StartAgainAsync();
        return broker;
    }

    /// <summary>Starts the node (again) on the same data folder and waits until it takes connections.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo("rabbitmq-server") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        _server = Process.Start(start)!;
        _server.OutputDataReceived += (_, _) => { };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        // await_startup fails at once while the node is not yet registered, so ask until it answers.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!await TryRunAsync("rabbitmqctl", ["-n", Node, "await_startup"], _environment))
        {
            if (_server.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The private broker {Node} did not start.");
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Stops the node as an operator does (<c>rabbitmqctl stop</c>): connections close, the data stays.</summary>
    public async Task StopAsync()
    {
        await RunAsync("rabbitmqctl", ["-n", Node, "stop"], _environment);
        await ServerExitedAsync();
    }

    /// <summary>Makes this node a member of <paramref name="first"/>'s cluster, as an operator does (stop_app, join_cluster, start_app).</summary>
    public async Task JoinAsync(PrivateBroker first)
    {
        await RunAsync("rabbitmqctl", ["-n", Node, "stop_app"], _environment);
        await RunAsync("rabbitmqctl", ["-n", Node, "join_cluster", first.Node], _environment);
        await RunAsync("rabbitmqctl", ["-n", Node, "start_app"], _environment);
        await RunAsync("rabbitmqctl", ["-n", Node, "await_startup"], _environment);
    }

    /// <summary>Kills the node's Erlang VM with SIGKILL, as a crashed machine would end it: nothing is closed or handed over.</summary>
    public async Task KillAsync()
    {
        var pid = (await File.ReadAllTextAsync(_base.Combine("rabbitmq.pid"))).Trim();
        await AsRootAsync("kill", ["-KILL", pid], _environment);
        await ServerExitedAsync();
    }

    private async Task ServerExitedAsync()
    {
        if (_server is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _server.WaitForExitAsync(timeout.Token);
            _server.Dispose();
            _server = null;
        }
    }

    /// <summary>The end of the node's own log, for a test's failure message.</summary>
    public string LogTail(int characters = 4000)
    {
        var text = string.Concat(Directory.GetFiles(_base.Combine("log"), "*.log").Select(File.ReadAllText));
        return text.Length <= characters ? text : text[^characters..];
    }

    /// <summary>Runs rabbitmqctl against this node and answers what it printed.</summary>
    public Task<string> CtlAsync(params string[] arguments) => Tools.RunAsync("rabbitmqctl", ["-n", Node, .. arguments], _environment);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await TryRunAsync("rabbitmqctl", ["-n", Node, "stop"], _environment);
            if (!_server.HasExited)
            {
                _server.Kill(entireProcessTree: true);
            }

            _server.Dispose();
        }

        await TryRunAsync("epmd", ["-port", _environment["ERL_EPMD_PORT"], "-kill"], _environment);
        _base.Dispose();
    }

    /// <summary>
    /// A free port below the kernel's ephemeral range. The node is restarted on the same port while
    /// clients keep connecting to it; a port in the ephemeral range can meanwhile be taken as the
    /// source port of an outgoing connection (even a client's connection to itself), and the node
    /// then cannot listen on it again.
    /// </summary>
    internal static ushort FreePort()
    {
        var ephemeralStart = EphemeralRangeStart();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(10_000, ephemeralStart);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return (ushort)port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException("No free port below the ephemeral range.");
    }

    private static int EphemeralRangeStart()
    {
        const string Range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(Range) && int.TryParse(File.ReadAllText(Range).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], out var start) && start > 11_000
            ? start
            : 32_768;
    }

    private static Task AsRootAsync(string command, string[] arguments, Dictionary<string, string> environment) =>
        Environment.UserName == "root" ? RunAsync(command, arguments, environment) : RunAsync("sudo", [command, .. arguments], environment);

    private static Task RunAsync(string command, string[] arguments, Dictionary<string, string> environment) =>
        Tools.RunAsync(command, arguments, environment);

    private static async Task<bool> TryRunAsync(string command, string[] arguments, Dictionary<string, string> environment) =>
        (await Tools.TryRunAsync(command, arguments, environment)).Succeeded;
}
