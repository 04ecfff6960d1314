// The three scenarios of issue 15, each measured against the static file on the same server and
// the same run: cold (page cache switched off), busy (logins, drafts and wrong passwords meanwhile),
// filters (/fiches under 200 filter combinations in rotation).
import autocannon from 'autocannon';
import { PARTNER } from './dataset';
import { runWrk, wrkAvailable, type WrkRun } from './wrk';

export const COLD_ROUTES = (edition: string) => [
	'/',
	'/fiches',
	'/fiches/14-1',
	'/tableau-de-bord',
	`/bilans/${edition}`,
	'/organisations/lot-numerique',
	'/commission/priorites'
];

export interface ScenarioRun {
	route: string;
	requestsPerSecond: number;
	latencyP99: number;
	errors: number;
	non2xx: number;
	ratioToStatic: number;
	/** The same route measured by wrk right after autocannon; null where wrk is not installed. */
	wrk: WrkRun | null;
}

const WITH_WRK = wrkAvailable();

const CONNECTIONS = 20;
// What a browser behind the reverse proxy sends: the busy and filters server reads the client's
// address from X-Forwarded-For (ADDRESS_HEADER) and answers 400 to a request without it.
const HEADERS = { 'accept-encoding': 'gzip, deflate, br, zstd', 'x-forwarded-for': '10.0.0.1' };

/** 200 combinations of /fiches filters, each different, in a fixed order. */
export function filterCombinations(): string[] {
	const priorities = ['', '1', '2'];
	const statuses = ['', 'a_lancer', 'en_cours', 'realisee', 'suspendue'];
	const axes = ['', 'performance', 'solidarite', 'modernite'];
	const texts = ['', 'numerique', 'wifi', 'formation'];
	const paths: string[] = [];
	for (const priorite of priorities)
		for (const statut of statuses)
			for (const axe of axes)
				for (const q of texts) {
					const query = new URLSearchParams();
					if (priorite) query.set('priorite', priorite);
					if (statut) query.set('statut', statut);
					if (axe) query.set('axe', axe);
					if (q) query.set('q', q);
					paths.push(`/fiches?${query.toString()}`);
				}
	// 3 × 5 × 4 × 4 = 240 combinations; the first 200 (all different).
	return paths.slice(0, 200);
}

async function measure(
	base: string,
	path: string | string[],
	duration: number
): Promise<Omit<ScenarioRun, 'ratioToStatic'>> {
	const paths = Array.isArray(path) ? path : [path];
	const options = {
		url: `${base}${paths[0]}`,
		connections: CONNECTIONS,
		headers: HEADERS,
		...(paths.length > 1
			? { requests: paths.map((p) => ({ method: 'GET' as const, path: p })) }
			: {})
	};
	await autocannon({ ...options, duration: 1 });
	const times: number[] = [];
	const run = autocannon({ ...options, duration });
	run.on('response', (_client, _status, _size, responseTime) => times.push(responseTime));
	const result = await run;
	times.sort((a, b) => a - b);
	const p99 = times.length
		? times[Math.min(times.length - 1, Math.ceil(0.99 * times.length) - 1)]!
		: 0;
	const wrk = WITH_WRK
		? await runWrk(base, paths, { connections: CONNECTIONS, duration, headers: HEADERS })
		: null;
	return {
		route: Array.isArray(path) ? `/fiches (${paths.length} filtres en rotation)` : path,
		requestsPerSecond: Math.round(result.requests.average),
		latencyP99: Math.round(p99 * 10) / 10,
		errors: result.errors + result.timeouts,
		non2xx: result.non2xx,
		wrk
	};
}

/** Each route against the static file measured just before on the same server. */
export async function measureAgainstStatic(
	base: string,
	routes: (string | string[])[],
	duration: number
): Promise<ScenarioRun[]> {
	const reference = await measure(base, '/favicon.svg', duration);
	const runs: ScenarioRun[] = [{ ...reference, ratioToStatic: 1 }];
	for (const route of routes) {
		const run = await measure(base, route, duration);
		runs.push({
			...run,
			ratioToStatic: Math.round((run.requestsPerSecond / reference.requestsPerSecond) * 100) / 100
		});
	}
	return runs;
}

/**
 * While running, one client signs the partner in, saves a draft of 9-1 and signs out, about twice
 * a second; another posts a wrong password once a second. They come from two addresses (the
 * server reads X-Forwarded-For, ADDRESS_HEADER), as two people would. Returns what they did.
 */
export function startBusyClients(base: string): { stop: () => Promise<Record<string, number>> } {
	const outcomes: Record<string, number> = {};
	const count = (what: string) => (outcomes[what] = (outcomes[what] ?? 0) + 1);
	let running = true;
	const form = (address: string, cookie?: string) => ({
		origin: base,
		// As a browser without JavaScript posts: real statuses (303, 400, 429), not SvelteKit's JSON.
		accept: 'text/html',
		'content-type': 'application/x-www-form-urlencoded',
		'x-forwarded-for': address,
		...(cookie ? { cookie } : {})
	});
	const partner = (async () => {
		let n = 0;
		while (running) {
			const started = Date.now();
			const login = await fetch(`${base}/connexion`, {
				method: 'POST',
				redirect: 'manual',
				headers: form('10.0.0.2'),
				body: new URLSearchParams({ email: PARTNER.email, password: PARTNER.password })
			});
			const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
			count(`connexion ${login.status}`);
			if (cookie) {
				const save = await fetch(`${base}/espace/fiches/9-1/suivi`, {
					method: 'POST',
					redirect: 'manual',
					headers: form('10.0.0.2', cookie),
					body: new URLSearchParams({
						reported_on: '2026-01-15',
						status: 'en_cours',
						progress: '10',
						done: `Brouillon du banc ${n++}`,
						next_steps: '',
						difficulties: '',
						submission_key: `banc-${Date.now()}-${n}`,
						version: '',
						intent: 'draft'
					})
				});
				count(`brouillon ${save.status}`);
				const out = await fetch(`${base}/deconnexion`, {
					method: 'POST',
					redirect: 'manual',
					headers: form('10.0.0.2', cookie),
					body: ''
				});
				count(`déconnexion ${out.status}`);
			}
			await new Promise((resolve) =>
				setTimeout(resolve, Math.max(0, 500 - (Date.now() - started)))
			);
		}
	})();
	const intruder = (async () => {
		while (running) {
			const response = await fetch(`${base}/connexion`, {
				method: 'POST',
				redirect: 'manual',
				headers: form('10.0.0.3'),
				body: new URLSearchParams({
					email: PARTNER.email.replace('banc', 'intrus'),
					password: 'mauvais'
				})
			});
			count(`mauvais mot de passe ${response.status}`);
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
	})();
	return {
		stop: async () => {
			running = false;
			await Promise.all([partner, intruder]);
			return outcomes;
		}
	};
}
