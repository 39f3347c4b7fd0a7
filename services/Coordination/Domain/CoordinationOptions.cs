using IntegrationHub.Contracts;
using IntegrationHub.Messaging.Hosting;

namespace IntegrationHub.Coordination.Domain;

/// <summary>Every threshold of the reach rules (section <c>Coordination:Rules</c>); the defaults are the agreed ones.</summary>
public sealed class ReachOptions
{
    public const string Section = "Coordination:Rules";

    public int MessageUnreadDays { get; set; } = 7;

    public int MessageUnansweredDays { get; set; } = 14;

    public int MissedMeetings { get; set; } = 2;

    public int MissedMeetingsWindowDays { get; set; } = 30;

    /// <summary>No successful contact through any party for this long raises an escalation.</summary>
    public int FollowUpDays { get; set; } = 30;

    /// <summary>The same clock for a person who is at risk.</summary>
    public int FollowUpDaysAtRisk { get; set; } = 14;

    /// <summary>A new advisor and this long without contact raises an escalation.</summary>
    public int AdvisorChangeQuietDays { get; set; } = 14;

    /// <summary>Signals older than this no longer count (a phone lost in spring is not news in autumn).</summary>
    public int SignalWindowDays { get; set; } = 60;

    /// <summary>Municipal signals that make a person at risk.</summary>
    public List<string> AtRiskSignals { get; set; } =
    [
        EngagementSignal.PhoneLost, EngagementSignal.NoPhone, EngagementSignal.NoPhoneCredit, EngagementSignal.NoInternet, EngagementSignal.NoElectronicId,
    ];

    public void Validate()
    {
        int[] days = [MessageUnreadDays, MessageUnansweredDays, MissedMeetingsWindowDays, FollowUpDays, FollowUpDaysAtRisk, AdvisorChangeQuietDays, SignalWindowDays];
        if (days.Any(d => d < 1) || MissedMeetings < 1)
        {
            throw new HubConfigurationException($"{Section}: every number of days and MissedMeetings must be at least 1.");
        }

        if (AtRiskSignals.FirstOrDefault(s => !typeof(EngagementSignal).GetFields().Any(f => (string?)f.GetValue(null) == s)) is { } unknown)
        {
            throw new HubConfigurationException($"{Section}:AtRiskSignals: '{unknown}' is not an engagement signal code.");
        }
    }
}

/// <summary>Escalation handling (section <c>Coordination:Escalations</c>).</summary>
public sealed class EscalationOptions
{
    public const string Section = "Coordination:Escalations";

    /// <summary>Not acknowledged within this, an escalation is raised again one level up.</summary>
    public TimeSpan AcknowledgeWithin { get; set; } = TimeSpan.FromHours(24);

    public int MaxLevel { get; set; } = 3;

    public void Validate()
    {
        if (AcknowledgeWithin < TimeSpan.FromMinutes(1) || MaxLevel < 1)
        {
            throw new HubConfigurationException($"{Section}: AcknowledgeWithin must be at least a minute and MaxLevel at least 1.");
        }
    }
}
