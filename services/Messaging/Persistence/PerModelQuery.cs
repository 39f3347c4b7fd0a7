using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Metadata;

namespace IntegrationHub.Messaging.Persistence;

/// <summary>
/// An EF compiled query, compiled once for each model it meets. EF binds a compiled query to the
/// first model it runs with, and one context type has a model per provider: SQLite in one test,
/// PostgreSQL in the next, in one process.
/// </summary>
/// <typeparam name="TQuery">The delegate <c>EF.CompileAsyncQuery</c> answers.</typeparam>
public sealed class PerModelQuery<TQuery>
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _compiled = new();
    private readonly ConditionalWeakTable<IModel, TQuery>.CreateValueCallback _compile;

    public PerModelQuery(Func<TQuery> compile) => _compile = _ => compile();

    /// <summary>The query compiled for <paramref name="model"/> (a context's <c>Model</c>).</summary>
    public TQuery For(IModel model) => _compiled.GetValue(model, _compile);
}
