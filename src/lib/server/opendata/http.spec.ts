import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { csvResponse } from '../csv';
import { sheetToXlsx, xlsxResponse } from '../spreadsheet';
import { asPublicFile, NO_SUCH_FILE, openDataAddresses } from './http';

/** A request as the hook sees it: `route` null when no route matched the address. */
function event(path: string, route: string | null, headers: Record<string, string> = {}) {
	const method = headers['access-control-request-method'] ? 'OPTIONS' : 'GET';
	const url = `http://127.0.0.1${path}`;
	return {
		url: new URL(url),
		route: { id: route },
		request: new Request(url, { method, headers: { origin: 'https://exemple.test', ...headers } })
	} as unknown as RequestEvent;
}

/** SvelteKit's answers the hook wraps: its error page, or a route's refusal as JSON, without CORS. */
const errorPage = () =>
	new Response('<h1>Cette page n’existe pas.</h1>', {
		status: 404,
		headers: { 'content-type': 'text/html' }
	});
const script = { accept: '*/*' };

describe('addresses of the open data', () => {
	it('answers a name no route knows as a missing file, readable by a script of another origin', async () => {
		for (const path of [
			'/donnees/nope.csv',
			'/donnees/Plan.json',
			'/donnees/mesures-20255.csv',
			'/bilans/abcd/plan.json',
			'/bilans/2025/mesures.json'
		]) {
			const answer = await openDataAddresses({
				event: event(path, null, script),
				resolve: errorPage
			});
			expect(answer.status, path).toBe(404);
			expect(answer.headers.get('access-control-allow-origin'), path).toBe('*');
			expect(await answer.json(), path).toEqual({ message: NO_SUCH_FILE });
		}
		const preflight = await openDataAddresses({
			event: event('/donnees/nope.csv', null, { 'access-control-request-method': 'GET' }),
			resolve: errorPage
		});
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
	});

	it('adds the CORS headers to every other answer there, the error page of a navigation included', async () => {
		const navigation = await openDataAddresses({
			event: event('/donnees/nope.csv', null, { accept: 'text/html' }),
			resolve: errorPage
		});
		expect(navigation.status).toBe(404);
		expect(navigation.headers.get('content-type')).toBe('text/html');
		expect(navigation.headers.get('access-control-allow-origin')).toBe('*');
		const refusal = await openDataAddresses({
			event: event('/bilans/2025/nope.csv', '/bilans/[year=annee]/[figure=figure].csv', script),
			resolve: () => Response.json({ message: NO_SUCH_FILE }, { status: 404 })
		});
		expect(refusal.status).toBe(404);
		expect(refusal.headers.get('access-control-expose-headers')).toContain('ETag');
		expect(await refusal.json()).toEqual({ message: NO_SUCH_FILE });
	});

	it('allows the preflight of every file, a figure’s table and the plan’s workbook included', async () => {
		const routeNotCalled = () => {
			throw new Error('the preflight reached the route');
		};
		for (const [path, route] of [
			['/bilans/2018/avancement-axes.csv', '/bilans/[year=annee]/[figure=figure].csv'],
			['/bilans/2018/avancement-axes.xlsx', '/bilans/[year=annee]/[figure=figure].xlsx'],
			['/bilans/2018/graphiques.json', '/bilans/[year=annee]/graphiques.json'],
			['/donnees/plan.xlsx', '/donnees/plan.xlsx'],
			['/donnees/fiches.csv', '/donnees/[fichier=ressource]']
		] as const) {
			const preflight = await openDataAddresses({
				event: event(path, route, {
					'access-control-request-method': 'GET',
					'access-control-request-headers': 'if-none-match'
				}),
				resolve: routeNotCalled
			});
			expect(preflight.status, path).toBe(204);
			expect(preflight.headers.get('access-control-allow-origin'), path).toBe('*');
			expect(preflight.headers.get('access-control-allow-headers'), path).toContain(
				'If-None-Match'
			);
		}
	});

	it('exposes the validators of an answer that allowed every origin itself', async () => {
		const workbook = await openDataAddresses({
			event: event('/donnees/plan.xlsx', '/donnees/plan.xlsx', script),
			resolve: () =>
				new Response('xlsx', {
					headers: { 'access-control-allow-origin': '*', etag: 'W/"x"' }
				})
		});
		expect(workbook.headers.get('access-control-expose-headers')).toBe(
			'ETag, Last-Modified, Content-Disposition, Content-Range'
		);
		expect(workbook.headers.get('etag')).toBe('W/"x"');
	});

	it('leaves the other addresses as they are, pages’ data included', async () => {
		for (const [path, route] of [
			['/fiches/14-1', '/fiches/[code=fiche]'],
			['/bilans/2025/__data.json', '/bilans/[year=annee]'],
			['/bilans/2025/fiches/14-1', null],
			['/donnees', '/donnees']
		] as const) {
			const answer = await openDataAddresses({
				event: event(path, route, script),
				resolve: errorPage
			});
			expect(answer.headers.get('access-control-allow-origin'), path).toBeNull();
			expect(answer.headers.get('content-type'), path).toBe('text/html');
		}
	});
});

describe('a public file to download', () => {
	it('is dated, resumable when its bytes are stable, downloaded whole when it is a workbook', async () => {
		const at = '2026-03-01T10:00:00.000Z';
		const csv = asPublicFile(csvResponse('a;b\r\n', 't.csv'), at);
		expect(csv.headers.get('last-modified')).toBe('Sun, 01 Mar 2026 10:00:00 GMT');
		expect(csv.headers.get('accept-ranges')).toBe('bytes');
		// Two builds of one table: ExcelJS dates each zip entry when it writes it.
		const sheet = { title: 'T', headers: ['a'], rows: [[1]] };
		const first = new Uint8Array(await sheetToXlsx(sheet));
		await new Promise((resolve) => setTimeout(resolve, 2100));
		const second = new Uint8Array(await sheetToXlsx(sheet));
		expect(Buffer.from(first).equals(Buffer.from(second))).toBe(false);
		const workbook = asPublicFile(xlsxResponse(first.slice().buffer, 't.xlsx'), at);
		expect(workbook.headers.get('last-modified')).toBe('Sun, 01 Mar 2026 10:00:00 GMT');
		expect(workbook.headers.get('accept-ranges')).toBeNull();
	});
});
