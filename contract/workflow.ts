/**
 * A client's day across the three services, written only against the types openapi-typescript
 * generates from the committed documents (openapi/*.json into generated/, see check.sh).
 *
 * It is compiled with `tsc --strict --noEmit` and never run: when a document changes in a way
 * that would break a generated client (a path, a field, a status or a header goes away or
 * changes type), this file stops compiling and `make contract` fails.
 *
 * 1. A commune worker registers a person, opens a case managed by a workforce facility and
 *    assigned to one of its workers, then lists the open cases of that ward.
 * 2. A province officer drafts the period's report and submits it with the ETag it got.
 * 3. The ministry pulls the disclosed indicator values, as JSON or as a DHIS2 data value set.
 */

import type { components as CasesComponents, paths as CasesPaths } from "./generated/cases";
import type {
  components as ReportingComponents,
  paths as ReportingPaths,
} from "./generated/reporting";
import type {
  components as WorkforceComponents,
  paths as WorkforcePaths,
} from "./generated/workforce";

type Cases = CasesComponents["schemas"];
type Workforce = WorkforceComponents["schemas"];
type Reporting = ReportingComponents["schemas"];

// ---- What an operation takes and answers, read off its generated type ----
// Constraints and plain indexing, not inference: a part that goes away is a compile error
// here, never a silent `never` that anything may be assigned from.

type JsonRequest = { requestBody: { content: { "application/json": unknown } } };
type JsonResponse = { headers: unknown; content: { "application/json": unknown } };

type RequestBody<Operation extends JsonRequest> =
  Operation["requestBody"]["content"]["application/json"];
type Query<Operation extends { parameters: { query?: unknown } }> = NonNullable<
  Operation["parameters"]["query"]
>;
type RequestHeaders<Operation extends { parameters: { header?: unknown } }> = NonNullable<
  Operation["parameters"]["header"]
>;
type PathParameters<Operation extends { parameters: { path: unknown } }> =
  Operation["parameters"]["path"];

/** What an HTTP layer hands back for a call: the body, and the headers the document declares. */
interface Answered<Response extends JsonResponse> {
  body: Response["content"]["application/json"];
  headers: Response["headers"];
}

/** Every error of every service is RFC 9457 problem+json; switch on `code`, never on text. */
type Problem = Cases["ProblemDetails"] | Workforce["ProblemDetails"] | Reporting["ProblemDetails"];

// ---- The operations this workflow calls ----

type CreatePerson = CasesPaths["/api/v1/persons"]["post"];
type CreateCase = CasesPaths["/api/v1/cases"]["post"];
type ListCases = CasesPaths["/api/v1/cases"]["get"];
type GetFacility = WorkforcePaths["/api/v1/facilities/{facility_id}"]["get"];
type ListWorkers = WorkforcePaths["/api/v1/workers"]["get"];
type CreateReport = ReportingPaths["/api/v1/reports"]["post"];
type SubmitReport = ReportingPaths["/api/v1/reports/{report_id}/submission"]["post"];
type ListIndicatorValues = ReportingPaths["/api/v1/ministry/indicator-values"]["get"];

/** One function per operation, as a generated client (or a thin fetch wrapper) offers them. */
export interface CasesClient {
  createPerson(
    body: RequestBody<CreatePerson>,
    headers: RequestHeaders<CreatePerson>,
  ): Promise<Answered<CreatePerson["responses"][201]>>;
  createCase(
    body: RequestBody<CreateCase>,
    headers: RequestHeaders<CreateCase>,
  ): Promise<Answered<CreateCase["responses"][201]>>;
  listCases(query: Query<ListCases>): Promise<Answered<ListCases["responses"][200]>>;
}

export interface WorkforceClient {
  getFacility(path: PathParameters<GetFacility>): Promise<Answered<GetFacility["responses"][200]>>;
  listWorkers(query: Query<ListWorkers>): Promise<Answered<ListWorkers["responses"][200]>>;
}

export interface ReportingClient {
  createReport(
    body: RequestBody<CreateReport>,
    headers: RequestHeaders<CreateReport>,
  ): Promise<Answered<CreateReport["responses"][201]>>;
  submitReport(
    path: PathParameters<SubmitReport>,
    headers: RequestHeaders<SubmitReport>,
  ): Promise<Answered<SubmitReport["responses"][200]>>;
  listIndicatorValues(
    query: Query<ListIndicatorValues>,
  ): Promise<Answered<ListIndicatorValues["responses"][200]>>;
}

// ---- 1. Register a person, open a case, list the ward's open cases ----

export interface Intake {
  person: Cases["PersonCreate"];
  facilityId: Workforce["FacilityRead"]["id"];
  intakeSource: Cases["IntakeSource"];
  riskLevel: Cases["RiskLevel"];
}

