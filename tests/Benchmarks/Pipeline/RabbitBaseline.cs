using System.Diagnostics;
using IntegrationHub.Messaging.Transport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace IntegrationHub.Benchmarks.Pipeline;

/// <summary>
/// The physical limit of this broker on this machine for the hub's path, with nothing of the hub:
/// raw RabbitMQ.Client, persistent messages of the certificate's size, publisher confirms, quorum
/// queues, and the same two hops (intake to routing; routing to the NAV and the municipal inbox).
/// </summary>
public static class RabbitBaseline
{
    public static async Task<(double PerSecond, TimeSpan Took)> RunAsync(RabbitMqOptions broker, int messages, int payloadBytes, int producers)
    {
        var factory = new ConnectionFactory
        {
            HostName = broker.Host, Port = broker.Port, VirtualHost = broker.VirtualHost, UserName = broker.Username, Password = broker.Password,
        };
        await using var connection = await factory.CreateConnectionAsync();
        var prefix = $"baseline-{Guid.NewGuid():N}";
        string intake = $"{prefix}-intake", nav = $"{prefix}-nav", municipality = $"{prefix}-municipality";
        var quorum = new Dictionary<string, object?> { ["x-queue-type"] = "quorum" };
        await using (var setup = await connection.CreateChannelAsync())
        {
            foreach (var queue in new[] { intake, nav, municipality })
            {
                await setup.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: quorum);
            }
        }

        var confirmed = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true, consumerDispatchConcurrency: 16);
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
        var payload = new byte[payloadBytes];
        Random.Shared.NextBytes(payload);

        var delivered = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Hop 2's consumers: the two inboxes.
        var inboxChannels = new List<IChannel>();
        foreach (var queue in new[] { nav, municipality })
        {
            var channel = await connection.CreateChannelAsync(confirmed);
            await channel.BasicQosAsync(0, 256, false);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                await channel.BasicAckAsync(delivery.DeliveryTag, false);
                if (Interlocked.Increment(ref delivered) == 2 * messages)
                {
                    done.TrySetResult();
                }
            };
            await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
            inboxChannels.Add(channel);
        }

        // Hop 1's consumer, the "router": one message in, two out (confirmed), then the ack.
        var router = await connection.CreateChannelAsync(confirmed);
        await router.BasicQosAsync(0, 256, false);
        var routerConsumer = new AsyncEventingBasicConsumer(router);
        routerConsumer.ReceivedAsync += async (_, delivery) =>
        {
            var body = delivery.Body.ToArray();
            await Task.WhenAll(
                router.BasicPublishAsync(string.Empty, nav, false, properties, body).AsTask(),
                router.BasicPublishAsync(string.Empty, municipality, false, properties, body).AsTask());
            await router.BasicAckAsync(delivery.DeliveryTag, false);
        };
        await router.BasicConsumeAsync(intake, autoAck: false, routerConsumer);

        var clock = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, producers).Select(async _ =>
        {
            await using var channel = await connection.CreateChannelAsync(confirmed);
            while (Interlocked.Increment(ref next) < messages)
            {
                await channel.BasicPublishAsync(string.Empty, intake, false, properties, payload);
            }
        }));
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        var took = clock.Elapsed;

        await router.DisposeAsync();
        foreach (var channel in inboxChannels)
        {
            await channel.DisposeAsync();
        }

        await using (var cleanup = await connection.CreateChannelAsync())
        {
            foreach (var queue in new[] { intake, nav, municipality })
            {
                await cleanup.QueueDeleteAsync(queue);
            }
        }

        return (messages / took.TotalSeconds, took);
    }
}
