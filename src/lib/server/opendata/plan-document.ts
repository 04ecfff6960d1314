import { parisDate } from '../../utils/dates';
import { compareFicheCodes, compareFrench } from '../../utils/text';
import { listFicheMoves } from '../authoring/revisions-repository';
import type { Executor } from '../db';
import type { FicheStatus, IndicatorKind } from '../db/schema';
import type { DashboardInput } from '../dashboard/figures';
import {
	findPlan,
	listAxes,
	listFiches,
	listObjectives,
	listOrientations
} from '../plan/repository';
import { listFicheRelations, listIndicatorSummaries, listLastUpdateDates } from './repository';

export const PLAN_SCHEMA = 'sdusn/plan@2';

/** `plan.json`, format `sdusn/plan@2` (docs/open-data.md): the plan and its current state, bounded. */
export interface PlanDocument {
	schema: typeof PLAN_SCHEMA;
	generated_at: string;
	plan: {
		title: string;
		territory: string;
		period_start: number;
		period_end: number;
		adopted_on: string;
	};
	axes: { code: string; label: string; position: number }[];
	orientations: { code: string; axis: string; label: string; position: number }[];
	objectives: { number: number; orientation: string; label: string }[];
	fiches: OpenDataFiche[];
	/** Editions only: the day the document stands at, and which edition it belongs to. */
	as_of?: string;
	edition?: { year: number; version: number };
}

export interface OpenDataIndicator {
	id: string;
	label: string;
	unit: string | null;
	target: number | null;
	/** Added after the first plan@2 files: what values the indicator takes, its target's date… */
	kind: IndicatorKind;
	target_date: string | null;
	baseline: number | null;
	baseline_date: string | null;
	/** The day it was retired (it keeps its measurements), or null while in service. */
	retired_on: string | null;
	latest: { date: string; value: number } | null;
	measurement_count: number;
}

export interface OpenDataFiche {
	code: string;
	/**
	 * Live only: the codes it had before it moved to another objective, oldest first (an edition's
	 * plan.json has none: it stands under the codes of its day).
	 */
	former_codes?: string[];
	objective: number;
	title: string;
	priority: number;
	owners: { organisation: string; scope: string | null }[];
	partners: string[];
	linked: string[];
	indicators: OpenDataIndicator[];
	status: FicheStatus;
	progress: number | null;
	last_update: string | null;
}

/**
 * The identifier of an indicator: its fiche's code and its rank in the fiche (a fiche moved to
 * another objective takes a new code, its indicators keep their ranks).
 */
export const indicatorId = (fiche: string, position: number) => `${fiche}-${position}`;

/**
 * The day an indicator was retired, in Paris: the fiche's form writes that day, an import a UTC
 * time (00:30 in Paris is the day before in UTC); in an edition, null when after its date.
 */
function retiredOn(retiredAt: string | null, asOf: string | undefined): string | null {
	const day =
		retiredAt === null || /^\d{4}-\d{2}-\d{2}$/.test(retiredAt)
			? retiredAt
			: parisDate(new Date(retiredAt));
	return day !== null && asOf !== undefined && day > asOf ? null : day;
}

/** `generated_at`'s form: UTC, to the second. */
export const toTimestamp = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');

/**
 * Builds `plan.json` from published data only. Live, `generatedAt` is when published data last
 * changed, so the same database always gives the same bytes. For an edition (`asOf`), the plan
 * without what was added to it after that day, and every fiche's
 * priority, status, progress and indicators are those in force at the end of that day (`state`:
 * the dashboard's input as of that day, read once for the whole publication).
 */
