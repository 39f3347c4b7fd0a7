using System.Text.Json;
using IntegrationHub.Messaging.Outbox;
using IntegrationHub.Messaging.Transport;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace IntegrationHub.Messaging.DeadLetters;

public enum ReplayOutcome
{
    Replayed,
    NotFound,
    UnknownMessageType,
}

/// <summary>
/// Sends a dead letter back to the queue it failed on, with its original message id, so a
/// consumer that did succeed meanwhile (or a double replay) is caught by the inbox.
/// </summary>
public sealed class DeadLetterReplayer(HubMessagingDbContext db, IBus bus, CommandAddresses addresses, Persistence.AtRestCipher cipher, TimeProvider time)
{
    public async Task<ReplayOutcome> ReplayAsync(Guid deadLetterId, CancellationToken cancellationToken)
    {
        var letter = await db.DeadLetters.SingleOrDefaultAsync(d => d.Id == deadLetterId, cancellationToken);
        if (letter is null)
        {
            return ReplayOutcome.NotFound;
        }

        var type = letter.MessageType is null ? null : MessageTypeNames.ResolveUrn(letter.MessageType);
        if (type is null)
        {
            return ReplayOutcome.UnknownMessageType;
        }

        using var envelope = JsonDocument.Parse(cipher.OpenText(letter.Envelope, DeadLetter.BoundTo(letter.Id)));
        var message = envelope.RootElement.GetProperty("message").Deserialize(type, MessagingDbContext.BodyJson)
            ?? throw new InvalidOperationException($"Dead letter {letter.Id} has an empty message.");

        var endpoint = await bus.GetSendEndpoint(addresses.For(letter.Queue));
        await endpoint.Send(message, type, Pipe.Execute<SendContext>(context =>
        {
            if (letter.MessageId is { } id)
            {
                context.MessageId = id;
            }
        }), cancellationToken);

        letter.ReplayedAt = time.GetUtcNow();
        letter.ReplayCount++;
        await db.SaveChangesAsync(cancellationToken);
        return ReplayOutcome.Replayed;
    }
}
