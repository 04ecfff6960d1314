import { render } from 'svelte/server';
import { describe, expect, it, vi } from 'vitest';
import { createTestUser, PEOPLE } from '$lib/server/auth/testing';
import {
	campaignCompletion,
	changeCampaignDates,
	closeCampaign
} from '$lib/server/campaigns/service';
import { reminderDaysText } from '$lib/schemas/campaign';
import { daysAfter } from '$lib/utils/dates';
import { openedCampaign } from '$lib/server/campaigns/testing';
import { configureMail } from '$lib/server/mail/outbox';
import { recordRelayFailure } from '$lib/server/mail/outbox-repository';
import { listFichesForOrganisation } from '$lib/server/progress/repository';
import { saveProgressUpdate } from '$lib/server/progress/service';
import { progressInput } from '$lib/server/progress/testing';
import { shownText } from '$lib/utils/html-testing';
import Page from './admin/campagnes/[id=id]/+page.svelte';
import { actions, load } from './admin/campagnes/[id=id]/+page.server';
import { adminDatabase, idRoute, postAction, routeAnswer, routeEvent } from './route-testing';

const portal = adminDatabase();

/** Runs `act` with mail configured to go through a relay, as before it afterwards. */
async function withRelay(act: () => Promise<void>): Promise<void> {
	const before = configureMail({
		origin: 'https://sdusn.test',
		from: 'Portail <x@sdusn.test>',
		relayed: true
	});
	try {
		await act();
	} finally {
		configureMail(before);
	}
}

async function cdg46(): Promise<number> {
	const found = await portal.db
		.selectFrom('organisation')
		.select('id')
		.where('slug', '=', 'cdg46')
		.executeTakeFirstOrThrow();
	return found.id;
}

/** A campaign opened for CDG46's fiches, as its form would; its id. */
async function openOne(withPaul = true): Promise<string> {
	// Someone of CDG46 receives the campaigns' messages: the opening reaches somebody.
	if (withPaul) await createTestUser(portal.db, PEOPLE.paul);
	const scope = { kind: 'organisation' as const, organisationId: await cdg46() };
	return String(await openedCampaign(portal.db, portal.admin, { scope, reminders: '-3' }));
}

/** A campaign's page at `?query` (`ouverte=1`: once it is opened), as HTML, read by `reader`. */
async function campaignPage(
	id: string,
	query = 'ouverte=1',
	reader = portal.admin
): Promise<string> {
	const data = await load(
		routeEvent(`/admin/campagnes/${id}?${query}`, '/admin/campagnes/[id=id]', { id }, reader)
	);
	return render(Page, { props: { data, form: null } as never }).body;
}

/** The notice a campaign's page shows at `?query` (`ouverte=1`: once it is opened), as text. */
async function notice(id: string, query = 'ouverte=1', reader = portal.admin): Promise<string> {
	const body = await campaignPage(id, query, reader);
	return shownText(/<div class="notice" role="status">([\s\S]*?)<\/div>/.exec(body)?.[1] ?? '');
}

/** Paul of CDG46 submits an update of `count` of its fiches (all of them: undefined); Paul. */
async function answered(count?: number) {
	const paul = await createTestUser(portal.db, PEOPLE.paul);
	const fiches = await listFichesForOrganisation(portal.db, await cdg46(), 2026);
	for (const fiche of fiches.slice(0, count)) {
		const saved = await saveProgressUpdate(
			portal.db,
			paul,
			fiche.code,
			null,
			progressInput(),
			null
		);
		if (!saved.ok) throw new Error(saved.message);
	}
	return paul;
}

/**
 * Paul of CDG46 submits an update of `count` of its fiches (all of them: undefined), then leaves
 * the organisation for the commission: CDG46 has no active account left.
 */
async function answeredThenLeft(count?: number): Promise<void> {
	const paul = await answered(count);
	await portal.db
		.updateTable('user_account')
		.set({ role: 'commission', organisation_id: null })
		.where('id', '=', paul.id)
		.execute();
}

