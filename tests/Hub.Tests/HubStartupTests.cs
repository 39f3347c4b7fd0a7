using IntegrationHub.TestSupport;

namespace IntegrationHub.Hub.Tests;

/// <summary>Start-up mistakes, through the real binary: one line on stderr, non-zero exit, no stack trace.</summary>
public sealed class HubStartupTests : IDisposable
{
    private readonly TemporaryDirectory _dataDirectory = new("startup-tests");

    public void Dispose() => _dataDirectory.Dispose();

    private Dictionary<string, string> Environment(string environmentName = "Development") => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = environmentName,
        ["Hub__DataDirectory"] = _dataDirectory.Path,
    };

    private static void AssertOneLineError(string standardError, string expected)
    {
        var lines = standardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", standardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_module_exits_non_zero_with_one_line_naming_it()
    {
        var (exitCode, errors, _) = await HubProcess.RunToExitAsync(Environment(), "--modules", "audit,no-such-module");

        Assert.Equal(2, exitCode);
        AssertOneLineError(errors, "Unknown module(s): no-such-module. Known modules: audit");
    }

    [Fact]
    public async Task Production_with_the_development_issuer_refuses_to_start()
    {
        var environment = Environment("Production");
        environment["Hub__Auth__DevelopmentIssuer__Enabled"] = "true";
        environment["Hub__PersonKey__Secret"] = Convert.ToBase64String(new byte[32]);

        var (exitCode, errors, _) = await HubProcess.RunToExitAsync(environment);

        Assert.Equal(2, exitCode);
        AssertOneLineError(errors, "development token issuer must not run in Production");
    }

    [Fact]
    public async Task Production_without_a_person_key_secret_refuses_to_start()
    {
        var (exitCode, errors, _) = await HubProcess.RunToExitAsync(Environment("Production"));

        Assert.Equal(2, exitCode);
        AssertOneLineError(errors, "Hub:PersonKey:Secret is required in Production");
    }

    [Fact]
    public async Task Unreachable_broker_exits_non_zero_with_one_line()
    {
        var environment = Environment();
        environment["Hub__RabbitMq__Port"] = HubProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Hub__RabbitMq__ConnectTimeout"] = "00:00:03";

        var (exitCode, errors, _) = await HubProcess.RunToExitAsync(environment, "--transport", "rabbitmq");

        Assert.Equal(2, exitCode);
        AssertOneLineError(errors, "cannot be reached");
    }

    [Theory]
    [InlineData("--transport", "carrier-pigeon", "Unknown transport 'carrier-pigeon'")]
    [InlineData("--Hub:RabbitMq:Port", "not-a-port", "Invalid setting in Hub:RabbitMq")]
    public async Task Bad_setting_exits_non_zero_with_one_line(string option, string value, string expected)
    {
        var (exitCode, errors, _) = await HubProcess.RunToExitAsync(Environment(), option, value);

        Assert.Equal(2, exitCode);
        AssertOneLineError(errors, expected);
    }
}
