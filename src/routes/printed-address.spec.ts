import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { load } from './+layout.server';

/** The root layout's data for an anonymous visitor. */
const layoutData = () =>
	load({ locals: { user: null } } as unknown as Parameters<typeof load>[0]) as {
		portal: string | null;
	};

// Review s44: a notice's link printed the address the request claimed (its Host header) on
// pages the cache keeps and replays to every visitor.
describe('the address a notice’s link prints on paper', () => {
	const saved = process.env.ORIGIN;
	afterEach(() => {
		if (saved === undefined) delete process.env.ORIGIN;
		else process.env.ORIGIN = saved;
	});

	it('is the configured ORIGIN, or none', () => {
		process.env.ORIGIN = 'https://sdusn.lot-numerique.fr';
		expect(layoutData().portal).toBe('https://sdusn.lot-numerique.fr');
		delete process.env.ORIGIN;
		expect(layoutData().portal).toBeNull();
	});

	it('is never read from the request by the root layout', () => {
		const layout = readFileSync(new URL('./+layout.svelte', import.meta.url), 'utf8');
		expect(layout).toMatch(/setSiteOrigin\(untrack\(\(\) => data\.portal\)\)/);
		expect(layout).not.toMatch(/url\.origin|url\.host/);
	});
});
