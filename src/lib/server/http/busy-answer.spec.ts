import { describe, expect, it, vi } from 'vitest';
import { handleError } from '../../../hooks.server';
import { log } from '../log.js';
import { busyAnswers } from './busy-answer';

// Review s55, ops: a sign-in during a 14 s lock held by another process answered 500.
describe('a request that failed on a database another process kept locked', () => {
	function answerTo(error: unknown) {
		const event = {
			request: new Request('http://localhost/connexion', { method: 'POST' }),
			route: { id: '/connexion' },
			locals: {} as App.Locals
		};
		return busyAnswers({
			event,
			resolve: async () => {
				// As SvelteKit does: the error goes to handleError, with a copy of the event (tracing),
				// then the error page is rendered.
				await handleError({
					error,
					event: { ...event },
					status: 500,
					message: 'Internal Error'
				} as never);
				return new Response('<h1>Erreur</h1>', {
					status: 500,
					headers: { 'content-type': 'text/html' }
				});
			}
		} as never);
	}

	it('answers 503 with Retry-After (the page says to try again), not 500', async () => {
		vi.spyOn(log(), 'warn').mockImplementation(() => undefined);
		const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
		const response = await answerTo(busy);
		expect(response.status).toBe(503);
		expect(response.headers.get('retry-after')).toBe('5');
		expect(response.headers.get('content-type')).toBe('text/html');
		expect(await response.text()).toBe('<h1>Erreur</h1>');
	});

	it('gives the error page the status the answer will carry, for its heading', async () => {
		vi.spyOn(log(), 'warn').mockImplementation(() => undefined);
		const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
		const event = { request: new Request('http://localhost/'), route: { id: '/' }, locals: {} };
		const error = await handleError({ error: busy, event, status: 500, message: 'x' } as never);
		expect(error).toMatchObject({ status: 503 });
	});

	it('leaves any other error its 500', async () => {
		vi.spyOn(log(), 'error').mockImplementation(() => undefined);
		const response = await answerTo(new Error('panne'));
		expect(response.status).toBe(500);
		expect(response.headers.has('retry-after')).toBe(false);
	});
});
