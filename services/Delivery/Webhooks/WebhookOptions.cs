using IntegrationHub.Messaging.Hosting;

namespace IntegrationHub.Delivery.Webhooks;

/// <summary>
/// A recipient party's webhook (e.g. <c>NavCases:Webhook</c>). Without a URL the inbox alone is the
/// delivery. Every delay is configuration; the defaults suit a receiver that is down for minutes.
/// </summary>
public sealed class WebhookOptions
{
    /// <summary>Where updates for every recipient of this party go, unless <see cref="Recipients"/> names another.</summary>
    public string? Url { get; set; }

    /// <summary>Per recipient (NAV office, municipality number): its own URL.</summary>
    public Dictionary<string, string> Recipients { get; set; } = [];

    /// <summary>
    /// The signing secret of <see cref="Url"/>'s receivers (Standard Webhooks: <c>whsec_</c> and base64, at
    /// least 24 bytes); required outside Development.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>Per recipient: its own signing secret, for its own URL.</summary>
    public Dictionary<string, string> Secrets { get; set; } = [];

    /// <summary>One call's time limit.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Quick retries within one delivery attempt, with exponential backoff from <see cref="RetryDelay"/>.</summary>
    public int Retries { get; set; } = 2;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>After a failed attempt the next one waits this long, doubled each time up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A stored update is pushed no sooner than this, so that a consent withdrawal already on its
    /// way usually reaches the adapter before the webhook does. Best effort: the inbox is where
    /// delivery is exact (see UpdateInbox); a push only repeats what the inbox got before the withdrawal.
    /// </summary>
    public TimeSpan HoldBack { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Circuit breaker: break when this share of calls fails within <see cref="SamplingDuration"/>.</summary>
    public double FailureRatio { get; set; } = 0.5;

    public int MinimumThroughput { get; set; } = 4;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int BatchSize { get; set; } = 50;

    /// <summary>The secret text that signs calls to a recipient's own URL, else the default URL's (<paramref name="ownUrlOf"/> null).</summary>
    public string? SecretOf(string? ownUrlOf) =>
        ownUrlOf is null ? Secret : Secrets.GetValueOrDefault(ownUrlOf, Secret ?? string.Empty);

    public void Validate(string section, bool requireSignedHttps)
    {
        foreach (var (recipient, url) in Recipients.Append(new("(default)", Url ?? string.Empty)))
        {
            if (url.Length > 0 && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
            {
                throw new HubConfigurationException($"{section}: the webhook URL for {recipient} is not an absolute http(s) URL.");
            }

            if (url.Length > 0 && requireSignedHttps && !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                throw new HubConfigurationException($"{section}: the webhook URL for {recipient} must be https outside Development.");
            }

            if (url.Length > 0 && requireSignedHttps && string.IsNullOrEmpty(SecretOf(recipient == "(default)" ? null : recipient)))
            {
                throw new HubConfigurationException($"{section}: the webhook for {recipient} needs a signing secret (Secret or Secrets:{recipient}) outside Development.");
            }
        }

        foreach (var (recipient, secret) in Secrets.Append(new("(default)", Secret ?? string.Empty)).Where(s => s.Value.Length > 0))
        {
            if (WebhookSignature.DecodeSecret(secret) is null)
            {
                throw new HubConfigurationException($"{section}: the signing secret for {recipient} is not whsec_ and base64 of at least {WebhookSignature.MinimumSecretBytes} bytes.");
            }
        }

        if (Timeout <= TimeSpan.Zero || FirstBackoff <= TimeSpan.Zero || MaxBackoff < FirstBackoff || PollInterval <= TimeSpan.Zero
            || Retries < 0 || BatchSize < 1 || FailureRatio is <= 0 or > 1 || MinimumThroughput < 2
            || BreakDuration < TimeSpan.FromSeconds(0.5) || SamplingDuration < TimeSpan.FromSeconds(0.5) || HoldBack < TimeSpan.Zero)
        {
            throw new HubConfigurationException(
                $"{section}: Timeout, FirstBackoff, PollInterval must be positive; MaxBackoff >= FirstBackoff; Retries >= 0; BatchSize >= 1; "
                + "FailureRatio in (0, 1]; MinimumThroughput >= 2; BreakDuration and SamplingDuration >= 0.5 s; HoldBack >= 0.");
        }
    }
}

/// <summary>One adapter's webhook settings, typed by its DbContext so NAV's and the municipalities' never mix in one host.</summary>
public sealed class WebhookTargets<TContext>(WebhookOptions options)
{
    public WebhookOptions Options => options;

    /// <summary>The secret that signs calls to the recipient's URL: its own, or the default URL's.</summary>
    public byte[]? SecretFor(string recipientId) =>
        WebhookSignature.DecodeSecret(options.SecretOf(options.Recipients.ContainsKey(recipientId) ? recipientId : null));

    public Uri? UrlFor(string recipientId) =>
        options.Recipients.TryGetValue(recipientId, out var own) ? new Uri(own)
        : string.IsNullOrEmpty(options.Url) ? null
        : new Uri(options.Url);

    /// <summary>Backoff before the next attempt, after <paramref name="failedAttempts"/> failed ones.</summary>
    public TimeSpan BackoffAfter(int failedAttempts)
    {
        var doublings = Math.Min(Math.Max(failedAttempts - 1, 0), 20);
        var delay = options.FirstBackoff * Math.Pow(2, doublings);
        return delay < options.MaxBackoff ? delay : options.MaxBackoff;
    }
}

/// <summary>Wakes the webhook worker when something new is stored, instead of waiting a poll interval.</summary>
public sealed class DeliverySignal<TContext>
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Notify()
    {
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another caller woke the worker first; once is enough.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => signal.WaitAsync(timeout, cancellationToken);
}
