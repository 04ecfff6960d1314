import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINK_ROUTES, linkPath, readLink, type LinkKind } from './links';
import { absoluteUrl } from './outbox';

const KINDS = Object.keys(LINK_ROUTES) as LinkKind[];
const TOKEN = '12.invitations.AbC-d_e0123456789';

// Review #14: a message's links were built in one module and read back with a regular expression
// of another; a link not read (a page renamed) was let through, unchecked, without a word.
describe('a message’s link', () => {
	it('is read back, whole address or path, as the kind and token it was built from', () => {
		for (const kind of KINDS) {
			expect(readLink(linkPath(kind, TOKEN)), kind).toEqual({ kind, token: TOKEN });
			expect(readLink(absoluteUrl(linkPath(kind, TOKEN))), kind).toEqual({ kind, token: TOKEN });
		}
		expect(linkPath('unsubscribe', TOKEN)).toBe(`/desabonnement/${TOKEN}/un-clic`);
		for (const other of ['/invitation', '/desabonnement/x', '/compte#courriels', 'https://x.fr/'])
			expect(readLink(other), other).toBeNull();
	});

	it('leads to a page of the portal: each kind’s route is a folder of src/routes', () => {
		for (const kind of KINDS) {
			const folder = join('src/routes', LINK_ROUTES[kind]);
			const page = existsSync(folder) ? readdirSync(folder) : [];
			expect(
				page.filter((file) => /^\+(page(\.server)?|server)\.ts$|^\+page\.svelte$/.test(file)),
				kind
			).not.toEqual([]);
		}
	});
});
