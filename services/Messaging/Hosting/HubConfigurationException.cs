namespace IntegrationHub.Messaging.Hosting;

/// <summary>A mistake in settings or arguments: the host prints the message on one line and exits non-zero.</summary>
public sealed class HubConfigurationException(string message) : Exception(message);
