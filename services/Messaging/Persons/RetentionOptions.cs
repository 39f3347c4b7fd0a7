using IntegrationHub.Messaging.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IntegrationHub.Messaging.Persons;

/// <summary>
/// How long the hub keeps a person's data (section <c>Retention</c>), and on what basis.
/// <list type="bullet">
/// <item><see cref="AfterFollowUpEnds"/> (12 months): the data was collected for coordinated follow-up,
/// so it goes when that purpose has ended (GDPR art. 5(1)(b) purpose limitation, 5(1)(e) storage
/// limitation). A year after the last NAV office and municipality stopped following the person covers a
/// return to follow-up and the person's own questions about it.</item>
/// <item><see cref="LogsKeptFor"/> (10 years): the audit log and the disclosure log show who saw and who
/// got the person's data; they are the controller's proof (art. 5(2) accountability) and the person's
/// answer to "who got my data" (art. 15(1)(c)), so they outlive the data they document. The length is
/// the controller's decision to confirm with its data protection officer; ten years is the default.</item>
/// </list>
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    public TimeSpan AfterFollowUpEnds { get; set; } = TimeSpan.FromDays(365);

    public TimeSpan LogsKeptFor { get; set; } = TimeSpan.FromDays(3653);

    /// <summary>Read once per process: the modules that keep logs (routing, audit) may run in processes of their own.</summary>
    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        var retention = configuration.GetSection(Section).Get<RetentionOptions>() ?? new RetentionOptions();
        retention.Validate();
        services.TryAddSingleton(retention);
    }

    public void Validate()
    {
        if (AfterFollowUpEnds <= TimeSpan.Zero || LogsKeptFor < AfterFollowUpEnds)
        {
            throw new HubConfigurationException($"{Section}: AfterFollowUpEnds must be positive, and LogsKeptFor at least as long.");
        }
    }
}
