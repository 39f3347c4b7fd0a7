using System.Globalization;
using System.Text.Json;
using IntegrationHub.Fhir.Definitions;

namespace IntegrationHub.Fhir.Validation;

/// <summary>
/// Validates FHIR R4 JSON against the official StructureDefinitions: element names, cardinality,
/// choice types, primitive formats, required bindings, references inside a Bundle and narrative
/// safety. Nothing here is written per element; every check reads the definitions.
/// </summary>
public sealed class FhirValidator(FhirDefinitions definitions, FhirValidationLimits limits)
{
    public FhirValidator()
        : this(FhirDefinitions.R4, new FhirValidationLimits())
    {
    }

    public FhirDefinitions Definitions => definitions;

    /// <summary>Parse with these too (<see cref="FhirJson.TryParse"/>), so one set of bounds holds for the whole request.</summary>
    public FhirValidationLimits Limits => limits;

    /// <summary>Validates one resource (a Bundle with its entries, or any vendored resource type).</summary>
    public IReadOnlyList<FhirIssue> Validate(JsonElement resource)
    {
        var walk = new Walk(definitions, limits);
        try
        {
            walk.Resource(resource, expression: null, depth: 0);
            walk.ResolveReferences();
        }
        catch (TooManyIssuesException)
        {
            walk.Issues.Add(FhirIssue.Error(IssueCode.TooCostly, $"Validation stopped after {limits.MaxIssues} issues."));
        }

        return walk.Issues;
    }

    private sealed class TooManyIssuesException : Exception;

    /// <summary>
    /// Where the walk is, as a FHIRPath-like expression (<c>Bundle.entry[1].resource.id</c>). Kept as
    /// links to the parent and written out only for an issue: most elements are valid, and a string
    /// per element was a large share of what validation allocated.
    /// </summary>
    private sealed class Expression
    {
        private readonly Expression? _parent;
        private readonly string? _member;
        private readonly int _index;

        private Expression(Expression? parent, string? member, int index)
        {
            _parent = parent;
            _member = member;
            _index = index;
        }

        public static Expression Root(string name) => new(null, name, -1);

        public Expression Member(string name) => new(this, name, -1);

        public Expression Item(int index) => new(this, null, index);

        public override string ToString()
        {
            var steps = new Stack<Expression>();
            for (var step = this; step is not null; step = step._parent)
            {
                steps.Push(step);
            }

            var text = new System.Text.StringBuilder();
            foreach (var step in steps)
            {
                if (step._member is null)
                {
                    text.Append('[').Append(step._index.ToString(CultureInfo.InvariantCulture)).Append(']');
                }
                else
                {
                    text.Append(text.Length > 0 ? "." : string.Empty).Append(step._member);
                }
            }

            return text.ToString();
        }
    }

    private sealed record RecordedReference(string Value, Expression Expression, IReadOnlyList<string> TargetTypes);

    private sealed class Walk(FhirDefinitions definitions, FhirValidationLimits limits)
    {
        private const string UnknownType = "";

        private readonly List<RecordedReference> _references = [];
        private readonly Dictionary<string, string> _resourceTypeByFullUrl = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _resourceTypeByLocalId = new(StringComparer.Ordinal);
        private readonly Stack<HashSet<string>> _names = new();
        private readonly Stack<Dictionary<ElementDefinition, string>> _elements = new();

        public List<FhirIssue> Issues { get; } = [];

        private void Report(string code, string diagnostics, Expression expression)
        {
            if (Issues.Count >= limits.MaxIssues)
            {
                throw new TooManyIssuesException();
            }

            Issues.Add(FhirIssue.Error(code, diagnostics, expression.ToString()));
        }

