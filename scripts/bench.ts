// npm run bench [-- --scale 100 --seed 42 --duration 5 --rounds 3]
//                 [--only scenarios|froid|occupé|filtres|journal] [--dataset plan|dix-ans] [--profile DIR]
// Measures the pages on the seeded plan and on a synthetic "ten years" dataset, against the
// static file served by the same server; writes docs/bench-results.json. Never touches data/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import type autocannon from 'autocannon';
import { openDatabase } from '../src/lib/server/db/index';
import { compressBody } from '../src/lib/server/http/page-cache';
import { getDataRevision } from '../src/lib/server/db/revision';
import { OpenDataSet } from '../src/lib/server/opendata/resources';
import { percentile, runAutocannon } from './bench/autocannon-run';
import { PARTNER, prepareDataset } from './bench/dataset';
import { benchJournal } from './bench/journal';
import { FIRST_GENERATED_YEAR } from './bench/generate';
import {
	COLD_ROUTES,
	filterCombinations,
	measureAgainstStatic,
	scenarioMeasurements,
	startBusyClients,
	type ScenarioRun
} from './bench/scenarios';
import {
	busyClientFaults,
	checkScenarioTargets,
	checkTargets,
	measurementFaults,
	ratioTo,
	type DatasetResult,
	type LoadRunCheck,
	type RouteResult
} from './bench/targets';
import { parseOptions, runCommand, UsageError } from './cli';
import { startPortal } from './serve-child';
import { buildIfNeeded } from './start.js';

const CONNECTIONS = 20;
/** `--only` values: every scenario, or one. */
const SCENARIO_CHOICES = {
	scenarios: ['cold', 'filters', 'busy'],
	froid: ['cold'],
	filtres: ['filters'],
	occupé: ['busy'],
	occupe: ['busy']
} as const;
type ScenarioName = 'cold' | 'filters' | 'busy';
// Every request says what Chromium says it accepts; the server answers brotli where it has it.
const BROWSER_ENCODINGS = { 'accept-encoding': 'gzip, deflate, br, zstd' };

const sameSizeRoute = (dataset: string) => `/banc-reference-mesures-${dataset}.csv`;
const referenceFiles = (dataset: string) => {
	const file = new URL(`../build/client${sameSizeRoute(dataset)}`, import.meta.url);
	return [file, new URL(`${file.href}.gz`), new URL(`${file.href}.br`)];
};

/** The full mesures.csv's bytes as a static file, with the very compressed copies the server makes. */
async function writeSameSizeReference(databasePath: string, dataset: string): Promise<void> {
	const db = openDatabase(databasePath);
	const generatedAt = (await getDataRevision(db))?.changedAt ?? new Date(0).toISOString();
	const mesures = await new OpenDataSet(db, { generatedAt }).file('mesures');
	const json = new Uint8Array(mesures!.body);
	await db.destroy();
	const [file, gz, br] = referenceFiles(dataset);
	const copies = await compressBody(json);
	writeFileSync(file!, json);
	writeFileSync(gz!, copies.gzip);
	writeFileSync(br!, copies.br);
}

function removeSameSizeReference(): void {
	for (const dataset of ['plan', 'dix-ans'])
		for (const file of referenceFiles(dataset)) rmSync(file, { force: true });
}

/** One-second warm-up, then the measured run; latencies from every response's own time. */
interface Measured {
	result: autocannon.Result;
	p50: number;
	p95: number;
	p99: number;
	/** Mean size of an answer as received (headers and body, compressed): what the rate depends on. */
	bytes: number;
	/** Answers received during the measured run. */
	responses: number;
}

async function load(
	url: string,
	headers: Record<string, string>,
	duration: number
): Promise<Measured> {
	const { result, times, bytes } = await runAutocannon(
		{ url, connections: CONNECTIONS, headers },
		duration
	);
	return {
		result,
		p50: percentile(times, 50),
		p95: percentile(times, 95),
		p99: percentile(times, 99),
		bytes,
		responses: times.length
	};
}

/**
 * On two cores, the load generator (this process) is kept on one core, and the servers run beside
 * it. Left to the scheduler, the same page on two identical databases measured up to 30 % apart in
 * the same round. Pinning the servers as well to the other core steadied the rates just as much but
 * raised p99 (their garbage collector's helper threads then wait for the main thread's core).
 * Returns false (and measures unpinned) where taskset is missing or there is one core.
 */
