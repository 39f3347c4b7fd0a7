using System.Xml;

namespace IntegrationHub.Fhir.Validation;

/// <summary>
/// The FHIR narrative rules: well-formed XHTML in a <c>div</c> in the XHTML namespace, with no
/// scripts, forms, frames, objects, head or body, no event attributes and no script URLs.
/// </summary>
public static class XhtmlNarrative
{
    private const string XhtmlNamespace = "http://www.w3.org/1999/xhtml";

    private static readonly HashSet<string> ForbiddenElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "noscript", "style", "form", "input", "button", "select", "textarea", "object", "embed", "applet",
        "iframe", "frame", "frameset", "base", "link", "meta", "head", "body", "html", "svg", "math",
    };

    public static IEnumerable<FhirIssue> Check(string xhtml)
    {
        var problems = new List<FhirIssue>();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 1_000_000 };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xhtml), settings);
            var first = true;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (first && (reader.LocalName != "div" || reader.NamespaceURI != XhtmlNamespace))
                {
                    problems.Add(FhirIssue.Error(IssueCode.Value, "The narrative must be a <div> in the XHTML namespace."));
                }

                first = false;
                if (reader.NamespaceURI != XhtmlNamespace || ForbiddenElements.Contains(reader.LocalName))
                {
                    problems.Add(FhirIssue.Error(IssueCode.Security, $"The narrative may not contain <{reader.LocalName}>."));
                }

                while (reader.MoveToNextAttribute())
                {
                    if (reader.LocalName.StartsWith("on", StringComparison.OrdinalIgnoreCase))
                    {
                        problems.Add(FhirIssue.Error(IssueCode.Security, "The narrative may not contain event attributes."));
                    }
                    else if (reader.LocalName is "href" or "src"
                             && reader.Value.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
                    {
                        problems.Add(FhirIssue.Error(IssueCode.Security, "The narrative may not contain script links."));
                    }
                }
            }
        }
        catch (XmlException)
        {
            problems.Add(FhirIssue.Error(IssueCode.Value, "The narrative is not well-formed XHTML."));
        }

        return problems;
    }
}
