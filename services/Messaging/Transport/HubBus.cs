using IntegrationHub.Messaging.DeadLetters;
using IntegrationHub.Messaging.Hosting;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace IntegrationHub.Messaging.Transport;

public static class HubBus
{
    /// <summary>
    /// MassTransit on the chosen transport: every receive endpoint retries, then dead-letters;
    /// RabbitMQ queues are quorum queues and publishes wait for broker confirms.
    /// </summary>
    public static IServiceCollection AddHubBus(
        this IServiceCollection services,
        TransportKind transport,
        BusOptions busOptions,
        RabbitMqOptions rabbitMq,
        IEnumerable<Action<IBusRegistrationConfigurator>> registerConsumers)
    {
        services.AddSingleton(new CommandAddresses(transport));
        // Start-up waits for every receive endpoint to be bound: an event published to an
        // exchange before its queues are bound is dropped by RabbitMQ without a word.
        services.AddOptions<MassTransitHostOptions>().Configure(options =>
        {
            options.WaitUntilStarted = true;
            options.StartTimeout = TimeSpan.FromSeconds(60);
            options.StopTimeout = TimeSpan.FromSeconds(30);
        });
        services.AddScoped<DeadLetterReplayer>();
        services.AddMassTransit(bus =>
        {
            bus.DisableUsageTelemetry();
            bus.SetKebabCaseEndpointNameFormatter();
            foreach (var register in registerConsumers)
            {
                register(bus);
            }

            bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                endpoint.UseMessageRetry(retry => retry.Intervals([.. busOptions.RetryIntervals]));
                endpoint.ConfigureError(error => error.UseFilter(new DeadLetterStoreFilter(context)));
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbitEndpoint)
                {
                    rabbitEndpoint.PrefetchCount = rabbitMq.PrefetchCount;
                    if (rabbitMq.QuorumQueues)
                    {
                        rabbitEndpoint.SetQuorumQueue(rabbitMq.QuorumReplicas);
                    }
                }
            });

            if (transport == TransportKind.RabbitMq)
            {
                bus.UsingRabbitMq((context, cfg) =>
                {
                    var nodes = rabbitMq.Endpoints();
                    cfg.Host(nodes[0].Host, nodes[0].Port, rabbitMq.VirtualHost, host =>
                    {
                        if (rabbitMq.Nodes.Count > 0)
                        {
                            // Each connection attempt takes the next node, so losing the node in use moves the hub to another.
                            host.UseCluster(cluster =>
                            {
                                foreach (var (name, port) in nodes)
                                {
                                    cluster.Node($"{name}:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
                                }
                            });
                        }

                        var pause = new ReconnectPause(rabbitMq.ReconnectDelay);
                        host.OnRefreshConnectionFactory = _ => pause.BeforeConnectingAsync();
                        host.Username(rabbitMq.Username);
                        host.Password(rabbitMq.Password);
                        host.PublisherConfirmation = true;
                        host.RequestedConnectionTimeout(rabbitMq.ConnectTimeout);
                        if (rabbitMq.UseTls)
                        {
                            host.UseSsl(ssl =>
                            {
                                ssl.ServerName = rabbitMq.TlsServerName ?? nodes[0].Host;
                                ssl.Protocol = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
                                if (rabbitMq.TlsClientCertificatePath is { Length: > 0 } certificate)
                                {
                                    ssl.CertificatePath = certificate;
                                    ssl.CertificatePassphrase = rabbitMq.TlsClientCertificatePassword;
                                }
                            });
                        }
                    });
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
        });
        return services;
    }

    /// <summary>
    /// Connects once so an unreachable broker is a clear start-up error, not endless retries in the
    /// log. Of a cluster, one node that answers is enough: the others may be down for maintenance.
    /// </summary>
    public static async Task ProbeRabbitMqAsync(RabbitMqOptions options, CancellationToken cancellationToken)
    {
        var nodes = options.Endpoints();
        var factory = new ConnectionFactory
        {
            VirtualHost = options.VirtualHost,
            UserName = options.Username,
            Password = options.Password,
            RequestedConnectionTimeout = options.ConnectTimeout,
            AutomaticRecoveryEnabled = false,
            Ssl = new SslOption
            {
                Enabled = options.UseTls,
                ServerName = options.TlsServerName ?? nodes[0].Host,
                Version = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
                CertPath = options.TlsClientCertificatePath ?? string.Empty,
                CertPassphrase = options.TlsClientCertificatePassword ?? string.Empty,
            },
        };
        try
        {
            var endpoints = nodes.Select(node => new AmqpTcpEndpoint(node.Host, node.Port, factory.Ssl)).ToList();
            await using var connection = await factory.CreateConnectionAsync(endpoints, "integration-hub-startup-probe", cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var reason = ex.InnerException?.Message ?? ex.Message;
            throw new HubConfigurationException(
                $"RabbitMQ at {string.Join(", ", nodes.Select(node => $"{node.Host}:{node.Port}"))} (virtual host {options.VirtualHost}) cannot be reached ({reason}). Check Hub:RabbitMq settings.");
        }
    }
}
