using IntegrationHub.Fhir.Validation;
using IntegrationHub.GpCertificates.Domain;
using IntegrationHub.GpCertificates.Persistence;
using IntegrationHub.GpCertificates.Profile;
using IntegrationHub.GpCertificates.Translation;
using IntegrationHub.GpCertificates.Validation;
using IntegrationHub.Messaging.Auditing;
using IntegrationHub.Messaging.Auth;
using IntegrationHub.Messaging.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace IntegrationHub.GpCertificates.Endpoints;

/// <summary>The FHIR endpoints of the certificate profile: every answer, good or bad, is an OperationOutcome.</summary>
public static class FhirBundleEndpoints
{
    public static IEndpointRouteBuilder MapFhirBundles(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/fhir/Bundle", ReceiveAsync)
            .RequireHubRoles(HubRoles.GpSystem)
            .Produces(StatusCodes.Status201Created, contentType: OperationOutcomes.ContentType)
            .Produces(StatusCodes.Status200OK, contentType: OperationOutcomes.ContentType)
            .Produces(StatusCodes.Status422UnprocessableEntity, contentType: OperationOutcomes.ContentType)
            .WithTags("FHIR")
            .WithName("ReceiveCertificate")
            .WithSummary("A GP system sends a medical certificate (sykmelding or legeerklæring) as a FHIR R4 document Bundle.");

        endpoints.MapGet("/fhir/Bundle/{id}", ReadAsync)
            .RequireHubRoles(HubRoles.GpSystem)
            .Produces(StatusCodes.Status200OK, contentType: OperationOutcomes.ContentType)
            .WithTags("FHIR")
            .WithName("ReadCertificate")
            .WithSummary("The stored Bundle, as it was received, for the GP organisation that sent it.");

        endpoints.MapGet("/fhir/metadata", () => Results.Bytes(HubCapabilities.Json, OperationOutcomes.ContentType))
            .AllowAnonymous()
            .WithTags("FHIR")
            .WithName("FhirCapabilities")
            .WithSummary("CapabilityStatement: FHIR 4.0.1, JSON, Bundle create and read, the certificate profile.");

        endpoints.MapGet("/fhir/{type}/{id}", ReadDefinition)
            .AllowAnonymous()
            .Produces(StatusCodes.Status200OK, contentType: OperationOutcomes.ContentType)
            .WithTags("FHIR")
            .WithName("ReadProfileDefinition")
            .WithSummary("The certificate profile's StructureDefinitions, ValueSets and CodeSystems, for GP vendors' own validation.");
        return endpoints;
    }

    // Route order puts /fhir/Bundle/{id} first; any other type is one of the profile's conformance resources or nothing.
    private static IResult ReadDefinition(string type, string id) =>
        ProfileDefinitions.All.TryGetValue($"{type}/{id}", out var json)
            ? Results.Bytes(json, OperationOutcomes.ContentType)
            : Outcome(StatusCodes.Status404NotFound, new FhirIssue(IssueSeverity.Error, IssueCode.NotFound, $"No {type} with this id is published here."));

    private static IResult Outcome(int status, params FhirIssue[] issues) => new FhirResult(status, OperationOutcomes.From(issues));

    // The answers to every accepted and every repeated certificate are the same bytes: written once.
    private static readonly IResult Accepted = Outcome(StatusCodes.Status201Created, new FhirIssue(
        IssueSeverity.Information, IssueCode.Informational, "The certificate is accepted and will be routed to those who may receive it."));

    private static readonly IResult AcceptedEarlier = Outcome(StatusCodes.Status200OK, new FhirIssue(
        IssueSeverity.Information, IssueCode.Informational, "This certificate was accepted earlier; nothing new is routed."));

