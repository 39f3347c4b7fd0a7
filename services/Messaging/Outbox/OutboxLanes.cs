using System.Collections.Concurrent;
using System.Reflection;
using IntegrationHub.Contracts;

namespace IntegrationHub.Messaging.Outbox;

/// <summary>
/// Which lane of the outbox a message travels in: the person it is about, from its
/// <c>Person</c> (a <see cref="PersonReference"/>) or its <c>PersonKey</c>. Messages about no person
/// share the lane with the empty key.
/// </summary>
public static class OutboxLanes
{
    private static readonly ConcurrentDictionary<Type, Func<object, string?>> Readers = new();

    public static string KeyOf(object message) => Readers.GetOrAdd(message.GetType(), ReaderFor)(message) ?? string.Empty;

    private static Func<object, string?> ReaderFor(Type type)
    {
        if (type.GetProperty("Person", BindingFlags.Public | BindingFlags.Instance) is { } person && person.PropertyType == typeof(PersonReference))
        {
            return message => (person.GetValue(message) as PersonReference)?.PersonKey;
        }

        if (type.GetProperty("PersonKey", BindingFlags.Public | BindingFlags.Instance) is { } key && key.PropertyType == typeof(string))
        {
            return message => key.GetValue(message) as string;
        }

        return _ => null;
    }
}
