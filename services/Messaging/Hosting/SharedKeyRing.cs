using System.Xml.Linq;
using IntegrationHub.Messaging.DeadLetters;
using IntegrationHub.Messaging.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Messaging.Hosting;

/// <summary>
/// The data-protection key ring (antiforgery tokens, cookies) kept in the host's database, sealed
/// with the at-rest key, so every instance that shares the database and the key accepts what another
/// issued: a form served by one instance behind a load balancer can be posted to another.
/// </summary>
public static class SharedKeyRing
{
    /// <summary>One name for every instance: data protection isolates key use by application name.</summary>
    public const string ApplicationName = "integration-hub";

    private const string BoundTo = "data-protection-key";

    public static IServiceCollection AddSharedKeyRing(this IServiceCollection services)
    {
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<HubMessagingDbContext>();
        services.AddOptions<KeyManagementOptions>()
            .Configure<AtRestCipher>((options, cipher) => options.XmlEncryptor = new AtRestXmlEncryptor(cipher));
        return services;
    }

    /// <summary>Seals a key's XML as a whole; without it the key's secret would lie in the table in plain text.</summary>
    internal sealed class AtRestXmlEncryptor(AtRestCipher cipher) : IXmlEncryptor
    {
        public EncryptedXmlInfo Encrypt(XElement plaintextElement) => new(
            new XElement("sealedKey", cipher.SealText(plaintextElement.ToString(SaveOptions.DisableFormatting), BoundTo)),
            typeof(AtRestXmlDecryptor));
    }

    /// <summary>Made by data protection from its type name, with the services, when a sealed key is read.</summary>
    internal sealed class AtRestXmlDecryptor(IServiceProvider services) : IXmlDecryptor
    {
        public XElement Decrypt(XElement encryptedElement) =>
            XElement.Parse(services.GetRequiredService<AtRestCipher>().OpenText(encryptedElement.Value, BoundTo));
    }
}
