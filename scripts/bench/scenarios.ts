// The three scenarios of issue 15, each measured against the static file on the same server and
// the same run: cold (page cache switched off), busy (logins, drafts and wrong passwords meanwhile),
// filters (/fiches under 200 filter combinations in rotation).
import { percentile, runAutocannon, warmUp } from './autocannon-run';
import { PARTNER } from './dataset';
import { ratioTo, type LoadRunCheck } from './targets';
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
	/** Answers received during autocannon's measured run (0: the run measured nothing). */
	responses: number;
	latencyP99: number;
	errors: number;
	non2xx: number;
	ratioToStatic: number;
	/**
	 * The server's processor time (all its threads: event loop, argon2, compression, garbage
	 * collector) per answer during autocannon's run, in ms; null where /proc is missing. On a
	 * shared machine this moves far less than the rate or p99 with the other work running.
	 */
	cpuMsPerResponse: number | null;
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

/** autocannon's options for a route, or for several in rotation. */
function loadOptions(base: string, paths: string[]) {
	return {
		url: `${base}${paths[0]}`,
		connections: CONNECTIONS,
		headers: HEADERS,
		...(paths.length > 1
			? { requests: paths.map((p) => ({ method: 'GET' as const, path: p })) }
			: {})
	};
}

async function measure(
	base: string,
	path: string | string[],
	duration: number,
	pid?: number
): Promise<Omit<ScenarioRun, 'ratioToStatic'>> {
	const paths = Array.isArray(path) ? path : [path];
	const { result, times, cpuMs } = await runAutocannon(loadOptions(base, paths), duration, pid);
	const p99 = percentile(times, 99);
	const wrk = WITH_WRK
		? await runWrk(base, paths, { connections: CONNECTIONS, duration, headers: HEADERS })
		: null;
	return {
		route: Array.isArray(path) ? `/fiches (${paths.length} filtres en rotation)` : path,
		requestsPerSecond: Math.round(result.requests.average),
		responses: times.length,
		cpuMsPerResponse:
			cpuMs !== null && times.length > 0 ? Math.round((cpuMs / times.length) * 1000) / 1000 : null,
		latencyP99: p99,
		errors: result.errors + result.timeouts,
		non2xx: result.non2xx,
		wrk
	};
}

/** Each route against the static file measured just before on the same server. */
export async function measureAgainstStatic(
	base: string,
	routes: (string | string[])[],
	duration: number,
	/** The server's process id, for its processor time per answer. */
	pid?: number
): Promise<ScenarioRun[]> {
	// Every route warmed alike before any is measured: a fresh server's first requests (its code
	// compiled and optimised, values computed once per change) fell within the first route's own
	// one-second warm-up and measured run, and the cold scenario's first page, `/`, paid for them.
	for (const route of routes)
		await warmUp(loadOptions(base, Array.isArray(route) ? route : [route]));
	const reference = await measure(base, '/favicon.svg', duration, pid);
	const runs: ScenarioRun[] = [{ ...reference, ratioToStatic: 1 }];
	for (const route of routes) {
		const run = await measure(base, route, duration, pid);
		runs.push({
			...run,
			ratioToStatic: ratioTo(run.requestsPerSecond, reference.requestsPerSecond)
		});
	}
	return runs;
}

/** Each scenario run as a measurement to check (autocannon's, and wrk's where it ran). */
export function scenarioMeasurements(
	dataset: string,
	scenario: string,
	runs: ScenarioRun[]
): LoadRunCheck[] {
	return runs.flatMap((r) => [
		{
			label: `${dataset}, ${scenario}, ${r.route} (autocannon)`,
			responses: r.responses,
			errors: r.errors,
			non2xx: r.non2xx
		},
		...(r.wrk
			? [
					{
						label: `${dataset}, ${scenario}, ${r.route} (wrk)`,
						responses: r.wrk.requestsPerSecond,
						errors: r.wrk.errors,
						non2xx: 0
					}
				]
			: [])
	]);
}

/**
 * While running, one client signs the partner in, saves a draft of 9-1 and signs out, about twice
 * a second; another posts a wrong password once a second. They come from two addresses (the
 * server reads X-Forwarded-For, ADDRESS_HEADER), as two people would. `ready` settles once each
 * client has had its first answers (the first password hashes and prepared statements are then
 * behind us, not inside the static reference's run); `stop` returns what they got, a network error
 * counted as « <step> erreur ».
 */
