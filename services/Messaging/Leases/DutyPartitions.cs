namespace IntegrationHub.Messaging.Leases;

/// <summary>
/// The work an instance does alone (publishing the outbox, pushing webhooks) is split into a fixed
/// number of partitions by person, each leased by one instance at a time. By person, not by row,
/// so one instance publishes each person's rows in their order.
/// </summary>
public static class DutyPartitions
{
    public const int Count = 64;

    /// <summary>A hash that every process computes alike (string.GetHashCode differs per process): FNV-1a over the key's UTF-16 units.</summary>
    public static int Of(string laneKey)
    {
        var hash = 2166136261u;
        foreach (var unit in laneKey)
        {
            hash = (hash ^ unit) * 16777619u;
        }

        return (int)(hash % Count);
    }
}