        public string? Resource(JsonElement json, Expression? expression, int depth)
        {
            var at = expression ?? Expression.Root("Resource");
            if (json.ValueKind != JsonValueKind.Object)
            {
                Report(IssueCode.Structure, "A resource must be a JSON object.", at);
                return null;
            }

            if (!json.TryGetProperty("resourceType", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            {
                Report(IssueCode.Required, "The resource has no resourceType.", at);
                return null;
            }

            var resourceType = typeElement.GetString()!;
            if (!definitions.Types.TryGetValue(resourceType, out var type) || !type.IsResource || resourceType is "Resource" or "DomainResource")
            {
                Report(IssueCode.NotSupported, "This resource type is not a FHIR R4 resource the hub accepts.", at.Member("resourceType"));
                return null;
            }

            ElementObject(json, type, resourceType, expression ?? Expression.Root(resourceType), depth, isResourceRoot: true);
            if (resourceType == "Bundle")
            {
                IndexBundleEntries(json, expression ?? Expression.Root(resourceType));
            }

            return resourceType;
        }

        private void ElementObject(JsonElement json, TypeDefinition type, string path, Expression expression, int depth, bool isResourceRoot = false)
        {
            if (depth > limits.MaxDepth)
            {
                Report(IssueCode.TooCostly, $"Nested deeper than {limits.MaxDepth} levels.", expression);
                return;
            }

            if (json.ValueKind != JsonValueKind.Object)
            {
                Report(IssueCode.Structure, $"Expected a JSON object ({type.Name}).", expression);
                return;
            }

            var children = type.ChildrenOf(path);
            // Rented, not new per object: a certificate has hundreds of objects, each would allocate both.
            var present = _names.TryPop(out var names) ? names : new HashSet<string>(StringComparer.Ordinal);
            var elementsPresent = _elements.TryPop(out var elements) ? elements : new Dictionary<ElementDefinition, string>(ReferenceEqualityComparer.Instance);
            try
            {
                var anyProperty = false;
                foreach (var property in json.EnumerateObject())
                {
                    anyProperty = true;
                    var name = property.Name;
                    // Before resourceType is passed over: a second resourceType would let a reader pick either.
                    if (!present.Add(name))
                    {
                        Report(IssueCode.Duplicate, $"The property '{Shown(name)}' appears more than once.", expression.Member(Shown(name)));
                        continue;
                    }

                    if (isResourceRoot && name == "resourceType")
                    {
                        continue;
                    }

                    var isPrimitiveExtension = name.Length > 1 && name[0] == '_';
                    if (!children.TryGetValue(isPrimitiveExtension ? name[1..] : name, out var child)
                        || (isPrimitiveExtension && !IsPrimitive(child.Type.Code)))
                    {
                        Report(IssueCode.Structure, $"Unknown element '{Shown(name)}' for {ElementLabel(type, path)}.", expression.Member(Shown(name)));
                        continue;
                    }

                    if (elementsPresent.TryGetValue(child.Definition, out var other) && other != name && other.TrimStart('_') != name.TrimStart('_'))
                    {
                        Report(IssueCode.Structure, $"Only one of the choices for '{child.Definition.Name}[x]' may be given.", expression.Member(name));
                        continue;
                    }

                    elementsPresent[child.Definition] = name;
                    if (isPrimitiveExtension)
                    {
                        PrimitiveExtension(child, property.Value, expression.Member(name), depth + 1);
                    }
                    else
                    {
                        Value(type, child, property.Value, expression.Member(name), depth + 1);
                    }
                }

                if (!anyProperty || (isResourceRoot && present.Count == 0))
                {
                    Report(IssueCode.Structure, "Empty objects are not allowed in FHIR JSON.", expression);
                    return;
                }

                foreach (var required in type.RequiredOf(path))
                {
                    if (!elementsPresent.ContainsKey(required))
                    {
                        var name = required.IsChoice ? $"{required.Name}[x]" : required.Name;
                        Report(IssueCode.Required, $"The element '{name}' is required (at least {required.Min}).", expression.Member(required.Name));
                    }
                }
            }
            finally
            {
                present.Clear();
                elementsPresent.Clear();
                _names.Push(present);
                _elements.Push(elementsPresent);
            }
        }

        private void Value(TypeDefinition owner, ChildElement child, JsonElement value, Expression expression, int depth)
        {
            var definition = child.Definition;
            if (definition.IsRepeating)
            {
                if (value.ValueKind != JsonValueKind.Array)
                {
                    Report(IssueCode.Structure, $"'{definition.Name}' repeats, so it must be a JSON array.", expression);
                    return;
                }

                var count = value.GetArrayLength();
                if (count == 0)
                {
                    Report(IssueCode.Structure, "Empty arrays are not allowed in FHIR JSON.", expression);
                    return;
                }

                var max = Math.Min(definition.Max ?? int.MaxValue, limits.MaxArrayLength);
                if (count > max)
                {
                    Report(
                        count > limits.MaxArrayLength ? IssueCode.TooCostly : IssueCode.Structure,
                        $"'{definition.Name}' allows at most {max} items.",
                        expression);
                    return;
                }

                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Item(owner, child, item, expression.Item(index), depth);
                    index++;
                }

                if (count < definition.Min)
                {
                    Report(IssueCode.Required, $"'{definition.Name}' needs at least {definition.Min} items.", expression);
                }

                return;
            }

            if (value.ValueKind == JsonValueKind.Array)
            {
                Report(IssueCode.Structure, $"'{definition.Name}' is a single value, not an array.", expression);
                return;
            }

            Item(owner, child, value, expression, depth);
        }

        private void Item(TypeDefinition owner, ChildElement child, JsonElement item, Expression expression, int depth)
        {
            var definition = child.Definition;
            if (definition.ContentReference is { } referencedPath)
            {
                ElementObject(item, owner, referencedPath, expression, depth);
                return;
            }

            var code = child.Type.Code;
            if (code is "BackboneElement" or "Element" && owner.ChildrenOf(definition.Path).Count > 0)
            {
                ElementObject(item, owner, definition.Path, expression, depth);
                return;
            }

            if (code == "Resource")
            {
                Resource(item, expression, depth);
                return;
            }

            if (!definitions.Types.TryGetValue(code, out var type))
            {
                Report(IssueCode.NotSupported, $"The type {code} is not supported here.", expression);
                return;
            }

            if (type.IsPrimitive)
            {
                Primitive(type, definition, item, expression);
                return;
            }

            ElementObject(item, type, type.Name, expression, depth);
            if (code == "Reference" && item.ValueKind == JsonValueKind.Object
                && item.TryGetProperty("reference", out var reference) && reference.ValueKind == JsonValueKind.String)
            {
                _references.Add(new RecordedReference(reference.GetString()!, expression.Member("reference"), child.Type.TargetProfiles));
            }

            if (definition.Binding is { Strength: "required" } binding && code is "CodeableConcept" or "Coding")
            {
                CodedBinding(binding, item, code, expression);
            }
        }

        private void PrimitiveExtension(ChildElement child, JsonElement value, Expression expression, int depth)
        {
            var element = definitions.Types["Element"];
            if (value.ValueKind == JsonValueKind.Array && child.Definition.IsRepeating)
            {
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Null)
                    {
                        ElementObject(item, element, "Element", expression.Item(index), depth);
                    }

                    index++;
                }

                return;
            }

