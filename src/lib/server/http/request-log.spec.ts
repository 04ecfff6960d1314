import SQLite from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { handleError } from '../../../hooks.server';
import { forgetSettings } from '../config.js';
import { log } from '../log.js';
import { logRequests } from './request-log';

function event(url: string, headers: Record<string, string> = {}) {
	return {
		request: new Request(url, { headers }),
		route: { id: '/invitation/[token]' },
		locals: {} as App.Locals
	};
}

/** What handleError gives the visitor for an error thrown at `url`. */
function shownFor(error: unknown, url: string): App.Error {
	return handleError({
		error,
		event: event(url),
		status: 500,
		message: 'Internal Error'
	} as never) as App.Error;
}

describe('request log', () => {
	it('logs the route id, never the path or its query', async () => {
		const info = vi.spyOn(log(), 'info').mockImplementation(() => undefined);
		const e = event('http://localhost/invitation/jeton-secret?q=personnel');
		await logRequests({
			event: e,
			resolve: async () => new Response('', { status: 410 })
		} as never);
		expect(info).toHaveBeenCalledTimes(1);
		const [fields] = info.mock.calls[0] as unknown as [Record<string, unknown>];
		expect(fields).toMatchObject({ route: '/invitation/[token]', status: 410, method: 'GET' });
		expect(JSON.stringify(info.mock.calls)).not.toMatch(/jeton-secret|personnel/);
		expect(fields.requestId).toBe(e.locals.requestId);
		info.mockRestore();
	});

	// Posted by script (use:enhance), a refused login is a 200 whose body says 400 or 429: the log
	// said 200, and someone watching it for refused or throttled logins saw nothing.
	it('logs the outcome of a form posted by script, with the HTTP status beside it', async () => {
		const info = vi.spyOn(log(), 'info').mockImplementation(() => undefined);
		const posted = (body: unknown, headers: Record<string, string> = {}) => ({
			event: {
				request: new Request('http://localhost/connexion', { method: 'POST', headers }),
				route: { id: '/connexion' },
				locals: {} as App.Locals
			},
			resolve: async () =>
				new Response(JSON.stringify(body), {
					headers: { 'content-type': 'application/json' }
				})
		});
		const enhanced = { 'x-sveltekit-action': 'true' };
		const response = (await logRequests(
			posted({ type: 'failure', status: 429, data: '[]' }, enhanced) as never
		)) as Response;
		await logRequests(posted({ type: 'failure', status: 400, data: '[]' }, enhanced) as never);
		await logRequests(posted({ type: 'success', status: 200, data: '[]' }, enhanced) as never);
		await logRequests(posted({ type: 'failure', status: 400 }) as never);
		const logged = info.mock.calls.map(([fields]) => fields as unknown as Record<string, unknown>);
		expect(logged.map(({ status, httpStatus }) => [status, httpStatus])).toEqual([
			[429, 200],
			[400, 200],
			[200, undefined],
			[200, undefined]
		]);
		// The page still receives its whole answer.
		expect(await response.json()).toMatchObject({ type: 'failure', status: 429 });
		info.mockRestore();
	});

	it('keeps a well-formed request id from the proxy, not a made-up one, nor one sent without a proxy', async () => {
		const info = vi.spyOn(log(), 'info').mockImplementation(() => undefined);
		const direct = event('http://localhost/', { 'x-request-id': 'a1b2c3d4e5f60718' });
		await logRequests({ event: direct, resolve: async () => new Response('') } as never);
		expect(direct.locals.requestId).toMatch(/^[0-9a-f-]{36}$/);
		vi.stubEnv('ADDRESS_HEADER', 'X-Forwarded-For');
		forgetSettings();
		const kept = event('http://localhost/', { 'x-request-id': 'a1b2c3d4e5f60718' });
		await logRequests({ event: kept, resolve: async () => new Response('') } as never);
		expect(kept.locals.requestId).toBe('a1b2c3d4e5f60718');
		const refused = event('http://localhost/', { 'x-request-id': '<script>' });
		await logRequests({ event: refused, resolve: async () => new Response('') } as never);
		expect(refused.locals.requestId).toMatch(/^[0-9a-f-]{36}$/);
		vi.unstubAllEnvs();
		forgetSettings();
		info.mockRestore();
	});

	it('gives an unexpected error a request id that the log and the error page share', () => {
		const error = vi.spyOn(log(), 'error').mockImplementation(() => undefined);
		const e = event('http://localhost/fiches');
		const shown = handleError({
			error: new Error('panne'),
			event: e,
			status: 500,
			message: 'Internal Error'
		} as never) as App.Error;
		expect(shown.requestId).toMatch(/^[0-9a-f-]{36}$/);
		expect(shown.message).not.toContain('panne');
		const [fields] = error.mock.calls[0] as unknown as [Record<string, unknown>];
		expect(fields.requestId).toBe(shown.requestId);
		error.mockRestore();
	});

	it('tells the visitor to try again when another process kept the database busy, and logs no error', () => {
		const warn = vi.spyOn(log(), 'warn').mockImplementation(() => undefined);
		const error = vi.spyOn(log(), 'error').mockImplementation(() => undefined);
		const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
		const shown = shownFor(busy, 'http://localhost/connexion');
		expect(shown.message).toMatch(
			/votre demande n’a pas abouti\. Réessayez dans quelques instants/
		);
		expect(error).not.toHaveBeenCalled();
		expect(warn.mock.calls[0]?.[0]).toMatchObject({ event: 'database-busy' });
		warn.mockRestore();
		error.mockRestore();
	});

	// Review s42, ops: a full disk gave « Une erreur inattendue » and a stack per request.
	it('says the disk is full and nothing was saved, in one log line without a stack', () => {
		const error = vi.spyOn(log(), 'error').mockImplementation(() => undefined);
		// A real SQLITE_FULL: a database allowed two pages.
		const sqlite = new SQLite(':memory:');
		sqlite.exec('CREATE TABLE t (x TEXT)');
		sqlite.pragma('max_page_count = 2');
		let full: unknown = null;
		try {
			for (let i = 0; i < 100; i++)
				sqlite.prepare('INSERT INTO t VALUES (?)').run('x'.repeat(1000));
		} catch (caught) {
			full = caught;
		}
		sqlite.close();
		expect((full as { code?: string }).code).toBe('SQLITE_FULL');
		const shown = shownFor(full, 'http://localhost/espace/fiches/5-1/suivi');
		expect(shown.message).toMatch(/L’espace disque du serveur est plein : rien n’a été enregistré/);
		expect(error).toHaveBeenCalledTimes(1);
		const [fields] = error.mock.calls[0] as unknown as [Record<string, unknown>];
		expect(fields).toMatchObject({ event: 'disk-full' });
		expect(JSON.stringify(fields)).not.toContain('stack');
		error.mockRestore();
	});
});
