using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace IntegrationHub.Messaging.Hosting;

public sealed class RequestBodyOptions
{
    public const string Section = "Hub:Requests";

    /// <summary>Largest body of a POST or PUT; an endpoint may set its own (<see cref="IRequestSizeLimitMetadata"/>).</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Deepest nesting of objects and arrays in a JSON body; no party's shape comes near it.</summary>
    public int MaxJsonDepth { get; set; } = 32;
}

/// <summary>
/// Checks every JSON body before an endpoint sees it: its size, that it is UTF-8, well-formed JSON,
/// not nested too deep and without a key twice in one object. A body that fails is the caller's
/// mistake and gets 413, 415 or 400 with problem details, so no endpoint meets bytes it cannot
/// read and nothing is half-stored. Two paths read their bodies themselves: <c>/fhir</c> answers
/// with an OperationOutcome from its own reader, and the staff pages post forms.
/// </summary>
public sealed class RequestBodyGuard(RequestDelegate next, RequestBodyOptions options)
{
    public async Task InvokeAsync(HttpContext http, IProblemDetailsService problems)
    {
        var request = http.Request;
        if (!HttpMethods.IsPost(request.Method) && !HttpMethods.IsPut(request.Method) && !HttpMethods.IsPatch(request.Method))
        {
            await next(http);
            return;
        }

        if (request.Path.StartsWithSegments("/sider", StringComparison.Ordinal) || request.Path.StartsWithSegments("/fhir", StringComparison.Ordinal))
        {
            await next(http);
            return;
        }

        var limit = http.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? options.MaxBodyBytes;
        if (request.ContentLength is > 0 && request.ContentLength > limit)
        {
            await RefuseAsync(http, problems, StatusCodes.Status413PayloadTooLarge, "The body is too large.", $"At most {limit} bytes.");
            return;
        }

        var body = await ReadUpToAsync(request.Body, limit, http.RequestAborted);
        if (body is null)
        {
            await RefuseAsync(http, problems, StatusCodes.Status413PayloadTooLarge, "The body is too large.", $"At most {limit} bytes.");
            return;
        }

        if (body.Length > 0)
        {
            if (!IsJson(request.ContentType))
            {
                await RefuseAsync(http, problems, StatusCodes.Status415UnsupportedMediaType, "The body must be JSON.", "Send it as application/json.");
                return;
            }

            if (Problem(body, options.MaxJsonDepth) is { } detail)
            {
                await RefuseAsync(http, problems, StatusCodes.Status400BadRequest, "The request body is not valid JSON.", detail);
                return;
            }
        }

        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
        await next(http);
    }

    /// <summary>What is wrong with the body as JSON, or null when it is sound.</summary>
    public static string? Problem(byte[] body, int maxDepth)
    {
        if (!Utf8.IsValid(body))
        {
            return "The body is not valid UTF-8.";
        }

        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = maxDepth, AllowDuplicateProperties = false });
            return null;
        }
        catch (JsonException e)
        {
            // The reader's message names the line and byte, never the content.
            return e.Message;
        }
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null
        && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>The whole body, or null when it is longer than <paramref name="limit"/> (read no further than that).</summary>
    private static async Task<byte[]?> ReadUpToAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private static async Task RefuseAsync(HttpContext http, IProblemDetailsService problems, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}

public static class RequestBodyGuardExtensions
{
    public static IApplicationBuilder UseRequestBodyGuard(this IApplicationBuilder app, RequestBodyOptions options) =>
        app.UseMiddleware<RequestBodyGuard>(options);
}
