import { isRedirect } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { match as slug } from '../../../params/slug';
import { match as slugInCapitals } from '../../../params/slugInCapitals';
import { GET } from './+server';

describe('an organisation’s address typed in capitals', () => {
	it('is taken by this route alone: the slug matcher stays lower case', () => {
		expect(slugInCapitals('CDG46')).toBe(true);
		expect(slugInCapitals('Lot-Numerique')).toBe(true);
		expect(slug('CDG46')).toBe(false);
		for (const other of ['cdg46', 'CDG 46', 'CDG46%2F', 'É', 'A'.repeat(81)])
			expect(slugInCapitals(other), other).toBe(false);
	});

	it('answers 308 to the address in lower case, its query kept', async () => {
		const thrown = await Promise.resolve()
			.then(() =>
				GET({
					params: { slug: 'CDG46' },
					url: new URL('http://localhost/organisations/CDG46?a=1')
				} as unknown as Parameters<typeof GET>[0])
			)
			.catch((e: unknown) => e);
		expect(isRedirect(thrown) && { status: thrown.status, location: thrown.location }).toEqual({
			status: 308,
			location: '/organisations/cdg46?a=1'
		});
	});
});
