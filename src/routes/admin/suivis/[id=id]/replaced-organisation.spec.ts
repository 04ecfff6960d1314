import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { createTestUser, PEOPLE } from '$lib/server/auth/testing';
import type { User } from '$lib/server/auth/users';
import { findFicheForReporting } from '$lib/server/progress/repository';
import { reviewProgressUpdate } from '$lib/server/progress/service';
import { submittedWith } from '$lib/server/progress/testing';
import { shownText } from '$lib/utils/html-testing';
import Page from './+page.svelte';
import { load } from './+page.server';
import { adminDatabase, routeEvent } from '../../../route-testing';

// Reviewer's finding: SDAIL's value for a day replaced CDG46's, and the review page said only
// « remplace 12 publié le … » — a self-correction and one organisation overwriting another's
// figure read alike.

const portal = adminDatabase();
const VALIDATED_ON = new Date('2026-12-07T10:00:00Z');

/** An update of 9-1 by `by` giving its first indicator `value` on 1 June 2026, submitted. */
async function submitted(by: User, value: number): Promise<number> {
	const indicatorId = (await findFicheForReporting(portal.db, '9-1'))!.indicators[0]!.id;
	return submittedWith(portal.db, by, {
		indicatorId,
		measuredOn: '2026-06-01',
		value,
		comment: null
	});
}

async function validate(id: number) {
	const input = { updateId: id, version: 1, decision: 'validate', comment: '' } as const;
	const done = await reviewProgressUpdate(portal.db, portal.admin, input, null, VALIDATED_ON);
	if (!done.ok) throw new Error(done.message);
}

/** The staff's page of the update, its text; `unnamed`: as if the other organisation had no name. */
async function shown(id: number, unnamed = false): Promise<string> {
	const data = await load(
		routeEvent(`/admin/suivis/${id}`, '/admin/suivis/[id=id]', { id: String(id) }, portal.admin)
	);
	if (unnamed && data && 'replaced' in data)
		for (const r of data.replaced ?? []) r.organisationName = null;
	return shownText(render(Page, { props: { data, form: null } as never }).body);
}

describe('the review page of an update replacing a published value', () => {
	it('names the other organisation whose value it replaces, in a notice before the decision', async () => {
		const paul = await createTestUser(portal.db, PEOPLE.paul);
		const sam = await createTestUser(portal.db, PEOPLE.sam);
		await validate(await submitted(paul, 12));
		const text = await shown(await submitted(sam, 15));
		expect(text).toContain('15 au 1er juin 2026, remplace 12 publié le 7 décembre 2026 par CDG46');
		expect(text).toMatch(
			/Valeur publiée par une autre organisation : validée, cette mise à jour de SDAIL remplace une valeur publiée par CDG46\. .+ : 15 au 1er juin 2026, remplace 12 publié le 7 décembre 2026 par CDG46 À la validation, un courriel le dit aux personnes de CDG46 qui reçoivent les avis de validation, s’il y en a dont le compte est actif\./
		);
		// Before the values and the decision.
		expect(text.indexOf('autre organisation')).toBeLessThan(text.indexOf('Valider et publier'));
	});

	// Diff review: « Les personnes de une autre organisation ».
	it('says « d’une autre organisation » for one it cannot name', async () => {
		const paul = await createTestUser(portal.db, PEOPLE.paul);
		const sam = await createTestUser(portal.db, PEOPLE.sam);
		await validate(await submitted(paul, 12));
		const text = await shown(await submitted(sam, 15), true);
		expect(text).toContain('remplace une valeur publiée par une autre organisation.');
		expect(text).toContain('aux personnes d’une autre organisation qui reçoivent');
		expect(text).not.toContain('de une');
	});

	it('says a self-correction as before, without a notice', async () => {
		const paul = await createTestUser(portal.db, PEOPLE.paul);
		await validate(await submitted(paul, 12));
		const text = await shown(await submitted(paul, 15));
		expect(text).toContain('15 au 1er juin 2026, remplace 12 publié le 7 décembre 2026');
		expect(text).not.toContain('par CDG46');
		expect(text).not.toContain('autre organisation');
	});
});
