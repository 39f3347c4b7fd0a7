using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace IntegrationHub.Fhir.Definitions;

public sealed record ElementType(string Code, IReadOnlyList<string> TargetProfiles);

public sealed record ElementBinding(string Strength, string ValueSet);

/// <summary>One element of a StructureDefinition snapshot, reduced to what validation needs.</summary>
public sealed record ElementDefinition(
    string Path,
    int Min,
    int? Max,
    IReadOnlyList<ElementType> Types,
    string? ContentReference,
    ElementBinding? Binding)
{
    public bool IsRepeating => Max is null or > 1;

    public bool IsChoice => Path.EndsWith("[x]", StringComparison.Ordinal);

    /// <summary>The JSON property name, without the choice suffix.</summary>
    public string Name { get; } = Path[(Path.LastIndexOf('.') + 1)..].Replace("[x]", string.Empty, StringComparison.Ordinal);
}

/// <summary>A JSON property an element can appear as; a choice element gives one per type (valueQuantity, valueString).</summary>
public sealed record ChildElement(ElementDefinition Definition, ElementType Type);

public sealed class TypeDefinition
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, ChildElement>> _childrenByPath;
    private readonly FrozenDictionary<string, ElementDefinition[]> _requiredByPath;

    internal TypeDefinition(string name, string kind, Regex? primitivePattern, IReadOnlyList<ElementDefinition> elements)
    {
        Name = name;
        Kind = kind;
        PrimitivePattern = primitivePattern;
        Elements = elements.ToFrozenDictionary(e => e.Path, StringComparer.Ordinal);
        _childrenByPath = elements
            .Where(e => e.Path.Contains('.', StringComparison.Ordinal))
            .GroupBy(e => e.Path[..e.Path.LastIndexOf('.')], StringComparer.Ordinal)
            .ToFrozenDictionary(
                g => g.Key,
                g => g.SelectMany(ChildNames).ToFrozenDictionary(c => c.JsonName, c => c.Child, StringComparer.Ordinal),
                StringComparer.Ordinal);
        _requiredByPath = _childrenByPath.ToFrozenDictionary(
            p => p.Key,
            p => p.Value.Values.Select(c => c.Definition).Distinct(ReferenceEqualityComparer.Instance).Cast<ElementDefinition>().Where(d => d.Min > 0).ToArray(),
            StringComparer.Ordinal);
    }

    public string Name { get; }

    /// <summary>primitive-type, complex-type or resource.</summary>
    public string Kind { get; }

    public bool IsPrimitive => Kind == "primitive-type";

    public bool IsResource => Kind == "resource";

    /// <summary>The official regular expression of a primitive type's value, anchored.</summary>
    public Regex? PrimitivePattern { get; }

    public FrozenDictionary<string, ElementDefinition> Elements { get; }

    public IReadOnlyDictionary<string, ChildElement> ChildrenOf(string path) =>
        _childrenByPath.TryGetValue(path, out var children) ? children : FrozenDictionary<string, ChildElement>.Empty;

    /// <summary>The children of <paramref name="path"/> with a minimum above 0, each once (a choice is one element).</summary>
    public ReadOnlySpan<ElementDefinition> RequiredOf(string path) =>
        _requiredByPath.TryGetValue(path, out var required) ? required : [];

    private static IEnumerable<(string JsonName, ChildElement Child)> ChildNames(ElementDefinition element)
    {
        if (!element.IsChoice)
        {
            var type = element.Types.Count > 0 ? element.Types[0] : new ElementType("BackboneElement", []);
            yield return (element.Name, new ChildElement(element, type));
            yield break;
        }

        foreach (var type in element.Types)
        {
            yield return (element.Name + char.ToUpperInvariant(type.Code[0]) + type.Code[1..], new ChildElement(element, type));
        }
    }
}

/// <summary>The vendored subset of the official FHIR R4 definitions (see Definitions/README.md).</summary>
public sealed class FhirDefinitions
{
    private readonly FrozenDictionary<string, FrozenSet<(string System, string Code)>> _valueSets;

    private FhirDefinitions(
        string fhirVersion,
        FrozenDictionary<string, TypeDefinition> types,
        FrozenDictionary<string, FrozenSet<(string System, string Code)>> valueSets)
    {
        FhirVersion = fhirVersion;
        Types = types;
        _valueSets = valueSets;
    }

    public static FhirDefinitions R4 { get; } = Load();

    public string FhirVersion { get; }

    public FrozenDictionary<string, TypeDefinition> Types { get; }

    /// <summary>Codes of a required value set; false for a value set that could not be expanded (external code systems).</summary>
    public bool TryGetValueSet(string url, out FrozenSet<(string System, string Code)> codes) => _valueSets.TryGetValue(url, out codes!);

    private static FhirDefinitions Load()
    {
        using var stream = typeof(FhirDefinitions).Assembly.GetManifestResourceStream("r4-subset.json")
            ?? throw new InvalidOperationException("The embedded FHIR definitions are missing.");
        using var json = JsonDocument.Parse(stream);
        var root = json.RootElement;

        var types = new Dictionary<string, TypeDefinition>(StringComparer.Ordinal);
        foreach (var type in root.GetProperty("types").EnumerateObject())
        {
            var kind = type.Value.GetProperty("kind").GetString()!;
            var regex = type.Value.TryGetProperty("regex", out var r) && r.ValueKind == JsonValueKind.String
                ? new Regex($"^(?:{r.GetString()})\\z", RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1))
                : null;
            var elements = type.Value.GetProperty("elements").EnumerateArray().Select(ReadElement).ToList();
            types[type.Name] = new TypeDefinition(type.Name, kind, regex, elements);
        }

        var valueSets = root.GetProperty("valueSets").EnumerateObject().ToFrozenDictionary(
            vs => vs.Name,
            vs => vs.Value.EnumerateArray().Select(c => (c.GetProperty("system").GetString()!, c.GetProperty("code").GetString()!)).ToFrozenSet(),
            StringComparer.Ordinal);

        return new FhirDefinitions(root.GetProperty("fhirVersion").GetString()!, types.ToFrozenDictionary(StringComparer.Ordinal), valueSets);
    }

    private static ElementDefinition ReadElement(JsonElement element)
    {
        var max = element.GetProperty("max").GetString();
        var types = element.TryGetProperty("types", out var t)
            ? t.EnumerateArray().Select(x => new ElementType(
                x.GetProperty("code").GetString()!,
                x.TryGetProperty("targetProfiles", out var p) ? p.EnumerateArray().Select(v => v.GetString()!).ToList() : [])).ToList()
            : [];
        ElementBinding? binding = element.TryGetProperty("binding", out var b)
            ? new ElementBinding(b.GetProperty("strength").GetString()!, b.GetProperty("valueSet").GetString()!)
            : null;
        return new ElementDefinition(
            element.GetProperty("path").GetString()!,
            element.GetProperty("min").GetInt32(),
            max == "*" ? null : int.Parse(max!, System.Globalization.CultureInfo.InvariantCulture),
            types,
            element.TryGetProperty("contentReference", out var c) ? c.GetString() : null,
            binding);
    }
}
