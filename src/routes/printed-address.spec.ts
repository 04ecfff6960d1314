import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { forgetSettings } from '$lib/server/config.js';
import { load } from './+layout.server';

/** The root layout's data for an anonymous visitor. */
const layoutData = async () =>
	(await load({ locals: { user: null } } as unknown as Parameters<typeof load>[0])) as {
		portal: string | null;
	};

// Review s44: a notice's link printed the address the request claimed (its Host header) on
// pages the cache keeps and replays to every visitor.
describe('the address a notice’s link prints on paper', () => {
	afterEach(() => {
		vi.unstubAllEnvs();
		forgetSettings();
	});

	it('is the configured ORIGIN, or none', async () => {
		vi.stubEnv('ORIGIN', 'https://sdusn.lot-numerique.fr');
		forgetSettings();
		expect((await layoutData()).portal).toBe('https://sdusn.lot-numerique.fr');
		vi.stubEnv('ORIGIN', undefined);
		forgetSettings();
		expect((await layoutData()).portal).toBeNull();
	});

	it('is never read from the request by the root layout', () => {
		const layout = readFileSync(new URL('./+layout.svelte', import.meta.url), 'utf8');
		expect(layout).toMatch(/setSiteOrigin\(untrack\(\(\) => data\.portal\)\)/);
		expect(layout).not.toMatch(/url\.origin|url\.host/);
	});
});
