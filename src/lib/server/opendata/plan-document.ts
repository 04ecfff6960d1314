import { stringify } from 'csv-stringify/sync';
import { compareFicheCodes, compareFrench } from '../../utils/text';
import { csvText } from '../csv';
import type { Db } from '../db';
import { getDataRevision } from '../db/revision';
import type { FicheStatus } from '../db/schema';
import {
	findPlan,
	listAxes,
	listFiches,
	listIndicatorsWithMeasurements,
	listObjectives,
	listOrientations
} from '../plan/repository';

export const PLAN_SCHEMA = 'sdusn/plan@1';

/** The open-data document, format `sdusn/plan@1` (shared/spec/open-data.md). */
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
}

export interface OpenDataFiche {
	code: string;
	objective: number;
	title: string;
	priority: number;
	owners: { organisation: string; scope: string | null }[];
	partners: string[];
	linked: string[];
	indicators: {
		label: string;
		unit: string | null;
		target: number | null;
		measurements: { date: string; value: number }[];
	}[];
	status: FicheStatus;
	progress: number | null;
	last_update: string | null;
}

/**
 * Builds the document from published data only. `generated_at` is the time published data last
 * changed, so the same database always gives the same bytes (endpoint, CSV and command agree).
 */
export async function buildPlanDocument(db: Db): Promise<PlanDocument> {
	const plan = await findPlan(db);
	const [axes, orientations, objectives, fiches, revision] = [
		await listAxes(db),
		await listOrientations(db),
		await listObjectives(db),
		await listFiches(db),
		await getDataRevision(db)
	];
	const owners = await db
		.selectFrom('fiche_owner')
		.innerJoin('organisation', 'organisation.id', 'fiche_owner.organisation_id')
		.select(['fiche_owner.fiche_id', 'organisation.name', 'fiche_owner.scope'])
		.execute();
	const partners = await db
		.selectFrom('fiche_partner')
		.innerJoin('organisation', 'organisation.id', 'fiche_partner.organisation_id')
		.select(['fiche_partner.fiche_id', 'organisation.name'])
		.execute();
	const links = await db
		.selectFrom('fiche_link')
		.innerJoin('fiche', 'fiche.id', 'fiche_link.linked_fiche_id')
		.select(['fiche_link.fiche_id', 'fiche.code'])
		.execute();
	const indicators = await listIndicatorsWithMeasurements(db);

	const group = <T extends { fiche_id: number }>(rows: T[]) => {
		const map = new Map<number, T[]>();
		for (const row of rows) map.set(row.fiche_id, [...(map.get(row.fiche_id) ?? []), row]);
		return map;
	};
	const ownersByFiche = group(owners);
	const partnersByFiche = group(partners);
	const linksByFiche = group(links);

	return {
		schema: PLAN_SCHEMA,
		generated_at: revision?.changedAt ?? new Date(0).toISOString(),
		plan: {
			title: plan.title,
			territory: plan.territory,
			period_start: plan.periodStart,
			period_end: plan.periodEnd,
			adopted_on: plan.adoptedOn
		},
		axes: axes.map((a) => ({ code: a.code, label: a.label, position: a.position })),
		orientations,
		objectives: objectives.map((o) => ({
			number: o.number,
			orientation: o.orientation,
			label: o.label
		})),
		fiches: fiches.map((f) => ({
			code: f.code,
			objective: f.objective,
			title: f.title,
			priority: f.priority,
			owners: (ownersByFiche.get(f.id) ?? [])
				.map((o) => ({ organisation: o.name, scope: o.scope }))
				.sort(
					(a, b) =>
						compareFrench(a.organisation, b.organisation) ||
						compareFrench(a.scope ?? '', b.scope ?? '')
				),
			partners: (partnersByFiche.get(f.id) ?? []).map((p) => p.name).sort(compareFrench),
			linked: (linksByFiche.get(f.id) ?? []).map((l) => l.code).sort(compareFicheCodes),
			indicators: (indicators.get(f.id) ?? []).map((i) => ({
				label: i.label,
				unit: i.unit,
				target: i.target,
				measurements: i.measurements.map((m) => ({ date: m.measuredOn, value: m.value }))
			})),
			status: f.status,
			progress: f.progress,
			last_update: f.lastUpdate
		}))
	};
}

export const CSV_COLUMNS = [
	'code',
	'objectif',
	'axe',
	'orientation',
	'titre',
	'priorite',
	'porteurs',
	'partenaires',
	'fiches_liees',
	'statut',
	'avancement',
	'derniere_mise_a_jour'
] as const;

const JOIN = ' | ';

/** One row per fiche, RFC 4180, derived from the same document as the JSON. */
export function planDocumentToCsv(document: PlanDocument): string {
	const orientationOf = new Map(document.objectives.map((o) => [o.number, o.orientation]));
	const axisOf = new Map(document.orientations.map((o) => [o.code, o.axis]));
	const rows = document.fiches.map((f) => {
		const orientation = orientationOf.get(f.objective) ?? '';
		return [
			f.code,
			String(f.objective),
			axisOf.get(orientation) ?? '',
			orientation,
			csvText(f.title),
			String(f.priority),
			csvText(
				f.owners
					.map((o) => (o.scope ? `${o.organisation} (${o.scope})` : o.organisation))
					.join(JOIN)
			),
			csvText(f.partners.join(JOIN)),
			f.linked.join(JOIN),
			f.status,
			f.progress === null ? '' : String(f.progress),
			f.last_update ?? ''
		];
	});
	return stringify([[...CSV_COLUMNS], ...rows], {
		record_delimiter: '\r\n',
		quoted_match: /[\r\n]/
	});
}

export function planDocumentToJson(document: PlanDocument): string {
	return `${JSON.stringify(document)}\n`;
}
