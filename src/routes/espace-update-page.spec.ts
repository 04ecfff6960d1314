import { isRedirect } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '$lib/server/auth/users';
import type { Db } from '$lib/server/db';
import { closeDatabase, initDatabase } from '$lib/server/db/instance';
import { saveProgressUpdate } from '$lib/server/progress/service';
import { createTestUser, PEOPLE } from '$lib/server/auth/testing';
import {
	createPartner,
	preparedUpdate,
	progressFormData,
	progressInput
} from '$lib/server/progress/testing';
import * as form from './espace/fiches/[code=fiche]/suivi/+page.server';
import * as updatePage from './espace/suivis/[id=id]/+page.server';
import { formAnswer, idRoute, postAction, routeEvent, withSession } from './route-testing';

// A partner's own update page and update form, through the routes' own code.

let db: Db;
let partner: User;

beforeAll(async () => {
	db = await initDatabase(':memory:');
	partner = await createPartner(db, 'cdg46', 'paul@cdg46.fr');
});
afterAll(closeDatabase);

describe('/espace/suivis/[id]', () => {
	it('answers a withdrawal without its version as every form does: message and errors', async () => {
		const saved = await saveProgressUpdate(db, partner, '9-1', null, progressInput({}), null);
		if (!saved.ok) throw new Error(saved.message);
		const id = String(saved.value.id);
		const signedIn = await withSession(db, partner);
		const answer = await formAnswer(() =>
			postAction(
				updatePage.actions.retirer,
				{ ...idRoute('/espace/suivis/[id=id]', id), path: `/espace/suivis/${id}?/retirer` },
				signedIn,
				{ version: 'x' }
			)
		);
		expect(answer.status).toBe(400);
		expect(answer.message).toBe('Le formulaire est incomplet : rechargez la page.');
		expect(answer.errors).toEqual({ form: answer.message });
	});
});

// The update form at an address whose `brouillon=` is not a number (a link cut short or altered):
// read-back s47, it was a bare 404, and a post lost what was typed.

async function onForm(path: string, posted?: FormData) {
	return routeEvent(
		path,
		'/espace/fiches/[code=fiche]/suivi',
		{ code: '1-2' },
		await withSession(db, partner),
		posted
	);
}

const updates = async () =>
	(
		await db
			.selectFrom('progress_update')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.executeTakeFirstOrThrow()
	).n;

describe('a `brouillon=` that is not a number', () => {
	it('opens the form as without it, at an address its post can be sent to', async () => {
		for (const raw of ['abc', '12abc', '1234567890', ''])
			expect(
				await Promise.resolve(
					form.load(await onForm(`/espace/fiches/1-2/suivi?brouillon=${raw}`))
				).catch((e: unknown) => e)
			).toMatchObject({ status: 303, location: '/espace/fiches/1-2/suivi' });
	});

	it('posted, saves nothing and says why in French, the typing kept and the page drawn with it', async () => {
		const before = await updates();
		const typed = () => progressFormData({ done: 'Tapé sur une adresse altérée.' });
		const path = '/espace/fiches/1-2/suivi?brouillon=abc';
		const answer = (await form.actions.default!(await onForm(path, typed()))) as {
			status: number;
			data: { message: string; errors: Record<string, string>; values: Record<string, string> };
		};
		expect(answer.status).toBe(400);
		expect(answer.data.message).toBe(
			'Rien n’a été enregistré : l’adresse de cette page est altérée (« brouillon= » n’y est pas suivi d’un numéro). Votre saisie est conservée ci-dessous ; copiez-la, rouvrez le formulaire de cette fiche depuis Mon espace, puis collez-la.'
		);
		expect(answer.data.errors).toEqual({ form: answer.data.message });
		expect(answer.data.values.done).toBe('Tapé sur une adresse altérée.');
		expect(await updates()).toBe(before);
		// SvelteKit then runs `load` on the same POST to draw the page with that answer.
		const page = await Promise.resolve(form.load(await onForm(path, typed()))).catch(
			(e: unknown) => e
		);
		expect(isRedirect(page)).toBe(false);
		expect(page).toMatchObject({ fiche: { code: '1-2' }, draft: null });
	});
});

// « Enregistrer ma saisie comme nouvelle mise à jour », offered once the update a tab was bound to
// was validated meanwhile: refused for a field, that save kept the page in its mode (the diff
// review found it drew « Enregistrer le brouillon » and « Soumettre » again, whose posts were
// refused as « validée entre-temps », or without script as « déjà envoyé »).

describe('a typing saved as a new update, refused', () => {
	let admin: User;
	beforeAll(async () => {
		admin = await createTestUser(db, { ...PEOPLE.admin, password: null });
	});
	type Answer = {
		status: number;
		data: Record<string, unknown> & { values: Record<string, string> };
	};
	const post = async (path: string, fields: Record<string, string>) =>
		(await form.actions.default!(
			await routeEvent(
				path,
				'/espace/fiches/[code=fiche]/suivi',
				{ code: '1-1' },
				await withSession(db, partner),
				progressFormData(fields)
			)
		)) as Answer;

	it('for a field, keeps the page offering that save alone, with a key for it', async () => {
		const { id } = await preparedUpdate(db, { cdg: partner, admin }, 'validated', '1-1');
		const stale = await post(`/espace/fiches/1-1/suivi?brouillon=${id}`, { version: '1' });
		expect(stale.status).toBe(409);
		const firstKey = stale.data.newSubmissionKey;
		expect(firstKey).toEqual(expect.any(String));
		const before = await updates();
		// The button's own address (no `brouillon=`), the advancement mistyped.
		const refused = await post('/espace/fiches/1-1/suivi', {
			version: '1',
			intent: 'new',
			new_submission_key: String(firstKey),
			progress: '150'
		});
		expect(refused.status).toBe(400);
		expect(refused.data.errors).toHaveProperty('progress');
		expect(refused.data.values.progress).toBe('150');
		expect(refused.data.newSubmissionKey).toEqual(expect.any(String));
		expect(refused.data.newSubmissionKey).not.toBe(firstKey);
		expect(await updates()).toBe(before);
	});

	// Another update of the fiche opened meanwhile: the answer came without the key, and the page
	// drew again « Enregistrer le brouillon » and « Soumettre », bound to the validated update.
	it('for another update of the fiche opened meanwhile, keeps that mode and shows that update', async () => {
		const { id } = await preparedUpdate(db, { cdg: partner, admin }, 'validated', '1-1');
		const stale = await post(`/espace/fiches/1-1/suivi?brouillon=${id}`, { version: '1' });
		const opened = await saveProgressUpdate(
			db,
			partner,
			'1-1',
			null,
			progressInput({ intent: 'draft' }),
			null
		);
		if (!opened.ok) throw new Error(opened.message);
		const before = await updates();
		const refused = await post('/espace/fiches/1-1/suivi', {
			version: '1',
			intent: 'new',
			new_submission_key: String(stale.data.newSubmissionKey),
			done: 'Saisie de l’onglet resté ouvert'
		});
		expect(refused.status).toBe(409);
		expect(refused.data.stored).toMatchObject({ id: opened.value.id, state: 'draft' });
		expect(refused.data.values.done).toBe('Saisie de l’onglet resté ouvert');
		expect(refused.data.newSubmissionKey).toEqual(expect.any(String));
		expect(refused.data.newSubmissionKey).not.toBe(stale.data.newSubmissionKey);
		expect(await updates()).toBe(before);
	});
});
