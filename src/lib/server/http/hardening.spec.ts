import { log } from '../log.js';
import { isHttpError } from '@sveltejs/kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	canonicalPath,
	canonicalPaths,
	canonicalSearch,
	readableForms,
	requireClientAddress,
	securityHeaders,
	UNREADABLE_FORM_MESSAGE
} from './hardening';

afterEach(() => {
	vi.restoreAllMocks();
});

function event(url: string, init: RequestInit = {}, extra: Record<string, unknown> = {}) {
	return {
		request: new Request(url, init),
		url: new URL(url),
		locals: { user: null },
		route: { id: null },
		getClientAddress: () => '192.0.2.1',
		...extra
	} as never;
}

const ok = async () => new Response('ok');

describe('canonical paths', () => {
	it.each([
		['/%66iches', '/fiches'],
		['/tableau%2Dde%2Dbord', '/tableau-de-bord'],
		['/fiches/%39-1', '/fiches/9-1'],
		['/fiches/%c3%a9', '/fiches/%C3%A9'],
		['/fiches/a%2Fb', '/fiches/a%2Fb'],
		['/fiches', '/fiches']
	])('%s → %s', (path, expected) => {
		expect(canonicalPath(path)).toBe(expected);
	});

	it('redirects a non-canonical spelling instead of answering it', async () => {
		const response = await canonicalPaths({
			event: event('http://localhost/%66iches?axe=1'),
			resolve: ok
		} as never);
		expect(response.status).toBe(301);
		expect(response.headers.get('location')).toBe('/fiches?axe=1');
	});

	it('keys a query the way the page reads it', () => {
		expect(canonicalSearch('?q=a%20b')).toBe(canonicalSearch('?q=a+b'));
		expect(canonicalSearch('?axe=%31')).toBe('?axe=1');
		expect(canonicalSearch('')).toBe('');
	});
});

describe('client address', () => {
	it('refuses a request whose address cannot be read (ADDRESS_HEADER set, header missing)', async () => {
		const warn = vi.spyOn(log(), 'warn').mockImplementation(() => undefined);
		const resolve = vi.fn(ok);
		const run = requireClientAddress({
			event: event(
				'http://localhost/connexion',
				{},
				{
					getClientAddress: () => {
						throw new Error('Address header was specified with ADDRESS_HEADER');
					}
				}
			),
			resolve
		} as never);
		await expect(run).rejects.toSatisfy((e) => isHttpError(e) && e.status === 400);
		expect(resolve).not.toHaveBeenCalled();
		expect(warn).toHaveBeenCalledTimes(1);
	});
});

describe('unreadable forms', () => {
	it.each([
		['multipart/form-data', 'x'],
		['multipart/form-data; boundary=zzz', '--autre\r\n\r\nx'],
		[
			'multipart/form-data; boundary=zzz',
			'--zzz\r\nContent-Disposition: form-data; name="email"\r\n\r\nabc'
		],
		[
			'multipart/form-data; boundary=zzz',
			'--zzz\r\nContent-Disposition: form-data\r\n\r\nx\r\n--zzz--'
		],
		['text/plain', 'email=a']
	])('%s answers 400 and logs one line', async (type, body) => {
		const warn = vi.spyOn(log(), 'warn').mockImplementation(() => undefined);
		const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
		const e = event('http://localhost/connexion', {
			method: 'POST',
			body,
			headers: { 'content-type': type }
		});
		let caught: unknown;
		await readableForms({
			event: e,
			resolve: async (ev: { request: Request }) => {
				try {
					await ev.request.formData();
				} catch (thrown) {
					caught = thrown;
				}
				return new Response('');
			}
		} as never);
		expect(isHttpError(caught) && caught.status).toBe(400);
		expect(isHttpError(caught) && caught.body.message).toBe(UNREADABLE_FORM_MESSAGE);
		expect(warn).toHaveBeenCalledTimes(1);
		expect(String(warn.mock.calls[0]?.[1])).not.toContain('\n');
		expect(error).not.toHaveBeenCalled();
	});

	it('leaves a good form alone', async () => {
		const form = new FormData();
		form.append('email', 'a@b.fr');
		let read = '';
		await readableForms({
			event: event('http://localhost/connexion', { method: 'POST', body: form }),
			resolve: async (ev: { request: Request }) => {
				read = String((await ev.request.formData()).get('email'));
				return new Response('');
			}
		} as never);
		expect(read).toBe('a@b.fr');
	});
});

describe('cache-control', () => {
	it('marks the invitation page, and anything not public, private and not stored', async () => {
		for (const id of ['/invitation/[token]', '/connexion', null]) {
			const response = await securityHeaders({
				event: event('http://localhost/x', {}, { route: { id } }),
				resolve: ok
			} as never);
			expect(response.headers.get('cache-control'), String(id)).toBe('private, no-store');
			expect(response.headers.get('x-frame-options')).toBe('DENY');
		}
	});
});
