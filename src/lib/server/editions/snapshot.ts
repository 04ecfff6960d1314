import type { Executor } from '../db';
import type { FicheStatus } from '../db/schema';
import { computeDashboard, type DashboardFigures, type DashboardInput } from '../dashboard/figures';
import { loadDashboardInput, loadFicheStatesAsOf } from '../dashboard/repository';
import {
	dashboardView,
	figureTables,
	type DashboardView,
	type FigureTable
} from '../dashboard/tables';
import { OpenDataSet, type OpenDataFile } from '../opendata/resources';
import type { FrozenPlan, FrozenTexts } from './frozen-plan';
import { listFicheMoves } from '../authoring/revisions-repository';
import { parisDate } from '../../utils/dates';
import {
	findPreviousPublished,
	listClosedDecisionsBetween,
	listValidatedUpdatesBetween,
	loadPlanToFreeze
} from './repository';

export interface EditionSnapshot {
	year: number;
	version: number;
	asOf: string;
	publishedAt: string;
	intro: string;
	changeNote: string | null;
	axes: { code: string; shortName: string; label: string; text: string; fiches: FicheYear[] }[];
	figures: DashboardFigures;
	tables: FigureTable[];
	// Stored as JSON in published editions: the keys keep the names they were published with
	// (`session…` for the séance, now `sitting` in the code).
	decisions: {
		sessionId: number;
		sessionDate: string;
		/** The séance's hour, which tells two séances of a day apart; absent from snapshots published before it. */
		sittingStartsAt?: string | null;
		fiche: string | null;
		kind: string;
		opinion: string | null;
		/** Absent from snapshots published before it was recorded. */
		previousPriority?: number | null;
		newPriority: number | null;
		text: string;
	}[];
	/** The plan as it stood at publication (absent only from a snapshot read before its migration). */
	frozenPlan?: FrozenPlan;
	comparison: {
		previous: { year: number; version: number; asOf: string } | null;
		changes: {
			code: string;
			title: string;
			statusBefore: FicheStatus;
			statusAfter: FicheStatus;
			priorityBefore: number;
			priorityAfter: number;
			progressBefore: number | null;
			progressAfter: number | null;
		}[];
		/** Fiches the previous bilan did not have (absent from snapshots published before it). */
		added?: { code: string; title: string }[];
	};
}

/**
 * What an edition's page receives: the snapshot with its figures each sent once, and for each fiche
 * its state over the year and the number of its updates. The updates themselves, the fiche's
 * objective, owners and indicators are on the fiche as the edition froze it
 * (`/bilans/[year]/fiches/[code]`): a page that weighs the same whether partners report each
 * quarter or each week. The version to print (`/bilans/[year]/impression`, the PDF report) also
 * carries each fiche's updates, since paper has no links to follow.
 */
export type EditionPage = Omit<EditionSnapshot, 'figures' | 'tables' | 'axes' | 'frozenPlan'> & {
	dashboard: DashboardView;
	axes: (Omit<EditionSnapshot['axes'][number], 'fiches'> & { fiches: EditionFiche[] })[];
};

/** A fiche in an edition's page: its year, and its updates only in the version to print. */
export type EditionFiche = Omit<FicheYear, 'updates'> & {
	updateCount: number;
	updates?: FicheYear['updates'];
};

/** An edition's page data, from its stored snapshot; `withUpdates` for the version to print. */
export function editionPage(snapshot: EditionSnapshot, withUpdates = false): EditionPage {
	const { figures, tables, axes, frozenPlan, ...rest } = snapshot;
	return {
		...rest,
		dashboard: dashboardView(figures, tables),
		axes: axes.map((axis) => ({
			...axis,
			fiches: axis.fiches.map(({ updates, ...fiche }) => ({
				...fiche,
				updateCount: updates.length,
				...(withUpdates ? { updates } : {})
			}))
		}))
	};
}

export interface FicheYear {
	code: string;
	title: string;
	priority: number;
	statusStart: FicheStatus;
	statusEnd: FicheStatus;
	progressStart: number | null;
	progressEnd: number | null;
	updates: {
		date: string;
		organisation: string | null;
		status: FicheStatus | null;
		progress: number | null;
		done: string;
	}[];
}

/**
 * Everything an edition shows, computed from validated data as of `asOf`. Published, it is stored
 * as is and never recomputed: later updates and decisions cannot change it. `publishedAt` is the
 * moment it is published, or previewed (a draft, /admin/bilans/[id]).
 */
export async function buildEditionSnapshot(
	db: Executor,
	edition: {
		year: number;
		version: number;
		asOf: string;
		intro: string;
		axisTexts: Record<string, string>;
		changeNote: string | null;
	},
	publishedAt: string,
	read: { state?: DashboardInput; plan?: FrozenPlan } = {}
): Promise<EditionSnapshot> {
	const yearStart = `${edition.year}-01-01`;
	// The state at the start of the year: the fiches' states only, not a whole dashboard.
	const [end, start] = [
		read.state ?? (await loadDashboardInput(db, edition.asOf)),
		await loadFicheStatesAsOf(db, `${edition.year - 1}-12-31`)
	];
	// A draft previewed before its date draws its year's quarters up to today's only: those still
	// to come are not zeros. Published, an edition is past its date (tooSoonToPublish).
	const today = parisDate(new Date(publishedAt));
	const figures = computeDashboard(end, today < edition.asOf ? today : edition.asOf);
	const frozenPlan = read.plan ?? (await loadPlanToFreeze(db, edition.asOf)).plan;
	const updates = await listValidatedUpdatesBetween(db, yearStart, edition.asOf);
	const decisions = await listClosedDecisionsBetween(db, yearStart, edition.asOf);
	const fichesOfAxis = ficheYearsByAxis(end.fiches, start, updates);
	return {
		year: edition.year,
		version: edition.version,
		asOf: edition.asOf,
		publishedAt,
		intro: edition.intro,
		changeNote: edition.changeNote,
		axes: frozenPlan.axes.map((a) => ({
			code: a.code,
			shortName: a.shortName,
			label: a.label,
			text: edition.axisTexts[a.code] ?? '',
			fiches: fichesOfAxis.get(a.code) ?? []
		})),
		figures,
		tables: figureTables(figures),
		decisions: decisions.map(({ itemTitle, ...d }) => ({
			...d,
			text: d.fiche ? d.text : `${itemTitle} : ${d.text}`
		})),
		frozenPlan,
		comparison: await comparedWithPrevious(db, edition.year, end.fiches)
	};
}

