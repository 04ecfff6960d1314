import { isRedirect } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { GET } from './desabonnement/[token]/un-clic/+server';

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
