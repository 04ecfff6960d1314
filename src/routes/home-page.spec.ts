import { render } from 'svelte/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '$lib/server/auth/users';
import { saveStructure } from '$lib/server/authoring/service';
import { insertAdmin, newStructure } from '$lib/server/authoring/testing';
import type { Db } from '$lib/server/db';
import { closeDatabase, initDatabase } from '$lib/server/db/instance';
import Page from './+page.svelte';
import { load } from './+page.server';
import { routeEvent } from './route-testing';

let db: Db;
let admin: User;

beforeAll(async () => {
	db = await initDatabase(':memory:');
	admin = await insertAdmin(db);
});
afterAll(closeDatabase);

const anonymous = { user: null, session: null } as never;
const WHY = { reason: 'Révision du schéma', decisionId: null };

async function add(
	level: 'axis' | 'orientation' | 'objective',
	label: string,
	parent: number | null
) {
	const saved = await saveStructure(db, admin, level, null, newStructure(label, parent, WHY), null);
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