function pinToCore(pid: number, core: number): boolean {
	if (availableParallelism() < 2) return false;
	try {
		execFileSync('taskset', ['-a', '-c', '-p', String(core), String(pid)], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

/** The run with the median requests/s. */
function medianRun(runs: Measured[]): Measured {
	const sorted = [...runs].sort((a, b) => a.result.requests.average - b.result.requests.average);
	return sorted[Math.floor(sorted.length / 2)]!;
}

function peakRssMb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
	return Math.round(kb / 1024);
}

async function sessionCookie(base: string): Promise<string> {
	const response = await fetch(`${base}/connexion`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: base,
			accept: 'text/html',
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams({ email: PARTNER.email, password: PARTNER.password })
	});
	const cookie = response.headers.get('set-cookie') ?? '';
	if (response.status !== 303 || !cookie)
		throw new Error(
			`login of the benchmark partner: ${response.status} ${(await response.text()).slice(0, 300)}`
		);
	return cookie.split(';')[0] ?? '';
}

async function javascriptBytes(
	base: string,
	paths: string[]
): Promise<Record<string, number | null>> {
	const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
	const result: Record<string, number | null> = {};
	try {
		const { chromium: launcher } = await import('@playwright/test');
		const browser = await launcher.launch({
			executablePath: chromium,
			args: ['--disable-gpu', '--no-first-run', '--disable-background-networking']
		});
		for (const path of paths) {
			const context = await browser.newContext();
			const page = await context.newPage();
			// Chromium negotiates brotli on loopback; the budget is in gzip, so count the .gz file that
			// the server keeps beside each script it sent.
			const scripts = new Set<string>();
			page.on('response', (response) => {
				const url = new URL(response.url());
				if (url.pathname.endsWith('.js')) scripts.add(url.pathname);
			});
			await page.goto(`${base}${path}`, { waitUntil: 'networkidle' });
			let bytes = 0;
			for (const script of scripts)
				bytes += statSync(new URL(`../build/client${script}.gz`, import.meta.url)).size;
			result[path] = bytes;
			await context.close();
		}
		await browser.close();
	} catch (error) {
		process.stderr.write(`Mesure du JavaScript impossible (${String(error)}).\n`);
		for (const path of paths) result[path] = null;
	}
	return result;
}

const USAGE = `Usage : npm run bench -- [--scale N] [--seed N] [--duration S] [--rounds N] [--only scenarios|froid|occupé|filtres [--dataset plan|dix-ans] | --only journal] [--profile DOSSIER]
Mesure les pages du portail construit contre un fichier statique (méthode dans docs/performance.md).`;

runCommand(async () => {
	const options = parseOptions(
		process.argv.slice(2),
		['scale', 'seed', 'duration', 'rounds', 'only', 'dataset', 'profile'],
		USAGE
	);
	// `--only scenarios`: the three scenarios of issue 15 alone (cold, busy, filters); `--only froid`,
	// `filtres` or `occupé`: one of them; `--dataset plan|dix-ans`: one dataset. A run limited to one
	// scenario or one dataset prints its figures and leaves docs/bench-results.json as it was.
	const only = options.get('only');
	if (only === 'journal') {
		// The journal's search alone, in this process (scripts/bench/journal.ts).
		const journalDir = mkdtempSync(join(tmpdir(), 'sdusn-bench-'));
		try {
			await benchJournal(journalDir);
		} finally {
			rmSync(journalDir, { recursive: true, force: true });
		}
		return;
	}
	if (only !== undefined && !(only in SCENARIO_CHOICES))
		throw new UsageError(
			`--only attend ${[...Object.keys(SCENARIO_CHOICES), 'journal'].join(', ')} (reçu « ${only} »).`
		);
	const scenarioNames: readonly ScenarioName[] =
		only === undefined ? SCENARIO_CHOICES.scenarios : SCENARIO_CHOICES[only as 'scenarios'];
	const scenariosOnly = only !== undefined;
	const datasetOption = options.get('dataset');
	if (datasetOption !== undefined && datasetOption !== 'plan' && datasetOption !== 'dix-ans')
		throw new UsageError(`--dataset attend plan ou dix-ans (reçu « ${datasetOption} »).`);
	if (datasetOption !== undefined && !scenariosOnly)
		throw new UsageError('--dataset ne vaut qu’avec --only (les routes comparent les deux jeux).');
	const partial = datasetOption !== undefined || (scenariosOnly && only !== 'scenarios');
	// `--profile DIR`: the scenario servers write a CPU profile (--cpu-prof) and, every second, their
	// event-loop delay and garbage-collector pauses (scripts/bench/loop-delay.js) into DIR.
	const profileDir = options.get('profile');
	const profileFlags = (name: string): string[] =>
		profileDir
			? [
					'--cpu-prof',
					`--cpu-prof-dir=${profileDir}`,
					`--cpu-prof-name=${name}.cpuprofile`,
					'--import',
					new URL('./bench/loop-delay.js', import.meta.url).href
				]
			: [];
	const profileEnv = (name: string): Record<string, string> =>
		profileDir ? { SDUSN_LOOP_DELAY_FILE: join(profileDir, `${name}.loop.json`) } : {};
	if (profileDir) mkdirSync(profileDir, { recursive: true });
	const scale = Number(options.get('scale') ?? 100);
	const seed = Number(options.get('seed') ?? 42);
	const duration = Number(options.get('duration') ?? 5);
	const rounds = Number(options.get('rounds') ?? 3);
	buildIfNeeded();
	process.once('exit', removeSameSizeReference);
	const dir = mkdtempSync(join(tmpdir(), 'sdusn-bench-'));
	// Every measurement, checked at the end: one that got no answer, errors or unexpected statuses
	// makes the whole run fail (non-zero exit), whatever its figures.
	const measurements: LoadRunCheck[] = [];
	const faults: string[] = [];

	// Empty database to serving: migrations and seed included.
	let startupMs = 0;
	if (!scenariosOnly) {
		const coldStart = performance.now();
		const cold = await startPortal(join(dir, 'vide.db'));
		startupMs = Math.round(performance.now() - coldStart);
		await cold.stop();
	}

	// Both datasets are served at once and measured route by route, one right after the other, so
	// that the growth ratio compares two runs a few seconds apart on this shared machine.
	const scales = { plan: null, 'dix-ans': scale } as const;
	const names = (['plan', 'dix-ans'] as const).filter(
		(name) => datasetOption === undefined || name === datasetOption
	);
	const served = {} as Record<
		(typeof names)[number],
		{
			volumes: Record<string, unknown>;
			portal: Awaited<ReturnType<typeof startPortal>> | null;
			edition: string;
			routes: [string, Record<string, string>][];
			results: RouteResult[];
			staticRps: number;
		}
	>;
	for (const name of names) {
		const path = join(dir, `${name}.db`);
		const volumes = await prepareDataset(path, scales[name], seed);
		// A second reference: a static file with the bytes of this dataset's open data, so that the
		// open data's rate can be read against a file of the same size (served like every asset).
		if (!scenariosOnly) await writeSameSizeReference(path, name);
		served[name] = {
			volumes,
			portal: null,
			edition: name === 'plan' ? '2018' : String(FIRST_GENERATED_YEAR + 9),
			routes: [],
			results: [],
			staticRps: 1
		};
	}
	const pinned = pinToCore(process.pid, 1);
	for (const name of scenariosOnly ? [] : names) {
		const portal = await startPortal(join(dir, `${name}.db`));
		const latest = await (await fetch(`${portal.url}/bilans`)).text();
		const edition = /href="\/bilans\/(\d{4})"/.exec(latest)?.[1] ?? '2018';
		const cookie = await sessionCookie(portal.url);
		const check = await fetch(`${portal.url}/espace`, { redirect: 'manual', headers: { cookie } });
		if (check.status !== 200)
			throw new Error(`/espace answers ${check.status} to the benchmark partner`);
		served[name].portal = portal;
		served[name].edition = edition;
		served[name].routes = [
			['/favicon.svg', BROWSER_ENCODINGS],
			['/', BROWSER_ENCODINGS],
			['/fiches', BROWSER_ENCODINGS],
			['/fiches/14-1', BROWSER_ENCODINGS],
			['/tableau-de-bord', BROWSER_ENCODINGS],
			[`/bilans/${edition}`, BROWSER_ENCODINGS],
			['/donnees/plan.json', BROWSER_ENCODINGS],
			[
				`/donnees/mesures-${name === 'plan' ? 2018 : FIRST_GENERATED_YEAR + 9}.csv`,
				BROWSER_ENCODINGS
			],
			['/donnees/mesures.csv', BROWSER_ENCODINGS],
			[sameSizeRoute(name), BROWSER_ENCODINGS],
			['/espace', { ...BROWSER_ENCODINGS, cookie }]
		];
	}
	// Each round goes through every route, on each dataset one right after the other; the median of
	// a route's runs (by requests/s) counts. Rounds are minutes apart, so that a slow spell of this
	// shared machine (they last a minute or so) spoils one run of a route, not all of them.
	// The same rounds also compare the first and the latest generated editions of the ten years:
	// does an edition cost more when more history lies before it?
	const editionRuns = { first: [] as Measured[], latest: [] as Measured[] };
	const firstEdition = `/bilans/${FIRST_GENERATED_YEAR}`;
	let editionHistory: Record<string, unknown> | null = null;
	if (!scenariosOnly) {
		const plan = served.plan!;
		const tenYears = served['dix-ans']!;
		const tenYearsUrl = tenYears.portal!.url;
		const latestEdition = `/bilans/${tenYears.edition}`;
		const runs = plan.routes.map(() => ({ plan: [] as Measured[], 'dix-ans': [] as Measured[] }));
		for (let round = 0; round < rounds; round++) {
			for (let index = 0; index < plan.routes.length; index++)
				for (const name of names) {
					const [route, headers] = served[name].routes[index]!;
					const run = await load(`${served[name].portal!.url}${route}`, headers, duration);
					measurements.push(measured(`${name}, ${route}, tour ${round + 1}`, run));
					runs[index]![name].push(run);
				}
			for (const [which, route] of [
				['first', firstEdition],
				['latest', latestEdition]
			] as const) {
				const run = await load(`${tenYearsUrl}${route}`, BROWSER_ENCODINGS, duration);
				measurements.push(measured(`dix-ans, ${route}, tour ${round + 1}`, run));
				editionRuns[which].push(run);
			}
			process.stdout.write(`Tour ${round + 1} sur ${rounds} terminé.\n`);
		}
		for (let index = 0; index < plan.routes.length; index++) {
			for (const name of names) {
				const dataset = served[name];
				const [route] = dataset.routes[index]!;
				const { result: r, p50, p95, p99, bytes } = medianRun(runs[index]![name]);
				if (route === '/favicon.svg') dataset.staticRps = r.requests.average;
				dataset.results.push({
					route,
					requestsPerSecond: Math.round(r.requests.average),
					latencyP50: p50,
					latencyP95: p95,
					latencyP99: p99,
					bytesPerResponse: bytes,
					errors: runs[index]![name].reduce((n, m) => n + m.result.errors + m.result.timeouts, 0),
					non2xx: runs[index]![name].reduce((n, m) => n + m.result.non2xx, 0),
					ratioToStatic: ratioTo(r.requests.average, dataset.staticRps)
				});
				process.stdout.write(
					`${name.padEnd(8)} ${route.padEnd(34)} ${String(Math.round(r.requests.average)).padStart(7)} req/s  ${String(bytes).padStart(7)} o  p50 ${p50} ms  p95 ${p95} ms  p99 ${p99} ms  erreurs ${r.errors + r.non2xx}\n`
				);
			}
		}
		const [firstRps, latestRps] = [editionRuns.first, editionRuns.latest].map((runs) =>
			runs.length ? Math.round(medianRun(runs).result.requests.average) : 0
		) as [number, number];
		editionHistory = {
			first: firstEdition,
			latest: latestEdition,
			firstRequestsPerSecond: firstRps,
			latestRequestsPerSecond: latestRps,
			ratio: ratioTo(latestRps, firstRps)
		};
		process.stdout.write(
			`dix-ans  ${latestEdition} comparé à ${firstEdition} : ${latestRps} et ${firstRps} req/s, rapport ${editionHistory.ratio}\n`
		);
	}

	const javascript = scenariosOnly
		? {}
		: await javascriptBytes(served.plan!.portal!.url, [
				'/fiches/1-1',
				'/fiches/14-1',
				'/tableau-de-bord'
			]);
	// The routes' servers stop before the scenarios': a second server on the same database is
	// refused (start.js), and the scenarios measure their own.
	const datasets = {} as Record<(typeof names)[number], DatasetResult>;
	for (const name of names) {
		const { volumes, portal, results } = served[name];
		datasets[name] = { volumes, peakRssMb: portal ? peakRssMb(portal.child.pid!) : 0, results };
		await portal?.stop();
	}

	// The scenarios, on servers of their own: the page cache off (cold); the cache on, reading the
	// client's address from X-Forwarded-For so that the busy clients are two people (busy, filters).
	const scenarios = {} as Record<
		string,
		{
			cold: ScenarioRun[];
			filters: ScenarioRun[];
			busy: ScenarioRun[];
			busyClients: Record<string, number>;
		}
	>;
	for (const name of names) {
		const path = join(dir, `${name}.db`);
		const routes = COLD_ROUTES(served[name].edition);
		let coldRuns: ScenarioRun[] = [];
		if (scenarioNames.includes('cold')) {
			const cold = await startPortal(
				path,
				{ SDUSN_PAGE_CACHE: 'off', ...profileEnv(`${name}-froid`) },
				profileFlags(`${name}-froid`)
			);
			coldRuns = await measureAgainstStatic(
				cold.url,
				[...routes, filterCombinations()],
				duration,
				cold.child.pid
			);
			await cold.stop();
		}
		let filters: ScenarioRun[] = [];
		let busy: ScenarioRun[] = [];
		let busyClients: Record<string, number> = {};
		// Filters and busy each on a fresh server: what one leaves behind (compressions still queued,
		// a full cache) is not measured as the other's.
		if (scenarioNames.includes('filters')) {
			const warm = await startPortal(
				path,
				{ ADDRESS_HEADER: 'x-forwarded-for', ...profileEnv(`${name}-filtres`) },
				profileFlags(`${name}-filtres`)
			);
			filters = await measureAgainstStatic(
				warm.url,
				[filterCombinations()],
				duration,
				warm.child.pid
			);
			await warm.stop();
		}
		if (scenarioNames.includes('busy')) {
			const warm = await startPortal(
				path,
				{ ADDRESS_HEADER: 'x-forwarded-for', ...profileEnv(`${name}-occupe`) },
				profileFlags(`${name}-occupe`)
			);
			const clients = startBusyClients(warm.url);
			await clients.ready;
			busy = await measureAgainstStatic(warm.url, routes, duration, warm.child.pid);
			busyClients = await clients.stop();
			await warm.stop();
			faults.push(...busyClientFaults(name, busyClients));
		}
		scenarios[name] = { cold: coldRuns, filters, busy, busyClients };
		for (const [scenario, runs] of [
			['froid', coldRuns],
			['filtres', filters],
			['occupé', busy]
		] as const) {
			measurements.push(...scenarioMeasurements(name, scenario, runs));
			for (const r of runs)
				process.stdout.write(
					`${name.padEnd(8)} ${scenario.padEnd(8)} ${r.route.padEnd(34)} ${String(r.requestsPerSecond).padStart(6)} req/s  × ${r.ratioToStatic}  p99 ${r.latencyP99} ms  erreurs ${r.errors + r.non2xx}  CPU ${r.cpuMsPerResponse ?? '?'} ms/réponse${r.wrk ? `  | wrk ${r.wrk.requestsPerSecond} req/s  p99 ${r.wrk.latencyP99} ms  erreurs ${r.wrk.errors}` : ''}\n`
				);
		}
		if (scenarioNames.includes('busy'))
			process.stdout.write(`${name.padEnd(8)} clients occupés : ${JSON.stringify(busyClients)}\n`);
	}

	removeSameSizeReference();

	const report = {
		date: new Date().toISOString(),
		machine: `${process.platform} ${process.arch}, Node ${process.version}`,
		loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
		connections: CONNECTIONS,
		durationSeconds: duration,
		rounds: scenariosOnly ? 0 : rounds,
		cpuPinning: pinned ? 'générateur de charge sur le cœur 1' : null,
		startupMs,
		javascriptGzipBytes: javascript,
		datasets,
		editionHistory,
		scenarios,
		measurementFaults: [...faults, ...measurementFaults(measurements)],
		targetsMissed: [] as string[]
	};
	report.targetsMissed = scenariosOnly
		? checkScenarioTargets(scenarios)
		: checkTargets({
				...report,
				datasets: { plan: datasets.plan!, 'dix-ans': datasets['dix-ans']! }
			});
	if (!partial)
		writeFileSync(
			new URL('../docs/bench-results.json', import.meta.url),
			`${JSON.stringify(report, null, 2)}\n`
		);
	process.stdout.write(
		`\n${scenariosOnly ? '' : `Base vide → service : ${startupMs} ms. JavaScript (gzip) : ${JSON.stringify(javascript)}\n`}${partial ? 'Mesure partielle : docs/bench-results.json inchangé.' : 'Résultats écrits dans docs/bench-results.json.'} Charge moyenne : ${report.loadAverage.join(', ')}.\n`
	);
	process.stdout.write(
		report.targetsMissed.length === 0
			? 'Objectifs : tous atteints.\n'
			: `Objectifs manqués :\n${report.targetsMissed.map((m) => `- ${m}`).join('\n')}\n`
	);
	if (report.measurementFaults.length > 0) {
		process.stderr.write(
			`\nMESURES INVALIDES (le banc échoue) :\n${report.measurementFaults.map((m) => `- ${m}`).join('\n')}\n`
		);
		process.exitCode = 1;
	}
});

/** A route run as a measurement to check. */
function measured(label: string, run: Measured): LoadRunCheck {
	return {
		label,
		responses: run.responses,
		errors: run.result.errors + run.result.timeouts,
		non2xx: run.result.non2xx
	};
}
