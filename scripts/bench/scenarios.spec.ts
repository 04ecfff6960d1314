import { afterAll, describe, expect, it, vi } from 'vitest';

/** Every autocannon run the scenarios start, in order: its duration and the first path it asks. */
const runs = vi.hoisted(() => [] as { duration: number; path: string }[]);
vi.mock('autocannon', () => ({
	default: (options: { url: string; duration: number }) => {
		runs.push({ duration: options.duration, path: new URL(options.url).pathname });
		const result = { requests: { average: 100 }, errors: 0, timeouts: 0, non2xx: 0 };
		return Object.assign(Promise.resolve(result), { on: () => undefined });
	}
}));
vi.mock('./wrk', () => ({ wrkAvailable: () => false, runWrk: async () => null }));
// The files of a worker share their loaded modules (vite.config.ts, isolate: false): the
// scenarios and autocannon-run are loaded anew against the mocks above (autocannon-run.spec may
// have loaded them with the real autocannon, which then ran against port 1 until the time limit),
// and dropped afterwards for the files after this one.
vi.resetModules();
afterAll(() => {
	vi.resetModules();
});

const { measureAgainstStatic } = await import('./scenarios');

describe('measureAgainstStatic', () => {
	it('warms every route before measuring any: the first route pays no more than the others', async () => {
		runs.length = 0;
		await measureAgainstStatic(
			'http://127.0.0.1:1',
			['/', '/fiches', ['/fiches?statut=en_cours']],
			5
		);
		expect(runs.map((run) => `${run.path} ${run.duration}`)).toEqual([
			// Each route for a second, the rotation of filters included, before any measurement…
			'/ 1',
			'/fiches 1',
			'/fiches 1',
			// …then, as before, the static file and each route: a second's warm-up, the measured run.
			'/favicon.svg 1',
			'/favicon.svg 5',
			'/ 1',
			'/ 5',
			'/fiches 1',
			'/fiches 5',
			'/fiches 1',
			'/fiches 5'
		]);
	});
});