// Staff review s62: `?ouverte=1` and `?dates=1` were trusted from the address: « Campagne
// ouverte : un courriel part… » above « Close le … », and the dates' notice to any admin, any day.
describe('the notices of a campaign opened or of its dates changed, read from the address', () => {
	it('are said only to the admin who did it, in the last minutes, and « ouverte » only while open', async () => {
		const id = await openOne();
		const bruno = await createTestUser(portal.db, {
			email: 'bruno@lot.fr',
			name: 'Bruno Admin',
			role: 'admin'
		});
		expect(await notice(id)).toContain('Campagne ouverte');
		expect(await notice(id, 'ouverte=1', bruno)).toBe('');

		const dates = await campaignCompletion(portal.db, Number(id));
		if (!dates.ok) throw new Error(dates.message);
		const { deadline, reminderDays } = dates.value.campaign;
		const moved = await changeCampaignDates(
			portal.db,
			bruno,
			Number(id),
			{
				deadline: daysAfter(deadline, 5),
				reminders: '-3',
				shownDeadline: deadline,
				shownReminders: reminderDaysText(reminderDays),
				notify: false
			},
			null
		);
		if (!moved.ok) throw new Error(moved.message);
		expect(await notice(id, 'dates=1', bruno)).toContain('Échéance modifiée');
		// Bruno's change, not Anne's: to her, the address says nothing.
		expect(await notice(id, 'dates=1')).toBe('');

		// Eleven minutes later, the same addresses are links from history.
		vi.useFakeTimers({ toFake: ['Date'] });
		try {
			vi.setSystemTime(Date.now() + 11 * 60 * 1000);
			expect(await notice(id)).toBe('');
			expect(await notice(id, 'dates=1', bruno)).toBe('');
		} finally {
			vi.useRealTimers();
		}
	});

	it('never says « ouverte » of a campaign closed', async () => {
		const id = await openOne();
		expect((await closeCampaign(portal.db, portal.admin, Number(id), null)).ok).toBe(true);
		expect(await notice(id)).toBe('');
	});
});

// Review s44 (staff with a relay): with the relay known down, the notice said « un courriel part ».
describe('the notice of a campaign just opened', () => {
	it('says its messages wait while the relay is known down, and leave otherwise', async () => {
		await withRelay(async () => {
			const id = await openOne();
			expect(await notice(id)).toContain('un courriel part vers chaque organisation');
			await recordRelayFailure(portal.db, {
				now: Date.UTC(2026, 11, 5, 17, 50),
				failures: 3,
				pausedUntil: 0,
				reason: 'ECONNREFUSED'
			});
			const waiting = await notice(id);
			expect(waiting).toMatch(
				/un courriel est écrit pour chaque organisation concernée qui a un compte\s; il attend\s: le serveur de courrier ne répond pas depuis le 5\sdécembre\s2026/
			);
			expect(waiting).not.toContain('part vers');
		});
	});
});

// Read-back s46: an organisation counted because it answered before losing its last account was
// said to have accounts that turned reminders off, and « elle n’atteint personne » stood beside
// « Campagne complète ».
describe('a campaign whose organisation answered before losing its last account', () => {
	it('is complete, and says it wrote to nobody without calling that a failure', async () => {
		await answeredThenLeft();
		const page = shownText(await campaignPage(await openOne(false)));
		expect(page).toContain('Campagne complète');
		expect(page).not.toContain('atteint personne');
		expect(page).toContain(
			'Campagne ouverte : toutes les organisations attendues avaient déjà soumis leurs mises à jour, aucun courriel ne leur est écrit.'
		);
		expect(page).not.toContain('désactivé les rappels');
		expect(page).toMatch(
			/Une organisation concernée n’a plus de compte actif, mais elle avait répondu avant de le perdre : elle est comptée, sans être ni prévenue ni relancée par courriel \(CDG46\)/
		);
	});

	it('reaches nobody for the fiches it still owes, and says why', async () => {
		await answeredThenLeft(1);
		const page = shownText(await campaignPage(await openOne(false)));
		expect(page).toContain('Campagne ouverte, mais elle n’atteint personne');
		expect(page).not.toContain('Campagne complète');
		expect(page).not.toContain('désactivé les rappels');
		expect(page).toContain('n’a plus de compte actif, mais elle avait répondu avant de le perdre');
	});
});

