import type { ScenarioRun } from './scenarios';
// The performance issue's targets, checked against one benchmark run.

export interface RouteResult {
	route: string;
	requestsPerSecond: number;
	latencyP50: number;
	latencyP95: number;
	latencyP99: number;
	/** Mean bytes received per answer (compressed as the client accepts). */
	bytesPerResponse: number;
	errors: number;
	non2xx: number;
	ratioToStatic: number;
	/** Ten-years dataset only: its requests/s over the same route's on the seeded plan. */
	ratioToSeed?: number;
}

export interface DatasetResult {
	volumes: Record<string, unknown>;
	peakRssMb: number;
	results: RouteResult[];
}

const TARGETS = {
	p99Ms: 50,
	ratioToStatic: 0.25,
	ratioToSeed: 0.8,
	ratioToSameBytes: 0.8,
	peakRssMb: 250,
	startupMs: 2000,
	javascriptGzipBytes: { '/fiches/1-1': 40_000, '/tableau-de-bord': 120_000 } as Record<
		string,
		number
	>
};

const STATIC_ROUTE = '/favicon.svg';

/** Issue 15's scenarios: requests/s against the static file of the same run, and p99. */
const SCENARIO_TARGETS = {
	froid: { ratio: 0.15, p99Ms: 100 },
	occupé: { ratio: 0.25, p99Ms: 50 },
	filtres: { ratio: 0.15, p99Ms: null }
} as const;
/** Static files with the full mesures.csv's bytes: references, not pages. */
const SAME_SIZE_PREFIX = '/banc-reference-mesures';
/** The whole history in one file: judged against a static file of its very bytes, not the favicon. */
const FULL_HISTORY_ROUTE = '/donnees/mesures.csv';
const round = (n: number) => Math.round(n * 100) / 100;

/** One load run as the bench saw it: what it asked for and what came back. */
export interface LoadRunCheck {
	/** Where and what, in French: « dix-ans, occupé, /favicon.svg (autocannon) ». */
	label: string;
	/** Answers received during the measured run. */
	responses: number;
	/** Connection errors and timeouts. */
	errors: number;
	/** Answers outside 2xx (autocannon) or outside 2xx/3xx (wrk). */
	non2xx: number;
}

/**
 * What makes a measurement worthless rather than slow: no answer at all (a run that measured
 * nothing would otherwise print a rate of 0 and ratios of Infinity), errors, or answers the bench
 * did not expect. The bench stops with a non-zero exit when this list is not empty.
 */
export function measurementFaults(measurements: LoadRunCheck[]): string[] {
	const faults: string[] = [];
	for (const m of measurements) {
		if (m.responses === 0) faults.push(`${m.label} : aucune réponse pendant la mesure`);
		if (m.errors > 0)
			faults.push(`${m.label} : ${m.errors} erreurs de connexion ou délais dépassés`);
		if (m.non2xx > 0) faults.push(`${m.label} : ${m.non2xx} réponses hors 2xx`);
	}
	return faults;
}

/** What the busy scenario's clients may receive: anything else is a fault of the portal. */
const EXPECTED_CLIENT_ANSWERS = new Set([
	'connexion 303',
	'formulaire 200',
	'brouillon 303',
	'déconnexion 303',
	'mauvais mot de passe 400',
	'mauvais mot de passe 429'
]);

/** The busy clients' unexpected answers (a 500, a refused draft, a network error), and idleness. */
export function busyClientFaults(dataset: string, outcomes: Record<string, number>): string[] {
	const faults = Object.entries(outcomes)
		.filter(([outcome]) => !EXPECTED_CLIENT_ANSWERS.has(outcome))
		.map(([outcome, n]) => `${dataset}, clients occupés : ${n} × ${outcome} (inattendu)`);
	for (const needed of ['connexion 303', 'brouillon 303'])
		if (!outcomes[needed])
			faults.push(
				`${dataset}, clients occupés : aucune réponse « ${needed} » (le scénario n’a pas eu lieu)`
			);
	return faults;
}

/** A rate over the reference's; 0, never Infinity or NaN, when the reference measured nothing. */
export function ratioTo(requestsPerSecond: number, reference: number): number {
	return reference > 0 ? round(requestsPerSecond / reference) : 0;
}

