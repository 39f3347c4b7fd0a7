using System.Globalization;

namespace IntegrationHub.TestSupport;

/// <summary>
/// A PostgreSQL cluster of one test's own on 127.0.0.1, set up as <c>infra/private-services.sh</c>
/// sets up the shared one, for the fault test that freezes it: the shared cluster serves every
/// other test meanwhile.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly TemporaryDirectory _base;
    private readonly string _bin;
    private bool _paused;

    private PrivatePostgres(TemporaryDirectory @base, string bin, ushort port)
    {
        _base = @base;
        _bin = bin;
        Server = $"Host=127.0.0.1;Port={port.ToString(CultureInfo.InvariantCulture)};Username=postgres";
    }

    /// <summary>The connection string without a database, as <c>IHUB_TEST_POSTGRES</c> gives the shared one.</summary>
    public string Server { get; }

    private string Data => _base.Combine("data");

    public static async Task<PrivatePostgres> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(version => Path.Combine(version, "bin"))
            .Where(path => File.Exists(Path.Combine(path, "initdb")))
            .OrderBy(path => int.Parse(Path.GetFileName(Path.GetDirectoryName(path))!, CultureInfo.InvariantCulture))
            .LastOrDefault() ?? throw new InvalidOperationException("PostgreSQL is not installed: infra/test.sh installs it.");
        var @base = new TemporaryDirectory("postgres");
        Directory.CreateDirectory(@base.Path);
        var port = PrivateBroker.FreePort();
        var postgres = new PrivatePostgres(@base, bin, port);
        try
        {
            if (Environment.UserName == "root")
            {
                // PostgreSQL refuses to run as root.
                await RunAsync("chown", "postgres", @base.Path);
            }

            await postgres.AsPostgresAsync("initdb", "-D", postgres.Data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
            await postgres.AsPostgresAsync(
                "pg_ctl", "-D", postgres.Data, "-l", @base.Combine("server.log"), "-w", "-t", "60",
                "-o", $"-p {port} -h 127.0.0.1 -k {@base.Path} -c fsync=off -c max_connections=200", "start");
            return postgres;
        }
        catch
        {
            @base.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Freezes the server and every backend at once (SIGSTOP to its process group: the postmaster
    /// leads one), as a stalled disk or a paused virtual machine would: connections stay open and
    /// nothing answers.
    /// </summary>
    public async Task PauseAsync()
    {
        await SignalAsync("-STOP");
        _paused = true;
    }

    public async Task ResumeAsync()
    {
        await SignalAsync("-CONT");
        _paused = false;
    }

    private async Task SignalAsync(string signal)
    {
        var postmaster = (await File.ReadAllLinesAsync(Path.Combine(Data, "postmaster.pid")))[0].Trim();
        await RunAsync("kill", signal, "--", $"-{postmaster}");
    }

    /// <summary>The end of the server's log, for a test's failure message.</summary>
    public string LogTail(int characters = 4000)
    {
        var text = File.Exists(_base.Combine("server.log")) ? File.ReadAllText(_base.Combine("server.log")) : string.Empty;
        return text.Length <= characters ? text : text[^characters..];
    }

    public async ValueTask DisposeAsync()
    {
        if (_paused)
        {
            await ResumeAsync();
        }

        try
        {
            await AsPostgresAsync("pg_ctl", "-D", Data, "-m", "immediate", "stop");
        }
        finally
        {
            _base.Dispose();
        }
    }

    private Task AsPostgresAsync(string tool, params string[] arguments) =>
        Environment.UserName == "root"
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments])
            : RunAsync(Path.Combine(_bin, tool), arguments);

    private static Task RunAsync(string command, params string[] arguments) => Tools.RunAsync(command, arguments);
}
