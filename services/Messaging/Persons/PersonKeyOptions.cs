namespace IntegrationHub.Messaging.Persons;

public sealed class PersonKeyOptions
{
    public const string Section = "Hub:PersonKey";

    /// <summary>
    /// Base64 HMAC secret, at least 32 bytes. Required outside Development, where a generated one
    /// is kept in the data folder. Changing it changes every person key.
    /// </summary>
    public string? Secret { get; set; }
}