            ElementObject(value, element, "Element", expression, depth);
        }

        private void Primitive(TypeDefinition type, ElementDefinition definition, JsonElement value, Expression expression)
        {
            var name = type.Name;
            var expected = name switch
            {
                "boolean" => "true or false",
                "integer" or "positiveInt" or "unsignedInt" or "decimal" => "a JSON number",
                _ => "a JSON string",
            };
            var kindOk = name switch
            {
                "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
                "integer" or "positiveInt" or "unsignedInt" or "decimal" => value.ValueKind == JsonValueKind.Number,
                _ => value.ValueKind == JsonValueKind.String,
            };
            if (!kindOk)
            {
                Report(IssueCode.Structure, $"A {name} must be {expected}.", expression);
                return;
            }

            var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            if (text.Length == 0)
            {
                Report(IssueCode.Value, "Empty strings are not allowed in FHIR JSON.", expression);
                return;
            }

            if (text.Length > limits.MaxStringLength)
            {
                Report(IssueCode.TooLong, $"Longer than {limits.MaxStringLength} characters.", expression);
                return;
            }

            if (name == "xhtml")
            {
                foreach (var problem in XhtmlNarrative.Check(text))
                {
                    Report(problem.Code, problem.Diagnostics, expression);
                }

                return;
            }

            if (type.PrimitivePattern is { } pattern && !pattern.IsMatch(text))
            {
                Report(IssueCode.Value, $"Not a valid {name}{FormatHint(name)}.", expression);
                return;
            }

            if (name is "date" or "dateTime" or "instant" && text.Length >= 10
                && !DateOnly.TryParseExact(text.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                Report(IssueCode.Value, $"Not a valid {name}: there is no such day.", expression);
                return;
            }

            if (name is "integer" or "positiveInt" or "unsignedInt" && !int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                Report(IssueCode.Value, $"The {name} is outside the 32-bit range.", expression);
                return;
            }

            if (definition.Binding is { Strength: "required" } binding && name == "code"
                && definitions.TryGetValueSet(binding.ValueSet, out var codes) && !codes.Any(c => c.Code == text))
            {
                var allowed = string.Join(", ", codes.Select(c => c.Code).Distinct().Take(20));
                Report(IssueCode.CodeInvalid, $"Not one of the codes allowed by {binding.ValueSet}: {allowed}.", expression);
            }
        }

        private void CodedBinding(ElementBinding binding, JsonElement item, string code, Expression expression)
        {
            if (!definitions.TryGetValueSet(binding.ValueSet, out var codes))
            {
                return;
            }

            var codings = code == "Coding"
                ? [item]
                : item.TryGetProperty("coding", out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray().ToList() : [];
            var matches = codings.Any(c =>
                c.ValueKind == JsonValueKind.Object
                && c.TryGetProperty("system", out var system) && system.ValueKind == JsonValueKind.String
                && c.TryGetProperty("code", out var value) && value.ValueKind == JsonValueKind.String
                && codes.Contains((system.GetString()!, value.GetString()!)));
            if (!matches)
            {
                Report(IssueCode.CodeInvalid, $"Needs a coding from {binding.ValueSet}.", expression);
            }
        }

        private void IndexBundleEntries(JsonElement bundle, Expression expression)
        {
            if (!bundle.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            var index = 0;
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object
                    && entry.TryGetProperty("resource", out var resource) && resource.ValueKind == JsonValueKind.Object
                    && resource.TryGetProperty("resourceType", out var type) && type.ValueKind == JsonValueKind.String)
                {
                    // An unknown type is reported where it stands; references to it are not checked twice.
                    var resourceType = definitions.Types.TryGetValue(type.GetString()!, out var known) && known.IsResource ? known.Name : UnknownType;
                    if (entry.TryGetProperty("fullUrl", out var fullUrl) && fullUrl.ValueKind == JsonValueKind.String
                        && !_resourceTypeByFullUrl.TryAdd(fullUrl.GetString()!, resourceType))
                    {
                        Report(IssueCode.Duplicate, "Every entry's fullUrl must be unique within the Bundle.", expression.Member("entry").Item(index).Member("fullUrl"));
                    }

                    if (resource.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                    {
                        _resourceTypeByLocalId.TryAdd($"{resourceType}/{id.GetString()}", resourceType);
                    }
                }

                index++;
            }
        }

        public void ResolveReferences()
        {
            foreach (var reference in _references)
            {
                if (!_resourceTypeByFullUrl.TryGetValue(reference.Value, out var targetType)
                    && !_resourceTypeByLocalId.TryGetValue(reference.Value, out targetType))
                {
                    Report(IssueCode.NotFound, "The reference does not resolve to an entry in this Bundle.", reference.Expression);
                    continue;
                }

                if (targetType != UnknownType && reference.TargetTypes.Count > 0
                    && !reference.TargetTypes.Contains("Resource") && !reference.TargetTypes.Contains(targetType))
                {
                    Report(
                        IssueCode.Invalid,
                        $"The reference points to a {targetType}; allowed here: {string.Join(", ", reference.TargetTypes)}.",
                        reference.Expression);
                }
            }
        }

        private bool IsPrimitive(string code) => definitions.Types.TryGetValue(code, out var type) && type.IsPrimitive;

        /// <summary>A caller's property name, cut short: it is echoed back in diagnostics and expressions.</summary>
        private static string Shown(string name) => name.Length <= 64 ? name : $"{name[..64]}...";

        private static string ElementLabel(TypeDefinition type, string path) => path == type.Name ? type.Name : path;

        private static string FormatHint(string name) => name switch
        {
            "date" => " (YYYY, YYYY-MM or YYYY-MM-DD)",
            "dateTime" => " (YYYY-MM-DD, or with a time: YYYY-MM-DDThh:mm:ss+zz:zz)",
            "instant" => " (YYYY-MM-DDThh:mm:ss with a time zone)",
            "id" => " (1-64 letters, digits, '-' and '.')",
            "uri" or "url" or "canonical" => " (no white space)",
            "code" => " (no leading, trailing or double white space)",
            "decimal" => " (a decimal number)",
            "positiveInt" => " (a whole number above 0)",
            "unsignedInt" => " (a whole number, 0 or above)",
            "oid" => " (urn:oid:...)",
            "uuid" => " (urn:uuid:...)",
            _ => string.Empty,
        };
    }
}
