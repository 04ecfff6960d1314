import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { createTestUser, PEOPLE } from '$lib/server/auth/testing';
import type { User } from '$lib/server/auth/users';
import { reviewProgressUpdate, saveProgressUpdate } from '$lib/server/progress/service';
import { progressInput } from '$lib/server/progress/testing';
import { shownText } from '$lib/utils/html-testing';
import Page from './+page.svelte';
import { load } from './+page.server';
import { adminDatabase, routeEvent } from '../../../route-testing';

// Reviewer's walk (s58): an update returned, corrected, then validated read on the staff's page as
// if still pending (« Statut proposé », « Mises à jour à valider ») and its return's comment as
// the validation's (« Commentaire : … — » the validator).

const portal = adminDatabase();
const RETURNED_ON = new Date('2026-12-05T10:00:00Z');
const VALIDATED_ON = new Date('2026-12-07T10:00:00Z');

async function decide(
	by: User,
	id: number,
	version: number,
	decision: 'validate' | 'return',
	now: Date
) {
	const comment = decision === 'return' ? 'Merci de préciser la source.' : '';
	const done = await reviewProgressUpdate(
		portal.db,
		by,
		{ updateId: id, version, decision, comment },
		null,
		now
	);
	if (!done.ok) throw new Error(done.message);
}

/** Paul's update of 9-1 (30 %), returned by Anne on 5 December: its id. */
async function returned(): Promise<{ paul: User; id: number }> {
	const paul = await createTestUser(portal.db, PEOPLE.paul);
	const saved = await saveProgressUpdate(portal.db, paul, '9-1', null, progressInput(), null);
	if (!saved.ok) throw new Error(saved.message);
	await decide(portal.admin, saved.value.id, 1, 'return', RETURNED_ON);
	return { paul, id: saved.value.id };
}

/** Corrected and sent again by Paul. */
async function resubmit(paul: User, id: number) {
	const again = await saveProgressUpdate(
		portal.db,
		paul,
		'9-1',
		id,
		progressInput({ version: 2 }),
		null
	);
	if (!again.ok) throw new Error(again.message);
}

/** The staff's page of the update as read: its breadcrumb, and its body's text. */
async function shown(id: number): Promise<{ crumbs: string; text: string; body: string }> {
	const data = await load(
		routeEvent(`/admin/suivis/${id}`, '/admin/suivis/[id=id]', { id: String(id) }, portal.admin)
	);
	const body = render(Page, { props: { data, form: null } as never }).body;
	const crumbs = /<nav aria-label="Fil d’Ariane"[^>]*>([\s\S]*?)<\/nav>/.exec(body)?.[1] ?? '';
	return { crumbs: shownText(crumbs), text: shownText(body), body };
}

describe('the staff’s page of an update already handled', () => {
	it('says its comment was a return’s, by whom, and what the validation published', async () => {
		const { paul, id } = await returned();
		await resubmit(paul, id);
		const pending = await shown(id);
		expect(pending.crumbs).toBe('Administration › Mises à jour à valider › Fiche 9-1');
		expect(pending.text).toContain(
			'Renvoyée pour correction le 5 décembre 2026 par Anne Admin : Merci de préciser la source.'
		);
		expect(pending.text).toContain('Statut proposé');
		expect(pending.text).toContain('Avancement proposé');
		// Validated by someone else: the comment is still the return's, named after who wrote it.
		const sophie = await createTestUser(portal.db, {
			email: 'sophie@lot.fr',
			name: 'Sophie Équipe',
			role: 'admin'
		});
		await decide(sophie, id, 3, 'validate', VALIDATED_ON);
		const validated = await shown(id);
		expect(validated.crumbs).toBe(
			'Administration › Historique de la fiche 9-1 › Mise à jour du 1er mars 2026'
		);
		expect(validated.body).toContain('href="/fiches/9-1#historique"');
		expect(validated.text).toContain('État validée et publiée');
		expect(validated.text).toContain(
			'Renvoyée pour correction le 5 décembre 2026 par Anne Admin : Merci de préciser la source.'
		);
		expect(validated.text).not.toContain('Commentaire');
		expect(validated.text).not.toContain('Sophie Équipe');
		expect(validated.text).toContain('Statut publié');
		expect(validated.text).toContain('Avancement publié');
		expect(validated.text).not.toContain('proposé');
	});

	it('a returned update is in no list of staff’s, and still says what it proposes', async () => {
		const { id } = await returned();
		const page = await shown(id);
		expect(page.crumbs).toBe('Administration › Mise à jour de la fiche 9-1');
		expect(page.text).toContain('État renvoyée pour correction');
		expect(page.text).toContain('Renvoyée pour correction le 5 décembre 2026 par Anne Admin :');
		expect(page.text).toContain('Statut proposé');
	});
});