/** Issue 15's scenarios against their targets; the static reference itself is not judged. */
export function checkScenarioTargets(
	scenarios: Record<string, { cold: ScenarioRun[]; busy: ScenarioRun[]; filters: ScenarioRun[] }>
): string[] {
	const misses: string[] = [];
	for (const [dataset, runs] of Object.entries(scenarios))
		for (const [scenario, list] of [
			['froid', runs.cold],
			['occupé', runs.busy],
			['filtres', runs.filters]
		] as const) {
			const target = SCENARIO_TARGETS[scenario];
			for (const r of list) {
				if (r.route === STATIC_ROUTE) continue;
				const where = `${dataset}, ${scenario}, ${r.route}`;
				if (r.errors + r.non2xx > 0) misses.push(`${where} : ${r.errors + r.non2xx} erreurs`);
				if (r.ratioToStatic < target.ratio)
					misses.push(
						`${where} : ${r.ratioToStatic} × le fichier statique (objectif ≥ ${target.ratio})`
					);
				if (target.p99Ms !== null && r.latencyP99 > target.p99Ms)
					misses.push(`${where} : p99 ${r.latencyP99} ms (objectif ≤ ${target.p99Ms} ms)`);
			}
		}
	return misses;
}

/** Adds each ten-years route's ratio to its seeded figure; returns the targets missed, in French. */
export function checkTargets(report: {
	startupMs: number;
	javascriptGzipBytes: Record<string, number | null>;
	datasets: { plan: DatasetResult; 'dix-ans': DatasetResult };
	scenarios?: Record<string, { cold: ScenarioRun[]; busy: ScenarioRun[]; filters: ScenarioRun[] }>;
}): string[] {
	const misses = checkScenarioTargets(report.scenarios ?? {});
	const seeded = new Map(report.datasets.plan.results.map((r) => [r.route, r]));
	const tenYears = report.datasets['dix-ans'];
	for (const r of tenYears.results) {
		if (r.route === STATIC_ROUTE || r.route.startsWith(SAME_SIZE_PREFIX)) continue;
		if (r.route === FULL_HISTORY_ROUTE) {
			const reference = tenYears.results.find((s) => s.route.startsWith(SAME_SIZE_PREFIX));
			const ratio = reference ? round(r.requestsPerSecond / reference.requestsPerSecond) : 0;
			if (r.errors + r.non2xx > 0) misses.push(`${r.route} : ${r.errors + r.non2xx} erreurs`);
			if (ratio < TARGETS.ratioToSameBytes)
				misses.push(
					`${r.route} : ${ratio} × le fichier statique de mêmes octets (objectif ≥ ${TARGETS.ratioToSameBytes})`
				);
			continue;
		}
		// Edition routes name different years in the two datasets: compare by position.
		// Per-year files name different years in the two datasets: compare by kind, like editions.
		const seed =
			seeded.get(r.route) ??
			report.datasets.plan.results.find(
				(s) =>
					/^\/donnees\/mesures-\d{4}/.test(s.route) && /^\/donnees\/mesures-\d{4}/.test(r.route)
			) ??
			report.datasets.plan.results.find(
				(s) => s.route.startsWith('/bilans/') && r.route.startsWith('/bilans/')
			);
		if (seed && seed.requestsPerSecond > 0)
			r.ratioToSeed = round(r.requestsPerSecond / seed.requestsPerSecond);
		if (r.errors + r.non2xx > 0) misses.push(`${r.route} : ${r.errors + r.non2xx} erreurs`);
		if (r.latencyP99 > TARGETS.p99Ms)
			misses.push(`${r.route} : p99 ${r.latencyP99} ms (objectif ≤ ${TARGETS.p99Ms} ms)`);
		if (r.ratioToStatic < TARGETS.ratioToStatic)
			misses.push(
				`${r.route} : ${r.ratioToStatic} × le fichier statique (objectif ≥ ${TARGETS.ratioToStatic})`
			);
		if (r.ratioToSeed !== undefined && r.ratioToSeed < TARGETS.ratioToSeed)
			misses.push(
				`${r.route} : ${r.ratioToSeed} × son débit sur le plan initial (objectif ≥ ${TARGETS.ratioToSeed})`
			);
	}
	if (tenYears.peakRssMb > TARGETS.peakRssMb)
		misses.push(`mémoire : ${tenYears.peakRssMb} Mo (objectif ≤ ${TARGETS.peakRssMb} Mo)`);
	if (report.startupMs > TARGETS.startupMs)
		misses.push(`démarrage : ${report.startupMs} ms (objectif ≤ ${TARGETS.startupMs} ms)`);
	for (const [path, budget] of Object.entries(TARGETS.javascriptGzipBytes)) {
		const bytes = report.javascriptGzipBytes[path];
		if (bytes === null || bytes === undefined) misses.push(`${path} : JavaScript non mesuré`);
		else if (bytes > budget)
			misses.push(`${path} : ${bytes} octets de JavaScript (objectif ≤ ${budget})`);
	}
	return misses;
}
