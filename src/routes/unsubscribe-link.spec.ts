import { isHttpError, isRedirect } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { load } from './desabonnement/[token]/+page.server';
import { GET, POST } from './desabonnement/[token]/un-clic/+server';
import { adminDatabase } from './route-testing';

adminDatabase();

/** Where the one-click address sends a browser that opens it. */
async function target(token: string): Promise<string> {
	try {
		await GET({ params: { token } } as never);
	} catch (thrown) {
		if (isRedirect(thrown)) return thrown.location;
		throw thrown;
	}
	throw new Error('no redirect');
}

describe('the one-click unsubscribe address opened in a browser', () => {
	it('leads to the confirmation page of the same token', async () => {
		expect(await target('abc.DEF-123_x')).toBe('/desabonnement/abc.DEF-123_x');
	});

	it('encodes the token again: nothing a header refuses, no way up the path', async () => {
		expect(await target('\u202e')).toBe('/desabonnement/%E2%80%AE');
		expect(await target('été')).toBe('/desabonnement/%C3%A9t%C3%A9');
		expect(await target('../../admin')).toBe('/desabonnement/..%2F..%2Fadmin');
	});
});

/** The one-click address posted as a mail provider posts it (RFC 8058): a form, no Origin, no cookie. */
async function oneClick(token: string): Promise<{ status: number; body: string }> {
	const url = new URL(`https://sdusn.test/desabonnement/${encodeURIComponent(token)}/un-clic`);
	const request = new Request(url, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: 'List-Unsubscribe=One-Click'
	});
	const response = await POST({
		request,
		url,
		params: { token },
		getClientAddress: () => '192.0.2.1',
		locals: { requestId: 'test' }
	} as never);
	return { status: response.status, body: await response.text() };
}

/** What the confirmation page of a token answers when it is not valid (its 410 and words). */
async function confirmationPage(token: string): Promise<{ status: number; body: string }> {
	try {
		await load({ params: { token } } as never);
	} catch (thrown) {
		if (isHttpError(thrown)) return { status: thrown.status, body: `${thrown.body.message}\n` };
		throw thrown;
	}
	throw new Error('the page accepted the token');
}

// Read-back s46: the POST answered 404 where the confirmation page answers 410 « Lien expiré ou
// déjà utilisé ».
describe('the one-click unsubscribe address posted with a token that is not valid', () => {
	it('answers what the confirmation page answers, 410, the same words whatever the token', async () => {
		const forged = `7.reminders.${'A'.repeat(43)}`;
		const answers = await Promise.all(
			[forged, `999999999.validations.${'b'.repeat(43)}`, 'jeton-invalide'].map(oneClick)
		);
		expect(answers[0]).toEqual(await confirmationPage(forged));
		expect(answers[0]!.status).toBe(410);
		expect(answers[0]!.body).toContain('n’est pas ou plus valable');
		// Forged, of no account, or malformed: nothing tells one from another.
		expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
	});
});
