Invariant: cert-1
Description: "The first entry is the Composition."
Severity: #error
Expression: "entry.first().resource is Composition"

Invariant: cert-2
Description: "Every fullUrl is unique within the Bundle."
Severity: #error
Expression: "entry.fullUrl.isDistinct()"

Invariant: cert-3
Description: "Exactly one Patient in the Bundle."
Severity: #error
Expression: "entry.resource.where($this is Patient).count() = 1"

Invariant: cert-4
Description: "Each section code appears at most once."
Severity: #error
Expression: "section.code.coding.code.isDistinct()"

Invariant: cert-6
Description: "One Practitioner is the author, and at most one Organization with it."
Severity: #error
Expression: "author.where(resolve() is Practitioner).count() = 1 and author.where(resolve() is Organization).count() <= 1"

Invariant: cert-7
Description: "Every reference in the certificate names an entry of the Bundle."
Severity: #error
Expression: "entry.resource.descendants().ofType(Reference).reference.all(%resource.entry.fullUrl contains $this)"

Invariant: cert-5
Description: "A correction or withdrawal names the certificate it replaces."
Severity: #error
Expression: "(status = 'amended' or status = 'entered-in-error') implies relatesTo.where(code = 'replaces').exists()"

Invariant: no-fnr-1
Description: "A fødselsnummer has 11 digits and starts with a day of 01 to 31 (the check digits and the date are checked by the hub)."
Severity: #error
Expression: "value.matches('^(0[1-9]|[12][0-9]|3[01])[0-9]{9}$')"

Invariant: no-dnr-1
Description: "A D-number has 11 digits and starts with the day plus 40, 41 to 71 (the check digits and the date are checked by the hub)."
Severity: #error
Expression: "value.matches('^(4[1-9]|[56][0-9]|7[01])[0-9]{9}$')"

Invariant: no-hpr-1
Description: "An HPR number has 1 to 9 digits."
Severity: #error
Expression: "value.matches('^[0-9]{1,9}$')"

Invariant: no-org-1
Description: "A HER-id has digits only; an organisasjonsnummer has 9."
Severity: #error
Expression: "identifier.where(system = 'urn:oid:2.16.578.1.12.4.1.2').all(value.matches('^[0-9]{1,9}$')) and identifier.where(system = 'urn:oid:2.16.578.1.12.4.1.4.101').all(value.matches('^[0-9]{9}$'))"

Invariant: no-org-2
Description: "The organisation is named by a HER-id or an organisasjonsnummer."
Severity: #error
Expression: "identifier.where(system = 'urn:oid:2.16.578.1.12.4.1.2' or system = 'urn:oid:2.16.578.1.12.4.1.4.101').exists()"

Invariant: cert-dx-1
Description: "An ICPC-2 code is a letter and two digits; an ICD-10 code a letter, two digits and optionally more."
Severity: #error
Expression: "coding.where(system = 'urn:oid:2.16.578.1.12.4.1.1.7170').all(code.matches('^[A-Z][0-9]{2}$')) and coding.where(system = 'urn:oid:2.16.578.1.12.4.1.1.7110').all(code.matches('^[A-Z][0-9]{2}(\\\\.[0-9A-Z]{1,4})?$')) and coding.where(system = 'urn:oid:2.16.578.1.12.4.1.1.7170' or system = 'urn:oid:2.16.578.1.12.4.1.1.7110').exists()"

Invariant: cert-period-1
Description: "The period has a start and an end date, and ends on or after it starts."
Severity: #error
Expression: "start.exists() and end.exists() and start.toString().length() = 10 and end.toString().length() = 10 and end >= start"

Profile: CertificateBundle
Parent: Bundle
Id: certificate-bundle
Title: "Medical certificate"
Description: "A sykmelding or legeerklæring from a GP system to IntegrationHub: a document Bundle."
* obeys cert-1 and cert-2 and cert-3 and cert-7
* identifier 1..1
* identifier.system 1..1
* identifier.value 1..1
* type = #document
* timestamp 1..1
* entry 1..*
* entry.fullUrl 1..1
* entry.resource 1..1
* entry ^slicing.discriminator.type = #type
* entry ^slicing.discriminator.path = "resource"
* entry ^slicing.rules = #closed
* entry ^slicing.description = "The certificate's resources, by type."
* entry contains
    composition 1..1 and
    patient 1..1 and
    practitioner 1..* and
    organization 0..* and
    condition 1..* and
    observation 1..1
