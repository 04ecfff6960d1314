import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { saveStructure } from '$lib/server/authoring/service';
import { newStructure } from '$lib/server/authoring/testing';
import Page from './+page.svelte';
import { load } from './+page.server';
import { adminDatabase, routeEvent } from './route-testing';

const portal = adminDatabase();

const anonymous = { user: null, session: null } as never;
const WHY = { reason: 'Révision du schéma', decisionId: null };

async function add(
	level: 'axis' | 'orientation' | 'objective',
	label: string,
	parent: number | null
) {
	const saved = await saveStructure(
		portal.db,
		portal.admin,
		level,
		null,
		newStructure(label, parent, WHY),
		null
	);
	if (!saved.ok) throw new Error(saved.message);
	return saved.value.id;
}

async function homePage(): Promise<string> {
	const data = await load(routeEvent('/', '/', {}, anonymous));
	return render(Page, { props: { data } as never }).body.replace(/<!--[^>]*-->/g, '');
}

describe('the home page', () => {
	it('says so under an axis, an orientation or an objective that holds nothing yet', async () => {
		const axis = await add('axis', 'Territoire durable', null);
		expect(await homePage()).toContain('Aucune orientation dans cet axe pour l’instant.');
		const orientation = await add('orientation', 'Sobriété numérique', axis);
		expect(await homePage()).toContain('Aucun objectif dans cette orientation pour l’instant.');
		await add('objective', 'Mesurer l’empreinte du numérique', orientation);
		const page = await homePage();
		expect(page).toContain('Aucune fiche-action dans cet objectif pour l’instant.');
		expect(page).not.toContain('Aucune orientation dans cet axe');
		// The seeded plan's objectives all hold fiches: one note only.
		expect(page.match(/pour l’instant\./g)).toHaveLength(1);
	});
});