export function startBusyClients(base: string): {
	ready: Promise<void>;
	stop: () => Promise<Record<string, number>>;
} {
	const outcomes: Record<string, number> = {};
	const count = (what: string) => (outcomes[what] = (outcomes[what] ?? 0) + 1);
	let running = true;
	const post = async (
		what: string,
		path: string,
		address: string,
		body: URLSearchParams | string,
		cookie?: string
	): Promise<Response | null> => {
		try {
			const response = await fetch(`${base}${path}`, {
				method: 'POST',
				redirect: 'manual',
				headers: {
					origin: base,
					// As a browser without JavaScript posts: real statuses (303, 400, 429), not JSON.
					accept: 'text/html',
					'content-type': 'application/x-www-form-urlencoded',
					'x-forwarded-for': address,
					...(cookie ? { cookie } : {})
				},
				body
			});
			await response.arrayBuffer();
			count(`${what} ${response.status}`);
			return response;
		} catch {
			count(`${what} erreur`);
			return null;
		}
	};
	/**
	 * The partner's form as a browser opens it: at most one update is in progress per fiche, so the
	 * form leads to the draft in progress (`?brouillon=…&reprise=1`) and saving means saving that
	 * draft, with the version the form shows (a new draft beside it is refused, 409).
	 */
	const openForm = async (
		path: string,
		cookie: string
	): Promise<{ action: string; fields: Record<string, string> } | null> => {
		try {
			let address = path;
			let response = await fetch(`${base}${address}`, {
				redirect: 'manual',
				headers: { cookie, 'x-forwarded-for': '10.0.0.2' }
			});
			for (let hops = 0; response.status === 303 && hops < 3; hops++) {
				await response.arrayBuffer();
				address = response.headers.get('location') ?? path;
				response = await fetch(`${base}${address}`, {
					redirect: 'manual',
					headers: { cookie, 'x-forwarded-for': '10.0.0.2' }
				});
			}
			const html = await response.text();
			count(`formulaire ${response.status}`);
			const hidden = (name: string) =>
				new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
			const draft = /[?&]brouillon=(\d+)/.exec(address)?.[1];
			return {
				action: draft ? `${path}?brouillon=${draft}` : path,
				fields: { submission_key: hidden('submission_key'), version: hidden('version') }
			};
		} catch {
			count('formulaire erreur');
			return null;
		}
	};
	const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
	let partnerReady: () => void = () => undefined;
	let intruderReady: () => void = () => undefined;
	const ready = Promise.all([
		new Promise<void>((resolve) => (partnerReady = resolve)),
		new Promise<void>((resolve) => (intruderReady = resolve))
	]).then(() => undefined);
	const partner = (async () => {
		let n = 0;
		while (running) {
			const started = Date.now();
			const login = await post(
				'connexion',
				'/connexion',
				'10.0.0.2',
				new URLSearchParams({ email: PARTNER.email, password: PARTNER.password })
			);
			const cookie = (login?.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
			const form = cookie ? await openForm('/espace/fiches/9-1/suivi', cookie) : null;
			if (form) {
				await post(
					'brouillon',
					form.action,
					'10.0.0.2',
					new URLSearchParams({
						reported_on: '2026-01-15',
						status: 'en_cours',
						progress: '10',
						done: `Brouillon du banc ${n++}`,
						next_steps: '',
						difficulties: '',
						...form.fields,
						intent: 'draft'
					}),
					cookie
				);
			}
			if (cookie) await post('déconnexion', '/deconnexion', '10.0.0.2', '', cookie);
			partnerReady();
			await pause(500 - (Date.now() - started));
		}
	})();
	const intruder = (async () => {
		while (running) {
			await post(
				'mauvais mot de passe',
				'/connexion',
				'10.0.0.3',
				new URLSearchParams({ email: PARTNER.email.replace('banc', 'intrus'), password: 'mauvais' })
			);
			intruderReady();
			await pause(1000);
		}
	})();
	return {
		ready,
		stop: async () => {
			running = false;
			await Promise.all([partner, intruder]);
			return outcomes;
		}
	};
}
