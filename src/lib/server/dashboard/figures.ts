import type { IndicatorDefinition } from '../../utils/indicator-target';
import { FICHE_STATUSES, type FicheStatus } from '../../utils/vocabulary';
import { NAMED_ORGANISATIONS } from '../../utils/rules';

/** What the charts are computed from: plain data, whether live or as of an edition's date. */
export interface DashboardInput {
	axes: { code: string; label: string; shortName: string }[];
	orientations: { code: string; axis: string; label: string }[];
	fiches: {
		code: string;
		title: string;
		axis: string;
		orientation: string;
		priority: number;
		status: FicheStatus;
		progress: number | null;
	}[];
	/** Validated updates per month ("2019-03") and per reporting organisation. */
	updatesByMonth: { month: string; count: number }[];
	updatesByOrganisation: { organisation: string; count: number }[];
	/**
	 * Its kind, target date and baseline: absent from dashboards frozen in editions published
	 * before indicators had them.
	 */
	indicators: (Pick<IndicatorDefinition, 'label' | 'unit' | 'target'> &
		Partial<Pick<IndicatorDefinition, 'kind' | 'targetDate' | 'baseline' | 'baselineDate'>> & {
			fiche: string;
			points: { date: string; value: number }[];
		})[];
}

export type StatusCounts = Record<FicheStatus, number>;

export interface GroupFigures {
	code: string;
	label: string;
	fiches: number;
	assessed: number;
	/** Mean advancement of the fiches that were assessed; null when none was. */
	meanProgress: number | null;
	statuses: StatusCounts;
}

export interface DashboardFigures {
	totals: {
		fiches: number;
		assessed: number;
		meanProgress: number | null;
		statuses: StatusCounts;
		priorityOne: number;
	};
	byAxis: GroupFigures[];
	byOrientation: GroupFigures[];
	statusByPriority: { priority: number; statuses: StatusCounts }[];
	activityByQuarter: { quarter: string; count: number }[];
	activityByOrganisation: { organisation: string; count: number }[];
	grid: { code: string; title: string; priority: number; status: FicheStatus }[];
	indicators: DashboardInput['indicators'];
}

/**
 * Counts by quarter (« 2018-T3 »), from the first to the quarter of `through` (the day the figures
 * stand at), the quarters without any as 0: a chart that skipped them would draw 2019-T1 next to
 * 2026-T4 as if nothing lay between, and a bilan « au 31 décembre » whose series stopped at its
 * last quarter with an update would read as if the later ones were missing.
 */
function everyQuarter(
	counts: Map<string, number>,
	through: string
): { quarter: string; count: number }[] {
	const known = [...counts.keys()].sort();
	const parse = (q: string) => {
		const [year, quarter] = q.split('-T').map(Number);
		return (year ?? 0) * 4 + (quarter ?? 1) - 1;
	};
	if (known.length === 0) return [];
	const last = Math.max(parse(known.at(-1)!), parse(quarterOf(through.slice(0, 7))));
	const result = [];
	for (let i = parse(known[0]!); i <= last; i++) {
		const quarter = `${Math.floor(i / 4)}-T${(i % 4) + 1}`;
		result.push({ quarter, count: counts.get(quarter) ?? 0 });
	}
	return result;
}

const emptyCounts = (): StatusCounts =>
	Object.fromEntries(FICHE_STATUSES.map((s) => [s, 0])) as StatusCounts;

/** Rounded to one decimal, as shown. */
function mean(values: number[]): number | null {
	if (values.length === 0) return null;
	return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10) / 10;
}

function group(code: string, label: string, fiches: DashboardInput['fiches']): GroupFigures {
	const statuses = emptyCounts();
	for (const f of fiches) statuses[f.status]++;
	// An abandoned fiche weighs on no mean, even with an advancement (an update submitted before it
	// was abandoned, validated after).
	const assessed = fiches
		.filter((f) => f.progress !== null && f.status !== 'abandonnee')
		.map((f) => f.progress as number);
	return {
		code,
		label,
		fiches: fiches.length,
		assessed: assessed.length,
		meanProgress: mean(assessed),
		statuses
	};
}

/** "2019-05" → "2019-T2" */
export function quarterOf(month: string): string {
	const [year, m] = month.split('-');
	return `${year}-T${Math.ceil(Number(m) / 3)}`;
}

/**
 * The most active organisations first, the others in one last row: a chart of 200 bars cannot be
 * read, and a page that lists every organisation grows with the years.
 */
function mostActive(
	counts: DashboardInput['updatesByOrganisation']
): DashboardFigures['activityByOrganisation'] {
	const sorted = [...counts].sort(
		(a, b) => b.count - a.count || a.organisation.localeCompare(b.organisation, 'fr')
	);
	const others = sorted.slice(NAMED_ORGANISATIONS);
	if (others.length === 0) return sorted;
	return [
		...sorted.slice(0, NAMED_ORGANISATIONS),
		{
			organisation: `Les ${others.length} autres organisations`,
			count: others.reduce((n, o) => n + o.count, 0)
		}
	];
}

/**
 * The rule for fiches never assessed: they count in the number of fiches and in the statuses, but
 * not in the mean advancement, which covers assessed fiches only (and is null when there are none);
 * nor do abandoned fiches. `through` is the day the figures stand at (« YYYY-MM-DD »: today, or a
 * bilan's date): the quarterly series runs to its quarter.
 */
export function computeDashboard(input: DashboardInput, through: string): DashboardFigures {
	const total = group('total', 'Ensemble du plan', input.fiches);
	const quarters = new Map<string, number>();
	for (const { month, count } of input.updatesByMonth)
		quarters.set(quarterOf(month), (quarters.get(quarterOf(month)) ?? 0) + count);
	return {
		totals: {
			fiches: total.fiches,
			assessed: total.assessed,
			meanProgress: total.meanProgress,
			statuses: total.statuses,
			priorityOne: input.fiches.filter((f) => f.priority === 1).length
		},
		byAxis: input.axes.map((a) =>
			group(
				a.code,
				`« ${a.shortName} » : ${a.label}`,
				input.fiches.filter((f) => f.axis === a.code)
			)
		),
		byOrientation: input.orientations.map((o) =>
			group(
				o.code,
				o.label,
				input.fiches.filter((f) => f.orientation === o.code)
			)
		),
		statusByPriority: [1, 2].map((priority) => ({
			priority,
			statuses: group(
				'',
				'',
				input.fiches.filter((f) => f.priority === priority)
			).statuses
		})),
		activityByQuarter: everyQuarter(quarters, through),
		activityByOrganisation: mostActive(input.updatesByOrganisation),
		grid: input.fiches.map((f) => ({
			code: f.code,
			title: f.title,
			priority: f.priority,
			status: f.status
		})),
		indicators: input.indicators.filter((i) => i.points.length > 0)
	};
}
