import { describe, expect, it } from 'vitest';
import { createTestUser } from '$lib/server/auth/testing';
import { findFicheState } from '$lib/server/authoring/repository';
import { retireFiche } from '$lib/server/authoring/fiches';
import { createOrganisation, retireOrganisation } from '$lib/server/authoring/organisations';
import { findAdminOrganisation } from '$lib/server/authoring/organisations-repository';
import { saveStructure } from '$lib/server/authoring/structure';
import { setFicheStatus } from '$lib/server/progress/service';
import type { User } from '$lib/server/auth/users';
import * as fichePage from './plan/fiches/[code=fiche]/+page.server';
import * as structurePage from './plan/[niveau=niveau]/[id=id]/+page.server';
import * as organisationPage from './organisations/[id=id]/+page.server';
import { adminDatabase, routeEvent } from '../route-testing';

// `?enregistre=` on a fiche's, a structure's and an organisation's admin page (savedMarker): said
// only after this admin's own act on that record in the last minutes, and a state word only while
// the record is in that state. A crafted link, or another admin's act, says nothing.

const portal = adminDatabase();
const why = { reason: 'Décision du comité', decisionId: null };

const colleague = () =>
	createTestUser(portal.db, { email: 'bruno@lot.fr', name: 'Bruno Admin', role: 'admin' });

async function ficheSaid(code: string, key: string, reader: User = portal.admin) {
	const path = `/admin/plan/fiches/${code}?enregistre=${key}`;
	const data = await fichePage.load(
		routeEvent(path, '/admin/plan/fiches/[code=fiche]', { code }, reader) as never
	);
	return (data as { saved: string | null }).saved;
}

async function organisationSaid(id: number, key: string, reader: User = portal.admin) {
	const path = `/admin/organisations/${id}?enregistre=${key}`;
	const data = await organisationPage.load(
		routeEvent(path, '/admin/organisations/[id=id]', { id: String(id) }, reader) as never
	);
	return (data as { saved: string | null }).saved;
}

async function objectiveSaid(id: number, key: string, reader: User = portal.admin) {
	const path = `/admin/plan/objectifs/${id}?enregistre=${key}`;
	const params = { niveau: 'objectifs', id: String(id) };
	const data = await structurePage.load(
		routeEvent(path, '/admin/plan/[niveau=niveau]/[id=id]', params, reader) as never
	);
	return (data as { saved: string | null }).saved;
}

describe('a fiche’s admin page after ?enregistre=', () => {
	it('says nothing on a crafted link, and only what this admin did', async () => {
		for (const key of ['1', 'ajout', 'abandon', 'statut'])
			expect(await ficheSaid('1-2', key)).toBeNull();
		const fiche = (await findFicheState(portal.db, '1-2'))!;
		const status = fiche.status === 'suspendue' ? 'en_cours' : 'suspendue';
		const changed = await setFicheStatus(
			portal.db,
			portal.admin,
			'1-2',
			{ ...why, status, shownStatus: fiche.status },
			null
		);
		expect(changed.ok).toBe(true);
		expect(await ficheSaid('1-2', 'statut')).toBe('statut');
		expect(await ficheSaid('1-2', 'statut', await colleague())).toBeNull();
		// Another act of this admin does not back « Fiche abandonnée. », nor « ajoutée ».
		expect(await ficheSaid('1-2', 'abandon')).toBeNull();
		expect(await ficheSaid('1-2', 'ajout')).toBeNull();
		expect(await ficheSaid('2-1', 'statut')).toBeNull();
	});

	it('says « abandonnée » only after its abandon, while it is', async () => {
		const { version } = (await findFicheState(portal.db, '1-2'))!;
		expect((await retireFiche(portal.db, portal.admin, '1-2', { ...why, version }, null)).ok).toBe(
			true
		);
		expect(await ficheSaid('1-2', 'abandon')).toBe('abandon');
		await portal.db
			.updateTable('fiche')
			.set({ status: 'en_cours' })
			.where('code', '=', '1-2')
			.execute();
		expect(await ficheSaid('1-2', 'abandon')).toBeNull();
	});
});

describe('an organisation’s admin page after ?enregistre=', () => {
	it('says « créée », « retirée » only after this admin’s act, « retirée » while it is', async () => {
		const created = await createOrganisation(
			portal.db,
			portal.admin,
			{ ...why, name: 'Commune de Gramat', fullName: null, kind: 'commune' },
			null
		);
		if (!created.ok) throw new Error(created.message);
		const { id } = created.value;
		expect(await organisationSaid(id, 'creee')).toBe('creee');
		expect(await organisationSaid(id, 'creee', await colleague())).toBeNull();
		for (const key of ['1', 'retiree', 'fusion'])
			expect(await organisationSaid(id, key)).toBeNull();
		const { version } = (await findAdminOrganisation(portal.db, id))!;
		const retired = await retireOrganisation(
			portal.db,
			portal.admin,
			id,
			{ ...why, version },
			null
		);
		expect(retired.ok).toBe(true);
		expect(await organisationSaid(id, 'retiree')).toBe('retiree');
		const other = (await findAdminOrganisation(portal.db, id - 1))!;
		expect(other.retiredAt).toBeNull();
		expect(await organisationSaid(other.id, 'retiree')).toBeNull();
	});
});

describe('a structure’s admin page after ?enregistre=', () => {
	it('says « ajouté » only after this admin’s addition, never a raw word', async () => {
		const orientation = await portal.db
			.selectFrom('orientation')
			.select('id')
			.orderBy('id')
			.executeTakeFirstOrThrow();
		const saved = await saveStructure(
			portal.db,
			portal.admin,
			'objective',
			null,
			{
				...why,
				version: null,
				seenRevision: 0,
				label: 'Former les agents au numérique',
				shortName: null,
				synthesisLabel: null,
				parentId: orientation.id
			},
			null
		);
		if (!saved.ok) throw new Error(saved.message);
		const { id } = saved.value;
		expect(await objectiveSaid(id, 'ajout')).toBe('ajout');
		expect(await objectiveSaid(id, 'ajout', await colleague())).toBeNull();
		expect(await objectiveSaid(id - 1, 'ajout')).toBeNull();
		expect(await objectiveSaid(id, 'retrait')).toBeNull();
		expect(await objectiveSaid(id, '<b>n’importe quoi</b>')).toBeNull();
	});
});
