using System.Text.RegularExpressions;

namespace IntegrationHub.Fhir.Identifiers;

public enum DiagnosisCodeSystem
{
    Icpc2,
    Icd10,
}

/// <summary>
/// The shape of a diagnosis code: ICPC-2 (GPs; chapter letter + two digits, e.g. P15) or ICD-10
/// (letter + two digits, then optionally a dot and up to four more characters, e.g. F10.2).
/// Only the shape is checked; the hub does not carry the code lists.
/// </summary>
public sealed partial record DiagnosisCode
{
    public const string Icpc2System = "urn:oid:2.16.578.1.12.4.1.1.7170";
    public const string Icd10System = "urn:oid:2.16.578.1.12.4.1.1.7110";

    private DiagnosisCode(DiagnosisCodeSystem codeSystem, string code)
    {
        CodeSystem = codeSystem;
        Code = code;
    }

    public DiagnosisCodeSystem CodeSystem { get; }

    public string Code { get; }

    public string System => CodeSystem == DiagnosisCodeSystem.Icpc2 ? Icpc2System : Icd10System;

    public static bool TryParse(string? system, string? code, out DiagnosisCode? diagnosis, out string error)
    {
        diagnosis = null;
        switch (system)
        {
            case Icpc2System when code is not null && Icpc2Shape().IsMatch(code):
                diagnosis = new DiagnosisCode(DiagnosisCodeSystem.Icpc2, code);
                break;
            case Icpc2System:
                error = "An ICPC-2 code is a chapter letter (A, B, D, F, H, K, L, N, P, R, S, T, U, W, X, Y, Z) and two digits, e.g. P15.";
                return false;
            case Icd10System when code is not null && Icd10Shape().IsMatch(code):
                diagnosis = new DiagnosisCode(DiagnosisCodeSystem.Icd10, code);
                break;
            case Icd10System:
                error = "An ICD-10 code is a letter and two digits, optionally a dot and up to four more characters, e.g. F10.2.";
                return false;
            default:
                error = $"The code system must be ICPC-2 ({Icpc2System}) or ICD-10 ({Icd10System}).";
                return false;
        }

        error = string.Empty;
        return true;
    }

    [GeneratedRegex("^[ABDFHKLNPRSTUWXYZ][0-9]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex Icpc2Shape();

    [GeneratedRegex("^[A-Z][0-9]{2}(\\.?[0-9A-Z]{1,4})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Icd10Shape();
}