type FicheState = Pick<
	DashboardInput['fiches'][number],
	'code' | 'title' | 'status' | 'progress' | 'priority'
>;

/**
 * Each fiche's year, by axis in the order of `fiches` (the state as of the edition's date): its
 * state at the start of the year (`start`; a fiche added since starts « à lancer ») and at the
 * end, and the updates validated in the year.
 */
function ficheYearsByAxis(
	fiches: DashboardInput['fiches'],
	start: FicheState[],
	updates: Awaited<ReturnType<typeof listValidatedUpdatesBetween>>
): Map<string, FicheYear[]> {
	const startByCode = new Map(start.map((f) => [f.code, f]));
	const byAxis = new Map<string, FicheYear[]>();
	for (const f of fiches)
		byAxis.set(f.axis, [
			...(byAxis.get(f.axis) ?? []),
			{
				code: f.code,
				title: f.title,
				priority: f.priority,
				statusStart: startByCode.get(f.code)?.status ?? 'a_lancer',
				statusEnd: f.status,
				progressStart: startByCode.get(f.code)?.progress ?? null,
				progressEnd: f.progress,
				updates: updates
					.filter((u) => u.code === f.code)
					.map((u) => ({
						date: u.date,
						organisation: u.organisation,
						status: u.status,
						progress: u.progress,
						done: u.done
					}))
			}
		]);
	return byAxis;
}

/**
 * What changed since the bilan published for the latest year before `year`, if any: the fiches
 * whose status, priority or progress differ, and those it did not have (none without one).
 */
async function comparedWithPrevious(
	db: Executor,
	year: number,
	fiches: FicheState[]
): Promise<EditionSnapshot['comparison']> {
	const previous = await findPreviousPublished(db, year);
	if (!previous) return { previous: null, changes: [], added: [] };
	const thenOf = await previousStates(db, previous.snapshot, fiches);
	const compared = fiches.map((f) => ({ now: f, then: thenOf(f.code) }));
	const added = compared
		.filter(({ then }) => then === undefined)
		.map(({ now }) => ({ code: now.code, title: now.title }));
	const changes = compared
		.filter(
			({ now, then }) =>
				then &&
				(then.status !== now.status ||
					then.priority !== now.priority ||
					then.progress !== now.progress)
		)
		.map(({ now, then }) => ({
			code: now.code,
			title: now.title,
			statusBefore: then!.status,
			statusAfter: now.status,
			priorityBefore: then!.priority,
			priorityAfter: now.priority,
			progressBefore: then!.progress,
			progressAfter: now.progress
		}));
	return {
		previous: { year: previous.year, version: previous.version, asOf: previous.asOf },
		changes,
		added
	};
}

/**
 * A fiche's state in the previous bilan (`snapshot`), found by its code. A fiche moved to another
 * objective since had another code there (the moves are read only when a fiche's code is not
 * found there).
 */
async function previousStates(db: Executor, snapshot: string | null, fiches: FicheState[]) {
	const previousFiches = snapshot
		? (JSON.parse(snapshot) as EditionSnapshot).axes.flatMap((a) => a.fiches)
		: [];
	const previousByCode = new Map(
		previousFiches.map((f) => [
			f.code,
			{ status: f.statusEnd, priority: f.priority, progress: f.progressEnd }
		])
	);
	const formerCodes = fiches.some((f) => !previousByCode.has(f.code))
		? await listFicheMoves(db)
		: [];
	return (code: string) =>
		previousByCode.get(code) ??
		formerCodes
			.filter((m) => m.code === code)
			.map((m) => previousByCode.get(m.formerCode))
			.find((then) => then !== undefined);
}

/**
 * What publishing an edition stores: its snapshot (with the plan as it stands), the fiches' texts
 * and every file of its open data, all from one reading of the validated state as of the edition's
 * date.
 */
export async function buildPublication(
	db: Executor,
	edition: Parameters<typeof buildEditionSnapshot>[1],
	publishedAt: string
): Promise<{ snapshot: EditionSnapshot; texts: FrozenTexts; files: OpenDataFile[] }> {
	const state = await loadDashboardInput(db, edition.asOf);
	const { plan, texts } = await loadPlanToFreeze(db, edition.asOf);
	const snapshot = await buildEditionSnapshot(db, edition, publishedAt, { state, plan });
	const openData = new OpenDataSet(db, {
		generatedAt: publishedAt,
		edition: { asOf: edition.asOf, state, year: edition.year, version: edition.version }
	});
	return { snapshot, texts, files: await openData.all() };
}
