import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { createTestUser, PEOPLE } from '$lib/server/auth/testing';
import { findProgressUpdate, listFichesForOrganisation } from '$lib/server/progress/repository';
import { saveProgressUpdate } from '$lib/server/progress/service';
import { progressInput } from '$lib/server/progress/testing';
import { shownText } from '$lib/utils/html-testing';
import Page from './+page.svelte';
import { load } from './+page.server';
import { actions } from './[id=id]/+page.server';
import { adminDatabase, idRoute, postAction, routeAnswer, routeEvent } from '../../route-testing';

const portal = adminDatabase();

/** Paul of CDG46 submits an update of its first fiche: its id and the fiche's code. */
async function submitted(): Promise<{ id: number; code: string }> {
	const paul = await createTestUser(portal.db, PEOPLE.paul);
	const cdg = await portal.db
		.selectFrom('organisation')
		.select('id')
		.where('slug', '=', 'cdg46')
		.executeTakeFirstOrThrow();
	const [fiche] = await listFichesForOrganisation(portal.db, cdg.id, 2026);
	const saved = await saveProgressUpdate(portal.db, paul, fiche!.code, null, progressInput(), null);
	if (!saved.ok) throw new Error(saved.message);
	return { id: saved.value.id, code: fiche!.code };
}

/** « Valider et publier » or « Renvoyer pour correction » on the update: where it leads. */
async function decide(id: number, action: 'valider' | 'renvoyer'): Promise<string> {
	const update = await findProgressUpdate(portal.db, id);
	const answer = await routeAnswer(() =>
		postAction(
			actions[action],
			{ ...idRoute('/admin/suivis/[id=id]', id), path: `/admin/suivis/${id}?/${action}` },
			portal.admin,
			{ version: String(update!.version), comment: 'Précisez les dates.' }
		)
	);
	if (answer.location === undefined)
		throw new Error(`no redirect: ${answer.status} ${answer.message}`);
	return answer.location;
}

/** The list's confirmation at `path`, as text ('' without one). */
async function notice(path: string): Promise<string> {
	const data = await load(routeEvent(path, '/admin/suivis', {}, portal.admin));
	const body = render(Page, { props: { data, form: null } as never }).body;
	const found = /<div class="notice" role="status">([\s\S]*?)<\/div>/.exec(body)?.[1] ?? '';
	return shownText(found);
}

describe('the confirmation after a decision on an update', () => {
	it('says which update was validated and published', async () => {
		const { id, code } = await submitted();
		const location = await decide(id, 'valider');
		expect(location).toBe(`/admin/suivis?fait=${id}`);
		expect(await notice(location)).toBe(`Mise à jour de la fiche ${code} validée et publiée.`);
	});

	it('says which update was returned, and to whom', async () => {
		const { id, code } = await submitted();
		const location = await decide(id, 'renvoyer');
		const organisation = (await findProgressUpdate(portal.db, id))!.organisationName;
		expect(await notice(location)).toBe(
			`Mise à jour de la fiche ${code} renvoyée à ${organisation}.`
		);
	});

	it('says nothing of what the address claims but the database does not hold', async () => {
		const { id } = await submitted();
		// Still waiting: no decision was taken on it.
		expect(await notice(`/admin/suivis?fait=${id}`)).toBe('');
		for (const forged of ['999999', '<b>validée</b>', '-1', '1e3'])
			expect(await notice(`/admin/suivis?fait=${encodeURIComponent(forged)}`), forged).toBe('');
	});
});