export const exampleIntake: Intake = {
  person: {
    full_name: "Nguyễn Thị Lan",
    sex: "female",
    birth_date: "2014-03-08",
    ward_code: "10525",
    categories: [],
  },
  facilityId: "5b0f3c1e-8d3a-4f57-9a53-3f0e4c6a2b10",
  intakeSource: "commune_official",
  riskLevel: "high",
};

export async function openCase(
  cases: CasesClient,
  workforce: WorkforceClient,
  intake: Intake,
  newKey: () => string,
): Promise<Cases["CaseSummary"][]> {
  const facility: Workforce["FacilityRead"] = (
    await workforce.getFacility({ facility_id: intake.facilityId })
  ).body;
  const workers: Workforce["Page_WorkerRead_"] = (
    await workforce.listWorkers({ facility_id: facility.id, status: "active", limit: 1 })
  ).body;
  const worker: Workforce["WorkerRead"] | undefined = workers.items[0];

  // A retry of a create carries the same Idempotency-Key and gets the first answer back.
  const registered = await cases.createPerson(intake.person, { "Idempotency-Key": newKey() });
  const person: Cases["PersonRead"] = registered.body;

  const request: Cases["CaseCreate"] = {
    person_id: person.id,
    intake_source: intake.intakeSource,
    risk_level: intake.riskLevel,
    managing_facility_id: facility.id,
    assigned_worker_id: worker?.id ?? null,
  };
  const opened = await cases.createCase(request, { "Idempotency-Key": newKey() });
  const created: Cases["CaseRead"] = opened.body;
  const stage: Cases["Stage"] = created.stage;
  if (stage !== "intake") {
    throw new Error(`a new case starts at intake, not ${stage}`);
  }

  const open: Cases["CaseSummary"][] = [];
  let cursor: string | undefined;
  do {
    const page: Cases["Page_CaseSummary_"] = (
      await cases.listCases({
        ward_code: person.ward_code,
        status: "active",
        sort: "-opened_date",
        limit: 50,
        cursor,
      })
    ).body;
    open.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
  return open;
}

// ---- 2. Draft the period's report, then submit that version of it ----

export async function draftAndSubmit(
  reporting: ReportingClient,
  planId: Reporting["PlanRead"]["id"],
  period: Reporting["ReportCreate"]["period"],
  newKey: () => string,
): Promise<Reporting["ReportRead"]> {
  const draft = await reporting.createReport(
    { plan_id: planId, period },
    { "Idempotency-Key": newKey() },
  );
  const report: Reporting["ReportRead"] = draft.body;
  if (report.status !== "draft" || !report.complete) {
    // A source that could not answer is named; such a draft is recomputed, not submitted.
    throw new Error(`not ready to submit: ${report.missing_sources.join(", ")}`);
  }
  const etag: string = draft.headers.ETag;
  const submitted = await reporting.submitReport({ report_id: report.id }, { "If-Match": etag });
  const status: Reporting["ReportRead"]["status"] = submitted.body.status;
  if (status !== "submitted") {
    throw new Error(`expected a submitted report, got ${status}`);
  }
  return submitted.body;
}

export function unmetTargets(report: Reporting["ReportRead"]): Reporting["IndicatorValue"][] {
  return report.values.filter((value: Reporting["IndicatorValue"]) => value.met === false);
}

// ---- 3. The ministry's pull of indicator values ----

export type MinistryValues = Reporting["IndicatorValues"] | Reporting["DataValueSet"];

export async function pullIndicatorValues(
  reporting: ReportingClient,
  period: string,
  changedSince: string | undefined,
): Promise<Reporting["OutboundValue"][]> {
  const answer: MinistryValues = (
    await reporting.listIndicatorValues({ period, format: "json", changed_since: changedSince })
  ).body;
  if (!("items" in answer)) {
    throw new Error("asked for JSON, got a DHIS2 data value set");
  }
  return answer.items.filter((value: Reporting["OutboundValue"]) => value.suppressed.length === 0);
}

export async function pullDataValueSet(
  reporting: ReportingClient,
  period: string,
): Promise<Reporting["DataValueSet"]["dataValues"]> {
  const answer: MinistryValues = (
    await reporting.listIndicatorValues({ period, format: "dhis2" })
  ).body;
  return "dataValues" in answer ? answer.dataValues : [];
}

// ---- Problems ----

export function explain(problem: Problem): string {
  const fields = (problem.errors ?? []).map((error) => `${error.loc.join(".")}: ${error.msg}`);
  return [`${problem.status} ${problem.code}: ${problem.detail}`, ...fields].join("\n");
}
