import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { text } from '@sveltejs/kit';
import { render } from 'svelte/server';
import type { Component } from 'svelte';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ChartsScript from '$lib/components/charts/ChartsScript.svelte';
import Dashboard from '$lib/components/charts/Dashboard.svelte';
import EditionReport from '$lib/components/EditionReport.svelte';
import KeptHtmlComponent from '$lib/components/KeptHtml';
import { SITE_ORIGIN } from '$lib/components/PrintedLink.svelte';
import { originSetting } from '$lib/server/config.js';
import type { Db } from '$lib/server/db';
import { createTestDb } from '$lib/server/db/testing';
import { findPublishedSnapshot } from '$lib/server/editions/repository';
import { editionPage } from '$lib/server/editions/snapshot';
import { liveDashboard } from '$lib/server/opendata/published';
import {
	answerWithKeptHtml,
	fragmentHtml,
	inAnswer,
	KeptHtml,
	keptFragment,
	keptHtmlInAnswers
} from './kept-html';
import * as keptHtmlModule from './kept-html';

// SvelteKit's own ETag of a page: not exported, so read from its sources, as its renderer imports
// it (as rewritten by scripts/vite-server-hashes.js; a plain JavaScript module, typed here).
const { hash } = (await import(
	'../../../../node_modules/@sveltejs/kit/src/utils/hash.js' as string
)) as {
	hash: (...values: string[]) => string;
};

/** The answer SvelteKit writes for a page (render_response: its ETag, then `text`). */
function sveltekitAnswer(html: string): Response {
	return text(html, {
		headers: {
			'x-sveltekit-page': 'true',
			'content-type': 'text/html',
			link: '</_app/immutable/assets/0.css>; rel="preload"; as="style"; nopush',
			etag: `"${hash(html)}"`
		}
	});
}

/** An answer's status, headers and body (its bytes' digest: a report's bytes compared in one go). */
async function parts(response: Response) {
	const body = Buffer.from(await response.arrayBuffer());
	return {
		status: response.status,
		headers: [...response.headers],
		length: body.byteLength,
		body: createHash('sha256').update(body).digest('hex')
	};
}

const pageEvent = () => ({ isDataRequest: false, locals: {} as App.Locals });

// Text around the report as a page has it: two-byte characters (’, narrow no-break spaces, an emoji
// as a surrogate pair) before and after it, so that characters and bytes differ on both sides.
const before =
	'<!doctype html><html lang="fr"><head><title>Bilan 2018 — SDUSN</title></head><body>« Fil d’Ariane » 😀\u202f:';
const after = '</main><footer>Lot numérique\u202f— mentions légales</footer></body></html>';

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

/** The component rendered in place, and its fragment written by KeptHtml: the same bytes. */
function bothWays<P extends Record<string, unknown>>(component: Component<P>, props: P) {
	const call = (c: unknown, p: unknown) => (renderer: unknown) =>
		(c as (renderer: unknown, props: unknown) => void)(renderer, p);
	return {
		inPlace: page(call(component, props)),
		kept: page(call(KeptHtmlComponent, { of: component, html: fragmentHtml(component, props) }))
	};
}

let db: Db;
let report: KeptHtml;
beforeAll(async () => {
	db = await createTestDb();
	const snapshot = editionPage((await findPublishedSnapshot(db, 2018))!);
	report = new KeptHtml(
		fragmentHtml(EditionReport, {
			snapshot,
			csvBase: '/bilans/2018',
			ficheBase: '/bilans/2018/fiches',
			portal: null,
			laterSittings: [],
			laterUpdates: [],
			versions: [{ version: 1, publishedAt: '2019-01-10', changeNote: null }]
		})
	);
});
afterAll(async () => {
	await db.destroy();
});