    private sealed class FhirResult(int status, byte[] body) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = OperationOutcomes.ContentType;
            await httpContext.Response.Body.WriteAsync(body);
        }
    }

    private static async Task<IResult> ReceiveAsync(
        HttpContext http,
        FhirValidator validator,
        CertificateProfile profile,
        CertificateIntake intake,
        CertificateMetrics metrics,
        IOptions<GpCertificatesOptions> options,
        CancellationToken cancellationToken)
    {
        if (!IsFhirJson(http.Request.ContentType))
        {
            metrics.Record("rejected", "content-type");
            return Outcome(StatusCodes.Status415UnsupportedMediaType, FhirIssue.Error(
                IssueCode.NotSupported, "Send the Bundle as application/fhir+json."));
        }

        var body = await ReadBodyAsync(http.Request, options.Value.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            metrics.Record("rejected", "too-large");
            return Outcome(StatusCodes.Status413PayloadTooLarge, FhirIssue.Error(
                IssueCode.TooLong, $"The body is larger than {options.Value.MaxBodyBytes} bytes."));
        }

        if (!FhirJson.TryParse(body.Value, validator.Limits, out var json, out var parseProblem))
        {
            metrics.Record("rejected", "not-json");
            return Outcome(StatusCodes.Status400BadRequest, parseProblem!);
        }

        using (json)
        {
            var root = json!.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object || CertificateDocument.Text(root, "resourceType") is not { } resourceType)
            {
                metrics.Record("rejected", "not-fhir");
                return Outcome(StatusCodes.Status400BadRequest, FhirIssue.Error(
                    IssueCode.Structure, "The body is not a FHIR resource (no resourceType).", "resourceType"));
            }

            if (resourceType != "Bundle")
            {
                metrics.Record("rejected", "not-bundle");
                return Outcome(StatusCodes.Status422UnprocessableEntity, FhirIssue.Error(
                    IssueCode.NotSupported, "Only document Bundles are accepted here.", "resourceType"));
            }

            var issues = validator.Validate(root);
            if (issues.Count > 0)
            {
                metrics.Record("rejected", "fhir");
                return Outcome(StatusCodes.Status422UnprocessableEntity, [.. issues]);
            }

            // The document view and the profile rules assume what generic validation has just proven.
            var document = new CertificateDocument(root);
            issues = profile.Check(document);
            if (issues.Count > 0)
            {
                metrics.Record("rejected", "profile");
                return Outcome(StatusCodes.Status422UnprocessableEntity, [.. issues]);
            }

            var result = await intake.AcceptAsync(document, body.Value, CanonicalJson.Hash(root), http.User, cancellationToken);
            var location = result.CertificateId is { } id ? $"/fhir/Bundle/{id}" : null;
            if (location is not null)
            {
                http.Response.Headers.Location = location;
            }

            switch (result.Outcome)
            {
                case IntakeOutcome.Accepted:
                    metrics.Record("accepted", $"status-{document.Status}");
                    return Accepted;
                case IntakeOutcome.Duplicate:
                    metrics.Record("duplicate", "same-content");
                    return AcceptedEarlier;
                case IntakeOutcome.Conflict:
                    metrics.Record("rejected", "conflict");
                    return Outcome(StatusCodes.Status409Conflict, result.Issue!);
                case IntakeOutcome.SenderMismatch:
                    metrics.Record("rejected", "sender");
                    return Outcome(StatusCodes.Status403Forbidden, result.Issue!);
                default:
                    metrics.Record("rejected", "unknown-replaced");
                    return Outcome(StatusCodes.Status422UnprocessableEntity, result.Issue!);
            }
        }
    }

    private static async Task<IResult> ReadAsync(
        string id, HttpContext http, CertificatesDbContext db, AtRestCipher cipher, TimeProvider time, CancellationToken cancellationToken)
    {
        var certificate = Guid.TryParse(id, out var certificateId)
            ? await db.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Id == certificateId, cancellationToken)
            : null;
        if (certificate is null)
        {
            return Outcome(StatusCodes.Status404NotFound, FhirIssue.Error(IssueCode.NotFound, "No certificate with this id."));
        }

        var allowed = certificate.SenderParty == http.User.HubParty();
        db.AuditRead(http.User, certificate.PersonKey, $"fhir/Bundle/{certificate.Id}", "read a sent certificate", allowed, time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return allowed
            ? Results.Bytes(cipher.Open(certificate.Body, StoredCertificate.BoundTo(certificate.Id)), OperationOutcomes.ContentType)
            : Outcome(StatusCodes.Status403Forbidden, FhirIssue.Error(IssueCode.Forbidden, "Only the organisation that sent a certificate may read it here."));
    }

    private static bool IsFhirJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Value is "application/fhir+json" or "application/json"
        && (parsed.Charset.Value is null || parsed.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads at most <paramref name="limit"/> bytes; null when the body is larger.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        if (request.ContentLength is { } length)
        {
            // The usual case: one array of the announced size, no growing buffer and no copy.
            var body = new byte[length];
            var filled = 0;
            int got;
            while (filled < body.Length && (got = await request.Body.ReadAsync(body.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += got;
            }

            // HTTP framing ends the body at its Content-Length; the server refuses a shorter one.
            return filled == body.Length ? body : null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
