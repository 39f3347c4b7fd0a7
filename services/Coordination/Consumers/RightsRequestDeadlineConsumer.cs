using IntegrationHub.Coordination.Domain;
using IntegrationHub.Coordination.Persistence;
using IntegrationHub.Messaging.Inbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Coordination.Consumers;

/// <summary>
/// A rights request's deadline nears, then passes: an open request is raised a level on the
/// coordinator's worklist each time, as an escalation is. One answered in time is left alone.
/// </summary>
public sealed class RightsRequestDeadlineConsumer(CoordinationDbContext db, TimeProvider time)
    : IdempotentConsumer<RightsRequestDeadline, CoordinationDbContext>(db, time)
{
    /// <summary>Sets the first deadline timer of a new request: a reminder <see cref="PersonRightsOptions.RemindBefore"/> ahead.</summary>
    public static Task ScheduleAsync(CoordinationDbContext db, Guid requestId, DateTimeOffset dueAt, PersonRightsOptions options, CancellationToken cancellationToken) =>
        db.ScheduleAsync(new RightsRequestDeadline(requestId, RightsRequestLevels.DeadlineNear), dueAt - options.RemindBefore, AccessRequests.TimerKey(requestId), cancellationToken);

    protected override async Task HandleAsync(ConsumeContext<RightsRequestDeadline> context)
    {
        var due = context.Message;
        var access = await Db.AccessRequests.SingleOrDefaultAsync(r => r.Id == due.RequestId, context.CancellationToken);
        var change = access is null ? await Db.ChangeRequests.SingleOrDefaultAsync(r => r.Id == due.RequestId, context.CancellationToken) : null;
        var open = access is { HandedOverAt: null } || change is { State: ChangeRequestState.Open };
        if (!open)
        {
            return;
        }

        var dueAt = access?.DueAt ?? change!.DueAt;
        if (access is not null)
        {
            access.Level = Math.Max(access.Level, due.Level);
        }
        else
        {
            change!.Level = Math.Max(change.Level, due.Level);
        }

        if (due.Level == RightsRequestLevels.DeadlineNear)
        {
            await Db.ScheduleAsync(new RightsRequestDeadline(due.RequestId, RightsRequestLevels.DeadlinePassed), dueAt, AccessRequests.TimerKey(due.RequestId), context.CancellationToken);
        }
    }
}