describe('answerWithKeptHtml', () => {
	// Review #14: the bilans' page tests wrote the marks with a second function of their own
	// (withKeptHtml), so they never checked the one the server runs.
	it('is the one way a page gets its kept HTML, the tests’ pages included', () => {
		expect(Object.keys(keptHtmlModule)).not.toContain('withKeptHtml');
		const testing = readFileSync('src/routes/edition-pages-testing.ts', 'utf8');
		expect(testing).toContain('answerWithKeptHtml(');
	});

	it('writes the answer SvelteKit wrote for the page with the HTML in place: bytes, length, ETag', async () => {
		expect(report.html).toContain('Bilan 2018 du schéma');
		const inPlace = await parts(sveltekitAnswer(`${before}${report.html}${after}`));
		// Twice: the second answer reuses the report's bytes and its step of the hash.
		for (let i = 0; i < 2; i++) {
			const event = pageEvent();
			const page = `${before}${inAnswer(event, report)}${after}`;
			const written = await parts(
				await answerWithKeptHtml(sveltekitAnswer(page), event.locals.keptHtml!)
			);
			expect(written).toEqual(inPlace);
		}
		// Another page's end: another step of the hash, still SvelteKit's ETag.
		const event = pageEvent();
		const other = `${before}${inAnswer(event, report)}<p>autre fin</p>${after}`;
		const written = await answerWithKeptHtml(sveltekitAnswer(other), event.locals.keptHtml!);
		expect(written.headers.get('etag')).toBe(
			`"${hash(`${before}${report.html}<p>autre fin</p>${after}`)}"`
		);
	});

	it('writes several kept HTML in the page’s order, whatever the order the load gave them', async () => {
		const event = pageEvent();
		const figures = new KeptHtml('<table><caption>Fiches — état</caption></table>');
		const first = inAnswer(event, report);
		const second = inAnswer(event, figures);
		const page = `${before}${second}<hr>${first}${after}`;
		const inPlace = await parts(
			sveltekitAnswer(`${before}${figures.html}<hr>${report.html}${after}`)
		);
		expect(
			await parts(await answerWithKeptHtml(sveltekitAnswer(page), event.locals.keptHtml!))
		).toEqual(inPlace);
	});

	it('writes a kept HTML the page renders twice in both places, no mark left', async () => {
		const event = pageEvent();
		const mark = inAnswer(event, report);
		const page = `${before}${mark}<hr>${mark}${after}`;
		const whole = `${before}${report.html}<hr>${report.html}${after}`;
		const written = await answerWithKeptHtml(sveltekitAnswer(page), event.locals.keptHtml!);
		expect(await parts(written.clone())).toEqual(await parts(sveltekitAnswer(whole)));
		expect(await written.text()).not.toContain('\u0000');
	});

	it('leaves an answer without its mark as it is (an error page written instead of the page)', async () => {
		const event = pageEvent();
		inAnswer(event, report);
		const error = new Response('<p>Erreur</p>', {
			status: 500,
			headers: { 'content-type': 'text/html' }
		});
		const written = await answerWithKeptHtml(error, event.locals.keptHtml!);
		expect(written.status).toBe(500);
		expect(await written.text()).toBe('<p>Erreur</p>');
	});
});

describe('inAnswer', () => {
	it('gives a page a mark, and a request for the data alone the HTML itself', () => {
		const page = pageEvent();
		expect(inAnswer(page, report)).not.toContain('<');
		expect(page.locals.keptHtml).toEqual([report]);
		const data = { isDataRequest: true, locals: {} as App.Locals };
		expect(inAnswer(data, report)).toBe(report.html);
		expect(data.locals.keptHtml).toBeUndefined();
	});
});

describe('keptHtmlInAnswers', () => {
	it('writes what the load gave into the answer, and lets other answers pass untouched', async () => {
		const event = pageEvent();
		const page = `${before}${inAnswer(event, report)}${after}`;
		const answer = await keptHtmlInAnswers({
			event: event as never,
			resolve: async () => sveltekitAnswer(page)
		});
		expect(await answer.text()).toBe(`${before}${report.html}${after}`);
		const plain = sveltekitAnswer('<p>Accueil</p>');
		expect(
			await keptHtmlInAnswers({ event: pageEvent() as never, resolve: async () => plain })
		).toBe(plain);
	});
});

describe('fragmentHtml', () => {
	it('writes the dashboard’s figures as the page wrote them in place', async () => {
		const { view } = await liveDashboard(db);
		const { inPlace, kept } = bothWays(Dashboard, {
			tables: view.tables,
			indicators: view.indicators,
			period: 'au 6 décembre 2026',
			fileHref: (file: string) => `/tableau-de-bord/${file}`
		});
		// Drawn by the separate script, as inside ChartsScript: each canvas names its chart.
		expect(kept).toContain('data-chart="statuts-priorites"');
		expect(kept).toBe(inPlace);
	});

	it('writes an edition’s report as the page wrote it in place', async () => {
		const snapshot = editionPage((await findPublishedSnapshot(db, 2018))!);
		const { inPlace, kept } = bothWays(EditionReport, {
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
		expect(kept).toContain('Bilan 2018 du schéma');
		expect(kept).toContain('2\u00a0autres validées depuis');
		expect(kept).toBe(inPlace);
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
