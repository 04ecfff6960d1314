import { createHash } from 'node:crypto';
import { text } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import EditionReport from '$lib/components/EditionReport.svelte';
import type { Db } from '$lib/server/db';
import { createTestDb } from '$lib/server/db/testing';
import { findPublishedSnapshot } from '$lib/server/editions/repository';
import { editionPage } from '$lib/server/editions/snapshot';
import { fragmentHtml } from './fragment';
import {
	answerWithKeptHtml,
	inAnswer,
	KeptHtml,
	keptHtmlInAnswers,
	withKeptHtml
} from './kept-html';

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
		expect(withKeptHtml(page, event.locals.keptHtml!)).toBe(
			`${before}${figures.html}<hr>${report.html}${after}`
		);
	});

	it('writes a kept HTML the page renders twice in both places, no mark left', async () => {
		const event = pageEvent();
		const mark = inAnswer(event, report);
		const page = `${before}${mark}<hr>${mark}${after}`;
		const whole = `${before}${report.html}<hr>${report.html}${after}`;
		const written = await answerWithKeptHtml(sveltekitAnswer(page), event.locals.keptHtml!);
		expect(await parts(written.clone())).toEqual(await parts(sveltekitAnswer(whole)));
		expect(await written.text()).not.toContain('\u0000');
		expect(withKeptHtml(page, event.locals.keptHtml!)).toBe(whole);
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
