using IntegrationHub.Hub.Startup;
using IntegrationHub.Messaging.Hosting;

namespace IntegrationHub.Hub;

public sealed class Program
{
    private Program()
    {
    }

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "token")
        {
            return TokenCommand.Run(args[1..]);
        }

        try
        {
            var app = HubApplication.Build(args);
            await HubApplication.RunAsync(app);
            return 0;
        }
        catch (Exception ex) when (FindConfigurationError(ex) is { } configurationError)
        {
            // A user's mistake: one line, no stack trace.
            await Console.Error.WriteLineAsync($"error: {configurationError.Message}");
            return 2;
        }
    }

    private static HubConfigurationException? FindConfigurationError(Exception exception) => exception switch
    {
        HubConfigurationException direct => direct,
        Microsoft.AspNetCore.Connections.AddressInUseException inUse =>
            new HubConfigurationException($"{inUse.Message} Another process is listening there; choose another address with --urls."),
        AggregateException aggregate => aggregate.InnerExceptions.Select(FindConfigurationError).FirstOrDefault(e => e is not null),
        { InnerException: { } inner } => FindConfigurationError(inner),
        _ => null,
    };
}
