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
    public async Task Production_without_the_audit_seal_key_or_the_at_rest_key_refuses_to_start()
    {
        var environment = Environment("Production");
        environment["Hub__PersonKey__Secret"] = Convert.ToBase64String(new byte[32]);
        environment["Hub__Auth__DevelopmentIssuer__Enabled"] = "false";

        var (exitCode, errors, _) = await HubProcess.RunToExitAsync(environment);
        environment["Hub__AtRest__Key"] = Convert.ToBase64String(new byte[32]);
        var (sealExitCode, sealErrors, _) = await HubProcess.RunToExitAsync(environment);

        Assert.Equal(2, exitCode);
        AssertOneLineError(errors, "Hub:AtRest:Key is required in Production");
        Assert.Equal(2, sealExitCode);
        AssertOneLineError(sealErrors, "Audit:SealKey is required in Production");
    }

    [Theory]
    [InlineData("Staging", "guest", "127.0.0.1", "false", "'guest' is refused outside Development")]
    [InlineData("Production", "hub", "rabbit.example", "false", "UseTls is required outside Development")]
    public async Task Outside_development_the_broker_login_must_be_the_hubs_own_and_off_loopback_over_tls(
        string environmentName, string username, string host, string useTls, string expected)
    {
        var environment = Environment(environmentName);
        environment["Hub__RabbitMq__Username"] = username;
        environment["Hub__RabbitMq__Host"] = host;
        environment["Hub__RabbitMq__UseTls"] = useTls;

        var (exitCode, errors, _) = await HubProcess.RunToExitAsync(environment, "--transport", "rabbitmq");

        Assert.Equal(2, exitCode);
        AssertOneLineError(errors, expected);
    }

    [Fact]
    public async Task An_external_issuer_with_a_shared_secret_algorithm_refuses_to_start()
    {
        var environment = Environment();
        environment["Hub__Auth__Issuers__0__Name"] = "entra";
        environment["Hub__Auth__Issuers__0__Issuer"] = "https://login.example.test/v2.0";
        environment["Hub__Auth__Issuers__0__Authority"] = "https://login.example.test/v2.0";
        environment["Hub__Auth__Issuers__0__Algorithms__0"] = "HS256";

        var (exitCode, errors, _) = await HubProcess.RunToExitAsync(environment);

        Assert.Equal(2, exitCode);
        AssertOneLineError(errors, "Algorithms must be asymmetric");
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
    [InlineData("--Coordination:Krr:AccessToken", "a-static-token", "Coordination:Krr:AccessToken is gone")]
    [InlineData("--Coordination:Krr:Maskinporten:ClientId", "hub-client", "Coordination:Krr:Maskinporten:Issuer is not an absolute http(s) URL.")]
    public async Task Bad_setting_exits_non_zero_with_one_line(string option, string value, string expected)
    {
        var (exitCode, errors, _) = await HubProcess.RunToExitAsync(Environment(), option, value);

        Assert.Equal(2, exitCode);
        AssertOneLineError(errors, expected);
    }
}