export async function buildPlanDocument(
	db: Executor,
	generatedAt: string,
	edition?: { asOf: string; state: DashboardInput; year: number; version: number }
): Promise<PlanDocument> {
	const plan = await findPlan(db);
	const [axes, orientations, objectives, fiches, relations, indicators] = [
		await listAxes(db, edition?.asOf),
		await listOrientations(db, edition?.asOf),
		await listObjectives(db, edition?.asOf),
		await listFiches(db, { asOf: edition?.asOf }),
		await listFicheRelations(db, edition?.asOf),
		await listIndicatorSummaries(db, edition?.asOf)
	];
	const lastUpdates = edition
		? new Map((await listLastUpdateDates(db, edition.asOf)).map((r) => [r.code, r.last]))
		: undefined;
	const stateByCode = edition ? new Map(edition.state.fiches.map((f) => [f.code, f])) : undefined;
	const formerCodes = edition ? undefined : await formerCodesByFiche(db);

	const group = <T extends { ficheId: number }>(rows: T[]) => {
		const map = new Map<number, T[]>();
		for (const row of rows) map.set(row.ficheId, [...(map.get(row.ficheId) ?? []), row]);
		return map;
	};
	const indicatorsByFiche = group(indicators);

	const document: PlanDocument = {
		schema: PLAN_SCHEMA,
		generated_at: toTimestamp(generatedAt),
		plan: {
			title: plan.title,
			territory: plan.territory,
			period_start: plan.periodStart,
			period_end: plan.periodEnd,
			adopted_on: plan.adoptedOn
		},
		// Positions are ranks in the plan's order, 1 to n: the stored column is an ordering key (an
		// element withdrawn since, still in a past year's edition, is kept apart far after the others).
		axes: axes.map((a, i) => ({ code: a.code, label: a.label, position: i + 1 })),
		orientations: orientations.map((o, i) => ({ ...o, position: i + 1 })),
		objectives: objectives.map((o) => ({
			number: o.number,
			orientation: o.orientation,
			label: o.label
		})),
		fiches: fiches.map((f) => {
			const then = stateByCode?.get(f.code);
			const { owners, partners, linked } = relations.get(f.id)!;
			return {
				code: f.code,
				...(formerCodes && { former_codes: formerCodes.get(f.code) ?? [] }),
				objective: f.objective,
				title: f.title,
				priority: stateByCode ? (then?.priority ?? f.priority) : f.priority,
				owners: owners
					.map((o) => ({ organisation: o.name, scope: o.scope }))
					.sort(
						(a, b) =>
							compareFrench(a.organisation, b.organisation) ||
							compareFrench(a.scope ?? '', b.scope ?? '')
					),
				partners: partners.map((p) => p.name).sort(compareFrench),
				linked: linked.map((l) => l.code).sort(compareFicheCodes),
				indicators: (indicatorsByFiche.get(f.id) ?? []).map((i) => ({
					id: indicatorId(f.code, i.position),
					label: i.label,
					unit: i.unit,
					target: i.target,
					kind: i.kind,
					target_date: i.targetDate,
					baseline: i.baseline,
					baseline_date: i.baselineDate,
					retired_on: retiredOn(i.retiredAt, edition?.asOf),
					latest: i.latest,
					measurement_count: i.count
				})),
				status: stateByCode ? (then?.status ?? 'a_lancer') : f.status,
				progress: stateByCode ? (then?.progress ?? null) : f.progress,
				last_update: lastUpdates ? (lastUpdates.get(f.code) ?? null) : f.lastUpdate
			};
		})
	};
	if (edition) {
		document.as_of = edition.asOf;
		document.edition = { year: edition.year, version: edition.version };
	}
	return document;
}

/**
 * Each moved fiche's former codes by its code now, oldest first: what the portal answers a former
 * code with (the redirect of /fiches/6-1, the search), so that a reader joins the live files to
 * an edition's, frozen under the codes of their day.
 */
async function formerCodesByFiche(db: Executor): Promise<Map<string, string[]>> {
	const codes = new Map<string, string[]>();
	// Latest first: each earlier code goes before those already met. A fiche moved back to an
	// objective takes its code there again (17-3 → 4-2 → 17-3): its code now is no former one.
	for (const { code, formerCode } of await listFicheMoves(db)) {
		const later = (codes.get(code) ?? []).filter((c) => c !== formerCode);
		codes.set(code, code === formerCode ? later : [formerCode, ...later]);
	}
	return codes;
}

export function planDocumentToJson(document: PlanDocument): string {
	return `${JSON.stringify(document)}\n`;
}