* entry[composition].resource only CertificateComposition
* entry[patient].resource only CertificatePatient
* entry[practitioner].resource only CertificatePractitioner
* entry[organization].resource only CertificateOrganization
* entry[condition].resource only CertificateCondition
* entry[observation].resource only WorkIncapacity

Profile: CertificateComposition
Parent: Composition
Id: certificate-composition
Title: "Medical certificate: Composition"
* obeys cert-4 and cert-5 and cert-6
* status from CertificateStatuses (required)
* type.coding 1..*
* type from CertificateKinds (required)
* subject 1..1
* subject only Reference(CertificatePatient)
* author only Reference(CertificatePractitioner or CertificateOrganization)
* date 1..1
* section 2..*
* section ^slicing.discriminator.type = #pattern
* section ^slicing.discriminator.path = "code"
* section ^slicing.rules = #closed
* section contains
    diagnoses 1..1 and
    workCapacity 1..1 and
    functionalAssessment 0..1 and
    measures 0..1
* section[diagnoses].code = urn:integration-hub:fhir:certificate-section#diagnoses
* section[diagnoses].entry 1..*
* section[diagnoses].entry only Reference(CertificateCondition)
* section[workCapacity].code = urn:integration-hub:fhir:certificate-section#work-capacity
* section[workCapacity].entry 1..1
* section[workCapacity].entry only Reference(WorkIncapacity)
* section[functionalAssessment].code = urn:integration-hub:fhir:certificate-section#functional-assessment
* section[functionalAssessment].text 1..1
* section[measures].code = urn:integration-hub:fhir:certificate-section#measures
* section[measures].text 1..1

Profile: CertificatePatient
Parent: Patient
Id: certificate-patient
Title: "Medical certificate: Patient"
Description: "The person, named by exactly one fødselsnummer or D-number (HL7 Norway's no-basis identifiers)."
* identifier 1..*
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "system"
* identifier ^slicing.rules = #open
* identifier ^slicing.description = "Exactly one of fødselsnummer and D-number: cert-pid-1."
* identifier contains fnr 0..1 and dnr 0..1
* identifier[fnr].system = "urn:oid:2.16.578.1.12.4.1.4.1"
* identifier[fnr].value 1..1
* identifier[fnr] obeys no-fnr-1
* identifier[dnr].system = "urn:oid:2.16.578.1.12.4.1.4.2"
* identifier[dnr].value 1..1
* identifier[dnr] obeys no-dnr-1
* obeys cert-pid-1

Invariant: cert-pid-1
Description: "Exactly one fødselsnummer or D-number."
Severity: #error
Expression: "identifier.where(system = 'urn:oid:2.16.578.1.12.4.1.4.1' or system = 'urn:oid:2.16.578.1.12.4.1.4.2').count() = 1"

Profile: CertificatePractitioner
Parent: Practitioner
Id: certificate-practitioner
Title: "Medical certificate: the GP"
* identifier 1..*
* identifier ^slicing.discriminator.type = #value
* identifier ^slicing.discriminator.path = "system"
* identifier ^slicing.rules = #open
* identifier contains hpr 1..*
* identifier[hpr].system = "urn:oid:2.16.578.1.12.4.1.4.4"
* identifier[hpr].value 1..1
* identifier[hpr] obeys no-hpr-1

Profile: CertificateOrganization
Parent: Organization
Id: certificate-organization
Title: "Medical certificate: the GP's office"
* obeys no-org-1 and no-org-2

Profile: CertificateCondition
Parent: Condition
Id: certificate-condition
Title: "Medical certificate: diagnosis"
* code 1..1
* code obeys cert-dx-1
* subject only Reference(CertificatePatient)

Profile: WorkIncapacity
Parent: Observation
Id: work-incapacity
Title: "Medical certificate: work incapacity"
* status = #final
* code = urn:integration-hub:fhir:observation#work-incapacity
* subject 1..1
* subject only Reference(CertificatePatient)
* effective[x] 1..1
* effective[x] only Period
* effectivePeriod obeys cert-period-1
* value[x] 1..1
* value[x] only Quantity
* valueQuantity.value 1..1
* valueQuantity.value ^minValueDecimal = 0
* valueQuantity.value ^maxValueDecimal = 100
* valueQuantity.system 1..1
* valueQuantity.system = "http://unitsofmeasure.org"
* valueQuantity.code 1..1
* valueQuantity.code = #%
* valueQuantity.unit = "%"
