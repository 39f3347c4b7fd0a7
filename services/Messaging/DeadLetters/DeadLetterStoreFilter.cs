using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Messaging.DeadLetters;

/// <summary>
/// The error pipe of every receive endpoint: a message that failed all retries is stored as a
/// dead letter (listable and replayable the same way on RabbitMQ and in memory, without the
/// broker's management plugin) and then acknowledged. If the store itself fails, the exception
/// leaves the message unacknowledged on the broker, so it is never lost.
/// </summary>
internal sealed partial class DeadLetterStoreFilter(IServiceProvider services) : IFilter<ExceptionReceiveContext>
{
    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubMessagingDbContext>();
        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var envelope = Encoding.UTF8.GetString(context.Body.GetBytes());
        var (messageId, messageType) = ReadEnvelope(envelope);
        var queue = context.InputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "unknown";

        var id = NewId.NextGuid();
        db.DeadLetters.Add(new DeadLetter
        {
            Id = id,
            MessageId = messageId,
            Queue = queue,
            MessageType = messageType,
            ContentType = context.ContentType?.MediaType ?? "application/vnd.masstransit+json",
            Envelope = scope.ServiceProvider.GetRequiredService<Persistence.AtRestCipher>().SealText(envelope, DeadLetter.BoundTo(id)),
            ExceptionType = context.Exception.GetType().FullName ?? context.Exception.GetType().Name,
            ExceptionMessage = Truncate(context.Exception.Message, 4000),
            FailedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(CancellationToken.None);

        LogDeadLettered(scope.ServiceProvider.GetRequiredService<ILogger<DeadLetterStoreFilter>>(), context.Exception, queue, messageType);
        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("deadLetterStore");

    internal static (Guid? MessageId, string? MessageType) ReadEnvelope(string envelope)
    {
        try
        {
            using var json = JsonDocument.Parse(envelope);
            var root = json.RootElement;
            Guid? id = root.TryGetProperty("messageId", out var idElement) && idElement.TryGetGuid(out var parsed) ? parsed : null;
            string? type = root.TryGetProperty("messageType", out var types) && types.ValueKind == JsonValueKind.Array && types.GetArrayLength() > 0
                ? types[0].GetString()
                : null;
            return (id, type);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageType} on {Queue} failed every retry and was dead-lettered")]
    private static partial void LogDeadLettered(ILogger logger, Exception exception, string queue, string? messageType);
}
