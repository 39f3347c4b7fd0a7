CodeSystem: CertificateKind
Id: certificate-kind
Title: "Kind of medical certificate"
Description: "Sykmelding or legeerklæring."
* ^url = "urn:integration-hub:fhir:certificate-kind"
* ^caseSensitive = true
* ^content = #complete
* #sykmelding "Sykmelding"
* #legeerklaering "Legeerklæring ved arbeidsuførhet"

ValueSet: CertificateKinds
Id: certificate-kinds
Title: "Kinds of medical certificate"
* ^url = "https://integration-hub.no/fhir/ValueSet/certificate-kinds"
* include codes from system urn:integration-hub:fhir:certificate-kind

CodeSystem: CertificateSection
Id: certificate-section
Title: "Section of a medical certificate"
* ^url = "urn:integration-hub:fhir:certificate-section"
* ^caseSensitive = true
* ^content = #complete
* #diagnoses "Diagnoses"
* #work-capacity "Work capacity"
* #functional-assessment "Functional assessment"
* #measures "Measures"

CodeSystem: HubObservation
Id: hub-observation
Title: "Observations in a medical certificate"
* ^url = "urn:integration-hub:fhir:observation"
* ^caseSensitive = true
* ^content = #complete
* #work-incapacity "Work incapacity"

ValueSet: CertificateStatuses
Id: certificate-statuses
Title: "Status of a medical certificate"
Description: "Final, amended (a correction) or entered-in-error (a withdrawal)."
* ^url = "https://integration-hub.no/fhir/ValueSet/certificate-statuses"
* $compositionStatus#final
* $compositionStatus#amended
* $compositionStatus#entered-in-error
