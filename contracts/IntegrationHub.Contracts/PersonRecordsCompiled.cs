namespace IntegrationHub.Contracts;

/// <summary>
/// One module's answer to an access request: everything it holds about the person as of
/// <paramref name="CompiledAt"/>, in plain bokmål, sealed with the hub's secret (never in clear on the bus).
/// </summary>
/// <param name="Module">The module's name, e.g. gp-certificates.</param>
public sealed record PersonRecordsCompiled(Guid RequestId, PersonReference Person, string Module, string SealedRecords, DateTimeOffset CompiledAt);
