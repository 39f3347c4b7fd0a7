using System.Security.Cryptography;
using System.Text;
using IntegrationHub.Messaging.Persistence;

namespace IntegrationHub.Messaging.Tests;

public sealed class AtRestCipherTests
{
    private static readonly byte[] OldKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] NewKey = RandomNumberGenerator.GetBytes(32);
    private static readonly byte[] Bundle = Encoding.UTF8.GetBytes("""{"resourceType":"Bundle","identifier":"12039140045","code":"P15"}""");

    [Fact]
    public void A_sealed_value_opens_for_its_own_row_and_holds_nothing_in_clear()
    {
        var cipher = new AtRestCipher(NewKey);

        var sealedValue = cipher.Seal(Bundle, "certificate/1");

        Assert.Equal(Bundle, cipher.Open(sealedValue, "certificate/1"));
        Assert.Equal(-1, sealedValue.AsSpan().IndexOf("12039140045"u8));
        Assert.Equal(-1, sealedValue.AsSpan().IndexOf("P15"u8));
    }

    [Fact]
    public void A_value_copied_to_another_row_or_changed_does_not_open()
    {
        var cipher = new AtRestCipher(NewKey);
        var sealedValue = cipher.Seal(Bundle, "certificate/1");
        var changed = (byte[])sealedValue.Clone();
        changed[^1] ^= 1;

        Assert.ThrowsAny<CryptographicException>(() => cipher.Open(sealedValue, "certificate/2"));
        Assert.ThrowsAny<CryptographicException>(() => cipher.Open(changed, "certificate/1"));
    }

    [Fact]
    public void After_a_rotation_the_previous_key_still_opens_what_it_sealed_and_new_values_use_the_new_key()
    {
        var sealedBefore = new AtRestCipher(OldKey).Seal(Bundle, "certificate/1");
        var rotated = new AtRestCipher(NewKey, [OldKey]);

        var sealedAfter = rotated.Seal(Bundle, "certificate/1");

        Assert.Equal(Bundle, rotated.Open(sealedBefore, "certificate/1"));
        Assert.Equal(Bundle, new AtRestCipher(NewKey).Open(sealedAfter, "certificate/1"));
        Assert.ThrowsAny<CryptographicException>(() => new AtRestCipher(NewKey).Open(sealedBefore, "certificate/1"));
    }

    [Fact]
    public void Text_round_trips_and_a_value_stored_before_encryption_reads_as_it_was()
    {
        var cipher = new AtRestCipher(NewKey);

        var sealedText = cipher.SealText("{\"message\":{}}", "dead-letter/1");

        Assert.StartsWith("aesgcm1:", sealedText, StringComparison.Ordinal);
        Assert.Equal("{\"message\":{}}", cipher.OpenText(sealedText, "dead-letter/1"));
        Assert.Equal("{\"message\":{}}", cipher.OpenText("{\"message\":{}}", "dead-letter/1"));
        Assert.Equal(Bundle, cipher.Open(Bundle, "certificate/1"));
    }
}
