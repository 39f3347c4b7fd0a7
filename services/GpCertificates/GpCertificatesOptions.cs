namespace IntegrationHub.GpCertificates;

public sealed class GpCertificatesOptions
{
    public const string Section = "GpCertificates";

    /// <summary>Largest accepted body; a certificate is a few kilobytes.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;
}
