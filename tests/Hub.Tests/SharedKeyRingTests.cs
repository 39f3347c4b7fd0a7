using System.Security.Cryptography;
using IntegrationHub.Messaging.DeadLetters;
using IntegrationHub.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Hub.Tests;

/// <summary>
/// Instances behind a load balancer share one key ring through their database: what one protects
/// (an antiforgery token, a cookie) another opens, and the keys are sealed in the table.
/// </summary>
public sealed class SharedKeyRingTests
{
    private const string Purpose = "shared-key-ring-test";

    [Fact]
    public async Task What_one_instance_protects_another_on_the_same_database_opens_and_one_on_another_database_does_not()
    {
        using var shared = new TemporaryDirectory("key-ring-shared");
        await using var first = await HubTestServer.StartInAsync(shared, null, "--modules", "pages");
        var protectedText = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("a form's token");

        await using var second = await HubTestServer.StartInAsync(shared, null, "--modules", "pages");
        Assert.Equal("a form's token", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(protectedText));

        await using var elsewhere = await HubTestServer.StartAsync("--modules", "pages");
        Assert.ThrowsAny<CryptographicException>(() => elsewhere.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(protectedText));
    }

    [Fact]
    public async Task A_key_is_kept_in_the_database_sealed_not_in_plain_text()
    {
        await using var hub = await HubTestServer.StartAsync("--modules", "pages");
        hub.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect("makes a key");

        await using var scope = hub.Services.CreateAsyncScope();
        var keys = await scope.ServiceProvider.GetRequiredService<HubMessagingDbContext>().DataProtectionKeys.Select(k => k.Xml).ToListAsync();
        var xml = Assert.Single(keys);
        Assert.Contains("<sealedKey", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
    }
}
