using IntegrationHub.Delivery.Domain;
using IntegrationHub.Delivery.Persistence;
using IntegrationHub.Delivery.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Delivery;

public static class DeliveryServices
{
    /// <summary>
    /// The inbox and webhook delivery of one recipient adapter, configured from
    /// <paramref name="webhookSection"/> (e.g. <c>NavCases:Webhook</c>).
    /// </summary>
    /// <param name="requireSignedHttps">Outside Development every webhook must be https and have a signing secret.</param>
    public static IServiceCollection AddRecipientDelivery<TContext>(this IServiceCollection services, IConfiguration configuration, string webhookSection, bool requireSignedHttps)
        where TContext : DeliveryDbContext
    {
        var options = configuration.GetSection(webhookSection).Get<WebhookOptions>() ?? new WebhookOptions();
        options.Validate(webhookSection, requireSignedHttps);
        services.AddSingleton(new WebhookTargets<TContext>(options));
        services.AddSingleton<DeliverySignal<TContext>>();
        services.AddScoped<UpdateInbox<TContext>>();
        services.AddHttpClient(WebhookSender<TContext>.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<WebhookSender<TContext>>();
        services.AddSingleton<WebhookDeliveryWorker<TContext>>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDeliveryWorker<TContext>>());
        return services;
    }
}
