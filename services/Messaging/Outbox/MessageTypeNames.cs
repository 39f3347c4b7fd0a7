using System.Collections.Concurrent;
using MassTransit;

namespace IntegrationHub.Messaging.Outbox;

/// <summary>Maps stored type names (outbox) and MassTransit message urns (dead letters) back to CLR types.</summary>
public static class MessageTypeNames
{
    private static readonly ConcurrentDictionary<string, Type?> ByName = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Type?> ByUrn = new(StringComparer.Ordinal);

    public static string NameOf(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    public static Type Resolve(string name) =>
        ByName.GetOrAdd(name, n => Type.GetType(n, throwOnError: false))
        ?? throw new InvalidOperationException($"Message type '{name}' is not known to this process.");

    public static Type? ResolveUrn(string urn) =>
        ByUrn.GetOrAdd(urn, u => AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic)
            .SelectMany(SafeExportedTypes)
            .FirstOrDefault(t => t is { IsClass: true, IsGenericTypeDefinition: false } && MessageUrn.ForTypeString(t) == u));

    private static IEnumerable<Type> SafeExportedTypes(System.Reflection.Assembly assembly)
    {
        try
        {
            return assembly.GetExportedTypes();
        }
        catch (Exception ex) when (ex is NotSupportedException or System.Reflection.ReflectionTypeLoadException or FileNotFoundException)
        {
            return [];
        }
    }
}
