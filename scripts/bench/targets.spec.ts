import { describe, expect, it } from 'vitest';
import {
	busyClientFaults,
	checkTargets,
	measurementFaults,
	ratioTo,
	type RouteResult
} from './targets';

const route = (r: string, rps: number, extra: Partial<RouteResult> = {}): RouteResult => ({
	route: r,
	requestsPerSecond: rps,
	latencyP50: 5,
	latencyP95: 10,
	latencyP99: 20,
	bytesPerResponse: 5000,
	errors: 0,
	non2xx: 0,
	ratioToStatic: rps / 4000,
	...extra
});

const report = (tenYears: RouteResult[], peakRssMb = 120) => ({
	startupMs: 600,
	javascriptGzipBytes: { '/fiches/1-1': 0, '/tableau-de-bord': 100_000 },
	datasets: {
		plan: {
			volumes: {},
			peakRssMb: 100,
			results: [route('/favicon.svg', 4000), route('/', 2000), route('/bilans/2018', 1500)]
		},
		'dix-ans': { volumes: {}, peakRssMb, results: tenYears }
	}
});

describe('benchmark targets', () => {
	it('finds nothing to report when every target is met, and records the growth ratio', () => {
		const run = report([
			route('/favicon.svg', 4000),
			route('/', 1800),
			route('/bilans/2027', 1500)
		]);
		expect(checkTargets(run)).toEqual([]);
		expect(run.datasets['dix-ans'].results.map((r) => r.ratioToSeed)).toEqual([undefined, 0.9, 1]);
	});

	it('names each missed target in French', () => {
		const misses = checkTargets(
			report([route('/favicon.svg', 4000), route('/', 600, { latencyP99: 80, non2xx: 3 })], 300)
		);
		expect(misses).toEqual([
			'/ : 3 erreurs',
			'/ : p99 80 ms (objectif ≤ 50 ms)',
			'/ : 0.15 × le fichier statique (objectif ≥ 0.25)',
			'/ : 0.3 × son débit sur le plan initial (objectif ≥ 0.8)',
			'mémoire : 300 Mo (objectif ≤ 250 Mo)'
		]);
	});

	it('checks the scenarios against their own targets', () => {
		const run = (r: string, rps: number, ratio: number, p99: number, non2xx = 0) => ({
			route: r,
			requestsPerSecond: rps,
			latencyP99: p99,
			errors: 0,
			non2xx,
			ratioToStatic: ratio,
			responses: rps * 5,
			cpuMsPerResponse: null,
			wrk: null
		});
		const misses = checkTargets({
			...report([route('/favicon.svg', 4000)]),
			scenarios: {
				'dix-ans': {
					cold: [run('/favicon.svg', 4000, 1, 30), run('/', 400, 0.1, 150)],
					busy: [run('/', 2000, 0.5, 20, 2)],
					filters: [run('/fiches (200 filtres en rotation)', 800, 0.2, 300)]
				}
			}
		});
		expect(misses).toEqual([
			'dix-ans, froid, / : 0.1 × le fichier statique (objectif ≥ 0.15)',
			'dix-ans, froid, / : p99 150 ms (objectif ≤ 100 ms)',
			'dix-ans, occupé, / : 2 erreurs'
		]);
	});
});

describe('benchmark measurement faults', () => {
	it('fails a measurement that got no answer, errors or non-2xx answers', () => {
		expect(
			measurementFaults([
				{ label: 'dix-ans, occupé, /favicon.svg (autocannon)', responses: 0, errors: 0, non2xx: 0 },
				{ label: 'plan, /', responses: 900, errors: 2, non2xx: 3 },
				{ label: 'plan, /fiches', responses: 900, errors: 0, non2xx: 0 }
			])
		).toEqual([
			'dix-ans, occupé, /favicon.svg (autocannon) : aucune réponse pendant la mesure',
			'plan, / : 2 erreurs de connexion ou délais dépassés',
			'plan, / : 3 réponses hors 2xx'
		]);
	});

	it('accepts the busy clients’ expected statuses only, and requires that they ran', () => {
		const expected = {
			'connexion 303': 10,
			'formulaire 200': 10,
			'brouillon 303': 10,
			'déconnexion 303': 10,
			'mauvais mot de passe 400': 5,
			'mauvais mot de passe 429': 5
		};
		expect(busyClientFaults('plan', expected)).toEqual([]);
		expect(
			busyClientFaults('plan', { 'connexion 303': 3, 'brouillon 500': 3, 'déconnexion erreur': 1 })
		).toEqual([
			'plan, clients occupés : 3 × brouillon 500 (inattendu)',
			'plan, clients occupés : 1 × déconnexion erreur (inattendu)',
			'plan, clients occupés : aucune réponse « brouillon 303 » (le scénario n’a pas eu lieu)'
		]);
	});

	it('gives a ratio of 0, not Infinity, against a reference that measured nothing', () => {
		expect(ratioTo(400, 0)).toBe(0);
		expect(ratioTo(400, 1600)).toBe(0.25);
	});
});
