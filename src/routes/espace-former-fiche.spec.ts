import { isRedirect } from '@sveltejs/kit';
import { render } from 'svelte/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSession } from '$lib/server/auth/sessions';
import type { User } from '$lib/server/auth/users';
import type { Db } from '$lib/server/db';
import { closeDatabase, initDatabase } from '$lib/server/db/instance';
import { saveProgressUpdate } from '$lib/server/progress/service';
import {
	createPartner,
	progressFormData,
	progressInput,
	takeOffFiche
} from '$lib/server/progress/testing';
import * as espace from './espace/+page.server';
import * as form from './espace/fiches/[code=fiche]/suivi/+page.server';
import * as readOnly from './espace/suivis/[id=id]/+page.server';
import ReadOnlyPage from './espace/suivis/[id=id]/+page.svelte';
import { routeEvent } from './route-testing';

// The update's page reads its address (`?en-cours`) from SvelteKit's state.
vi.mock('$app/state', () => ({ page: { url: new URL('http://localhost/espace/suivis/1') } }));

// A partner's open update of a fiche its organisation no longer works on (partner walk: listed
// with « Reprendre et soumettre », which led to a bare « Erreur 403 »).

let db: Db;
let partner: User;
let draftId: number;

beforeAll(async () => {
	db = await initDatabase(':memory:');
	partner = await createPartner(db, 'cdg46', 'paul@cdg46.fr');
	const saved = await saveProgressUpdate(
		db,
		partner,
		'9-1',
		null,
		progressInput({ intent: 'draft', done: 'ENT déployé dans 12 collèges.' }),
		null
	);
	if (!saved.ok) throw new Error(saved.message);
	draftId = saved.value.id;
	// The staff take the organisation off the fiche.
	const fiche = await db
		.selectFrom('fiche')
		.select('id')
		.where('code', '=', '9-1')
		.executeTakeFirstOrThrow();
	await db.deleteFrom('fiche_owner').where('fiche_id', '=', fiche.id).execute();
	await db.deleteFrom('fiche_partner').where('fiche_id', '=', fiche.id).execute();
});
afterAll(closeDatabase);

async function as(path: string, route: string, params: Record<string, string>, posted?: FormData) {
	const { session } = await createSession(db, partner.id);
	return routeEvent(path, route, params, { user: partner, session }, posted);
}

const denials = async () =>
	(
		await db
			.selectFrom('audit_event')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('action', '=', 'access.denied')
			.executeTakeFirstOrThrow()
	).n;

describe('an update of a fiche the organisation no longer works on', () => {
	it('is listed as such, read where it says why, and its form leads there rather than to a 403', async () => {
		const home = (await espace.load(await as('/espace', '/espace', {}))) as {
			pending: { id: number; carried: boolean }[];
		};
		expect(home.pending.find((u) => u.id === draftId)).toMatchObject({ carried: false });
		const page = (await readOnly.load(
			await as(`/espace/suivis/${draftId}`, '/espace/suivis/[id=id]', { id: String(draftId) })
		)) as { carried: boolean; canWithdraw: boolean; update: { done: string } };
		expect(page).toMatchObject({
			carried: false,
			canWithdraw: false,
			update: { done: 'ENT déployé dans 12 collèges.' }
		});
		const opened = await Promise.resolve(
			form.load(
				await as(
					`/espace/fiches/9-1/suivi?brouillon=${draftId}`,
					'/espace/fiches/[code=fiche]/suivi',
					{
						code: '9-1'
					}
				)
			)
		).catch((e: unknown) => e);
		expect(isRedirect(opened) && opened.location).toBe(`/espace/suivis/${draftId}`);
	});

	// Partner walk: under « ne peut plus être reprise », a « Reprendre et soumettre » button led to
	// the form, which sends back to this page.
	it('offers no « Reprendre et soumettre » on its page', async () => {
		const path = `/espace/suivis/${draftId}`;
		const data = await readOnly.load(
			await as(path, '/espace/suivis/[id=id]', { id: String(draftId) })
		);
		const { body } = render(ReadOnlyPage, { props: { data, form: null } as never });
		expect(body).toContain('ne peut plus être reprise ni retirée');
		expect(body).not.toContain('Reprendre et soumettre');
	});

	it('sent without script after the organisation was taken off: the service’s answer is rendered, the typing kept, no 403', async () => {
		const path = `/espace/fiches/9-1/suivi?brouillon=${draftId}`;
		const typed = () =>
			progressFormData({ version: '1', done: 'Tapé pendant que Lot numérique retirait CDG46.' });
		const before = await denials();
		const answer = (await form.actions.default!(
			await as(path, '/espace/fiches/[code=fiche]/suivi', { code: '9-1' }, typed())
		)) as { status: number; data: { message: string; values: Record<string, string> } };
		expect(answer.status).toBe(409);
		expect(answer.data.message).toBe(
			'Votre organisation ne porte plus la fiche 9-1 et n’en est plus partenaire : Lot numérique l’en a retirée pendant que vous écriviez. Rien n’a été enregistré ; votre saisie est conservée ci-dessous, pour la copier ou l’envoyer à Lot numérique.'
		);
		expect(answer.data.values.done).toBe('Tapé pendant que Lot numérique retirait CDG46.');
		// SvelteKit then runs `load` on the same POST to render the page with that answer.
		const page = await Promise.resolve(
			form.load(await as(path, '/espace/fiches/[code=fiche]/suivi', { code: '9-1' }, typed()))
		).catch((e: unknown) => e);
		expect(page).toMatchObject({ fiche: { code: '9-1' }, draft: { id: draftId } });
		expect(await denials()).toBe(before);
	});

	// Read-back s46: the same, writing a new update (no draft yet): the service answered 403 and
	// the page without script was an error page, what was typed lost.
	it('a new update sent without script after the organisation was taken off: answered as a draft is, the typing kept, no 403', async () => {
		await takeOffFiche(db, partner.organisationId!, '1-2');
		const path = '/espace/fiches/1-2/suivi';
		const typed = () => progressFormData({ done: 'Tapé avant que Lot numérique retire CDG46.' });
		const before = await denials();
		const answer = (await form.actions.default!(
			await as(path, '/espace/fiches/[code=fiche]/suivi', { code: '1-2' }, typed())
		)) as { status: number; data: { message: string; values: Record<string, string> } };
		expect(answer.status).toBe(409);
		expect(answer.data.message).toBe(
			'Votre organisation ne porte pas la fiche 1-2 et n’en est pas partenaire, ou ne l’est plus : Lot numérique l’en a peut-être retirée entre-temps. Rien n’a été enregistré ; votre saisie est conservée ci-dessous, pour la copier ou l’envoyer à Lot numérique.'
		);
		expect(answer.data.values.done).toBe('Tapé avant que Lot numérique retire CDG46.');
		const page = await Promise.resolve(
			form.load(await as(path, '/espace/fiches/[code=fiche]/suivi', { code: '1-2' }, typed()))
		).catch((e: unknown) => e);
		expect(page).toMatchObject({ fiche: { code: '1-2' }, draft: null });
		expect(await denials()).toBe(before);
		// Opened again, the form is refused as any fiche the organisation does not work on.
		const opened = await Promise.resolve(
			form.load(await as(path, '/espace/fiches/[code=fiche]/suivi', { code: '1-2' }))
		).catch((e: unknown) => e);
		expect(opened).toMatchObject({ status: 403 });
	});
});
