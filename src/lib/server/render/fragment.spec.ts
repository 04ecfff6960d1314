import { render } from 'svelte/server';
import type { Component } from 'svelte';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ChartsScript from '$lib/components/charts/ChartsScript.svelte';
import Dashboard from '$lib/components/charts/Dashboard.svelte';
import EditionReport from '$lib/components/EditionReport.svelte';
import { SITE_ORIGIN } from '$lib/components/PrintedLink.svelte';
import Verbatim from '$lib/components/Verbatim';
import type { Db } from '$lib/server/db';
import { createTestDb } from '$lib/server/db/testing';
import { findPublishedSnapshot } from '$lib/server/editions/repository';
import { editionPage } from '$lib/server/editions/snapshot';
import { liveDashboard } from '$lib/server/opendata/published';
import { originSetting } from '$lib/server/config.js';
import { fragmentHtml, keptFragment } from './fragment';

/**
 * A page's body as SvelteKit renders it (the root layout's context), with `inside` written within
 * ChartsScript as the compiled pages do: a component compiled for the server is a function of the
 * page's renderer, and a snippet (ChartsScript's children) a function of the renderer too.
 */
function page(inside: (renderer: unknown) => void): string {
	type ServerComponent = (renderer: unknown, props: Record<string, unknown>) => void;
	const Page = (renderer: unknown) =>
		(ChartsScript as unknown as ServerComponent)(renderer, { charts: '/x.json', children: inside });
	return render(Page as unknown as Component, {
		context: new Map([[SITE_ORIGIN, originSetting()]])
	}).body;
}

/** The component rendered in place, and its fragment written by Verbatim: the same bytes. */
function bothWays<P extends Record<string, unknown>>(component: Component<P>, props: P) {
	const call = (c: unknown, p: unknown) => (renderer: unknown) =>
		(c as (renderer: unknown, props: unknown) => void)(renderer, p);
	return {
		inPlace: page(call(component, props)),
		verbatim: page(call(Verbatim, { of: component, html: fragmentHtml(component, props) }))
	};
}

let db: Db;
beforeAll(async () => {
	db = await createTestDb();
});
afterAll(async () => {
	await db.destroy();
});

describe('fragmentHtml', () => {
	it('writes the dashboard’s figures as the page wrote them in place', async () => {
		const { view } = await liveDashboard(db);
		const { inPlace, verbatim } = bothWays(Dashboard, {
			tables: view.tables,
			indicators: view.indicators,
			period: 'au 6 décembre 2026',
			fileHref: (file: string) => `/tableau-de-bord/${file}`
		});
		// Drawn by the separate script, as inside ChartsScript: each canvas names its chart.
		expect(verbatim).toContain('data-chart="statuts-priorites"');
		expect(verbatim).toBe(inPlace);
	});

	it('writes an edition’s report as the page wrote it in place', async () => {
		const snapshot = editionPage((await findPublishedSnapshot(db, 2018))!);
		const { inPlace, verbatim } = bothWays(EditionReport, {
			snapshot,
			csvBase: '/bilans/2018',
			ficheBase: '/bilans/2018/fiches',
			portal: null,
			laterSittings: [{ sittingId: 1, heldOn: '2019-02-01', decisions: 2 }],
			laterUpdates: [{ code: '9-1', updates: 2 }],
			versions: [
				{ version: 1, publishedAt: '2019-01-10', changeNote: null },
				{ version: 2, publishedAt: '2019-03-01', changeNote: 'Corrigé.' }
			]
		});
		expect(verbatim).toContain('Bilan 2018 du schéma');
		expect(verbatim).toContain('2\u00a0autres validées depuis');
		expect(verbatim).toBe(inPlace);
	});
});

describe('keptFragment', () => {
	it('writes once per owner and variant', () => {
		const owner = {};
		let made = 0;
		const make = () => `<p>${++made}</p>`;
		const first = keptFragment(owner, '2026-12-06', make);
		expect(first.html).toBe('<p>1</p>');
		expect(keptFragment(owner, '2026-12-06', make)).toBe(first);
		expect(keptFragment(owner, '2026-12-07', make).html).toBe('<p>2</p>');
		expect(keptFragment({}, '2026-12-07', make).html).toBe('<p>3</p>');
	});
});