// Left noticed s47: the notice said a mail went to every organisation with an account, while the
// opening writes to none that had already answered for each of its fiches (openCampaign).
describe('a campaign opened after an organisation answered for all its fiches', () => {
	it('says that organisation is not written to', async () => {
		await withRelay(async () => {
			await answered();
			await createTestUser(portal.db, PEOPLE.sam);
			const id = await openedCampaign(portal.db, portal.admin, { reminders: '-3' });
			const written = await portal.db
				.selectFrom('mail_outbox')
				.select('recipient')
				.where('kind', '=', 'campaign')
				.execute();
			expect(written.map((m) => m.recipient)).toEqual([PEOPLE.sam.email]);
			expect(await notice(String(id))).toContain(
				'un courriel part vers chaque organisation concernée qui a un compte, sauf celles qui avaient déjà soumis une mise à jour de chacune de leurs fiches'
			);
		});
	});
});

// Left noticed s48: the closing's notice read its count from `?annules=` in the address, so a link
// made up showed any number; it is read back from the outbox, as the dates change's figures are
// read from the journal.
describe('the notice of a campaign closed', () => {
	it('says how many waiting messages the closing cancelled, as the outbox holds them', async () => {
		await withRelay(async () => {
			const id = await openOne();
			// Made up on a campaign still open: nothing is said.
			expect(await notice(id, 'close=1&annules=40')).toBe('');
			const closing = await routeAnswer(() =>
				postAction(actions.close, idRoute('/admin/campagnes/[id=id]', id), portal.admin, {
					confirm: 'oui'
				})
			);
			expect(closing).toMatchObject({ status: 303, location: `/admin/campagnes/${id}?close=1` });
			// Paul's opening mail was waiting for the relay: the closing cancelled it.
			const told = await notice(id, 'close=1&annules=40');
			expect(told).toContain('1 courriel d’ouverture ou de rappel qui attendait encore');
			expect(told).not.toContain('40');
		});
	});

	it('says nothing of cancelled messages when none waited', async () => {
		const id = await openOne(false);
		expect((await closeCampaign(portal.db, portal.admin, Number(id), null)).ok).toBe(true);
		expect(await notice(id, 'close=1&annules=40')).toMatch(/les partenaires ne la voient plus\.$/);
	});
});

// Issue #14: the table said « CDG46 : sans compte (ne peut pas répondre) » where the commission's
// file said « Non attendue, faute de compte partenaire actif ». Then each such organisation took
// four lines at 390 px (five or six of them under most fiches): they are named together, once.
describe('the organisations the campaign does not wait for, in its table by fiche', () => {
	it('are named together after those it waits for, as the commission’s file names them', async () => {
		const id = await openOne();
		const byFiche =
			/<table[^>]*>\s*<caption[^>]*>Avancement par fiche<\/caption>([\s\S]*?)<\/table>/;
		const table = shownText(byFiche.exec(await campaignPage(id, ''))![1]!);
		expect(table).toContain(
			'1-1 Accompagnement des élus aux enjeux du numériqueCDG46 : manquante Non attendues, faute de compte partenaire actif (ni prévenues ni comptées) : ADCF, AMF46, Organismes de formation, SGAR, Syndicat mixte Lot numérique1-2 '
		);
		expect(table).not.toMatch(/sans compte|ne peut pas répondre|: non attendue/);
	});
});

describe('a campaign’s reminder days', () => {
	// Walkthrough s58: « rappels à J- / 3, J+1. » cut after the hyphen at 390 px.
	it('are each kept on one line, the plain hyphen kept', async () => {
		const id = await openOne();
		const body = await campaignPage(id, '');
		expect(body.replace(/<!--[^>]*-->/g, '')).toMatch(
			/rappel\sà <span class="nobreak[^"]*">J-3<\/span>/
		);
	});
});
