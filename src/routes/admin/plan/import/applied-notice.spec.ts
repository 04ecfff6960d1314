import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { recordAudit } from '$lib/server/audit/repository';
import { shownText } from '$lib/utils/html-testing';
import Page from './+page.svelte';
import { load } from './+page.server';
import { adminDatabase, routeEvent } from '../../../route-testing';

const portal = adminDatabase();

/** The page's « Import appliqué » notice at `path`, as text ('' without one). */
async function notice(path: string): Promise<string> {
	const data = await load(routeEvent(path, '/admin/plan/import', {}, portal.admin));
	const body = render(Page, { props: { data, form: null } as never }).body;
	const found = /<div class="notice" role="status">([\s\S]*?)<\/div>/.exec(body)?.[1] ?? '';
	return shownText(found.replace(/&nbsp;|\u00a0/g, '~'));
}

/** The journal's entry of an import by the admin that recorded `count` elements. */
async function imported(count: number): Promise<void> {
	await recordAudit(portal.db, {
		actor: portal.admin,
		action: 'plan.imported',
		target: { type: 'plan', id: 1 },
		summary: 'Import du classeur du plan',
		after: Array.from({ length: count }, (_, i) => ({
			entity: 'fiche',
			key: `1-${i + 1}`,
			action: 'updated',
			fields: ['title']
		}))
	});
}

describe('the notice after a plan import', () => {
	it('reads the count from the journal, not from the address', async () => {
		expect(await notice('/admin/plan/import?importe=999')).toBe('');
		expect(await notice('/admin/plan/import?importe=1')).toBe('');
		await imported(3);
		expect(await notice('/admin/plan/import?importe=999')).toBe('');
		expect(await notice('/admin/plan/import?importe=1')).toBe(
			'Import appliqué~: 3~éléments enregistrés, chacun avec sa révision publique et la raison donnée.'
		);
	});

	it('agrees in number: one element, no « chacun »', async () => {
		await imported(3);
		await imported(1);
		expect(await notice('/admin/plan/import?importe=1')).toBe(
			'Import appliqué~: 1~élément enregistré, avec sa révision publique et la raison donnée.'
		);
	});
});
