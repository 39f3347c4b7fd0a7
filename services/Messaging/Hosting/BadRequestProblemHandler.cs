using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.Messaging.Hosting;

/// <summary>
/// A body that cannot be read (not JSON, wrong shapes, too large) is the caller's mistake: it
/// answers with the request's own status and a problem detail that says what is wrong, never 500.
/// </summary>
public sealed class BadRequestProblemHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public static bool IsCallerMistake(Exception exception) => exception is BadHttpRequestException;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        httpContext.Response.StatusCode = badRequest.StatusCode;
        var detail = badRequest.InnerException is JsonException json
            ? $"The request body is not valid JSON for this endpoint: {json.Message}"
            : badRequest.Message;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = badRequest.StatusCode,
                Title = "The request could not be read.",
                Detail = detail,
            },
        });
    }
}
