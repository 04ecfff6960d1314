import { render } from 'svelte/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Dashboard from './Dashboard.svelte';
import type { Db } from '$lib/server/db';
import { createTestDb } from '$lib/server/db/testing';
import { liveDashboard } from '$lib/server/opendata/published';

let db: Db;
beforeAll(async () => {
	db = await createTestDb();
});
afterAll(async () => {
	await db.destroy();
});

describe('the dashboard’s table of an indicator', () => {
	it('writes each value as stored, with its unit (« 1 250,50 € », not « 1 250,5 »)', async () => {
		const { view } = await liveDashboard(db);
		const amount = {
			fiche: '1-1',
			label: 'Montant engagé',
			unit: '€',
			kind: 'amount' as const,
			target: null,
			targetDate: null,
			baseline: null,
			baselineDate: null,
			points: [
				{ date: '2026-01-31', value: 1250.5 },
				{ date: '2026-02-28', value: 3.125 }
			]
		};
		const body = render(Dashboard, {
			props: {
				tables: view.tables,
				indicators: [amount],
				period: 'au 6 décembre 2026',
				fileHref: null
			}
		}).body;
		expect(body).toContain('<td>1\u202f250,50\u00a0€</td>');
		expect(body).toContain('<td>3,125\u00a0€</td>');
	});
});
