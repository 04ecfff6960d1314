import { describe, expect, it } from 'vitest';
import type { Role } from '$lib/server/db/schema';
import { load } from './+layout.server';

/** The header's links to one's own pages, as the root layout gives them to `role`. */
const linksOf = async (role: Role | null) =>
	(
		(await load({
			locals: {
				user: role && {
					id: 1,
					name: 'Camille',
					role,
					organisationId: role === 'partenaire' ? 1 : null
				}
			}
		} as unknown as Parameters<typeof load>[0])) as {
			viewer: { name: string; links: { href: string; label: string }[] } | null;
		}
	).viewer?.links;

// Left as noticed in s46: +layout.svelte compared the viewer's role itself to show these links.
describe('the header’s links to one’s own pages', () => {
	it('are those can() lets the viewer into', async () => {
		expect(await linksOf(null)).toBeUndefined();
		expect(await linksOf('partenaire')).toEqual([{ href: '/espace', label: 'Mon espace' }]);
		expect(await linksOf('commission')).toEqual([]);
		expect(await linksOf('admin')).toEqual([{ href: '/admin', label: 'Administration' }]);
	});
});
