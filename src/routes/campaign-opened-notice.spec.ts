import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { createTestUser, PEOPLE } from '$lib/server/auth/testing';
import { openCampaign } from '$lib/server/campaigns/service';
import { configureMail } from '$lib/server/mail/outbox';
import { recordRelayFailure } from '$lib/server/mail/outbox-repository';
import { daysAfter, parisToday } from '$lib/utils/dates';
import Page from './admin/campagnes/[id=id]/+page.svelte';
import { load } from './admin/campagnes/[id=id]/+page.server';
import { adminDatabase, routeEvent } from './route-testing';

const portal = adminDatabase();

/** A campaign opened for CDG46's fiches, as its form would; its id. */
async function openOne(): Promise<string> {
	// Someone of CDG46 receives the campaigns' messages: the opening reaches somebody.
	await createTestUser(portal.db, PEOPLE.paul);
	const cdg = await portal.db
		.selectFrom('organisation')
		.select('id')
		.where('slug', '=', 'cdg46')
		.executeTakeFirstOrThrow();
	const opened = await openCampaign(
		portal.db,
		portal.admin,
		{
			title: 'Point d’étape',
			deadline: daysAfter(parisToday(), 30),
			scope: { kind: 'organisation', organisationId: cdg.id },
			sittingId: null,
			reminders: '-3'
		},
		null
	);
	if (!opened.ok) throw new Error(opened.message);
	return String(opened.value.id);
}

/** The notice a campaign's page shows once it is opened (`?ouverte=1`), as text. */
async function openedNotice(id: string): Promise<string> {
	const signedIn = { user: portal.admin, session: { id: 'test' } } as never;
	const data = await load(
		routeEvent(`/admin/campagnes/${id}?ouverte=1`, '/admin/campagnes/[id=id]', { id }, signedIn)
	);
	const { body } = render(Page, { props: { data, form: null } as never });
	const status = /<div class="notice" role="status">([\s\S]*?)<\/div>/.exec(body)?.[1] ?? '';
	return status.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
}

// Review s44 (staff with a relay): with the relay known down, the notice said « un courriel part ».
describe('the notice of a campaign just opened', () => {
	it('says its messages wait while the relay is known down, and leave otherwise', async () => {
		const before = configureMail({
			origin: 'https://sdusn.test',
			from: 'Portail <x@sdusn.test>',
			relayed: true
		});
		try {
			const id = await openOne();
			expect(await openedNotice(id)).toContain('un courriel part vers chaque organisation');
			await recordRelayFailure(portal.db, {
				now: Date.UTC(2026, 11, 5, 17, 50),
				failures: 3,
				pausedUntil: 0,
				reason: 'ECONNREFUSED'
			});
			const waiting = await openedNotice(id);
			expect(waiting).toMatch(
				/un courriel est écrit pour chaque organisation concernée qui a un compte\s; il attend\s: le serveur de courrier ne répond pas depuis le 5\sdécembre\s2026/
			);
			expect(waiting).not.toContain('part vers');
		} finally {
			configureMail(before);
		}
	});
});
