import { render } from 'svelte/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '$lib/server/auth/users';
import { reviewProgressUpdate, saveProgressUpdate } from '$lib/server/progress/service';
import { createPartner, progressInput } from '$lib/server/progress/testing';
import Page from './espace/+page.svelte';
import { load } from './espace/+page.server';
import { adminDatabase, routeEvent } from './route-testing';
import { shownText } from '$lib/utils/html-testing';

const portal = adminDatabase();

/** /espace as `partner` sees it, as text. */
async function espace(partner: User): Promise<string> {
	const data = await load(routeEvent('/espace', '/espace', {}, partner));
	const { body } = render(Page, { props: { data } as never });
	return body.replace(/<!--[\s\S]*?-->/g, '');
}

async function submitted(partner: User, code: string, reportedOn = '2026-03-01'): Promise<number> {
	const input = progressInput({ reportedOn });
	const saved = await saveProgressUpdate(portal.db, partner, code, null, input, null);
	if (!saved.ok) throw new Error(saved.message);
	return saved.value.id;
}

async function validated(id: number, at = new Date()): Promise<void> {
	const decision = { updateId: id, version: 1, decision: 'validate', comment: '' } as const;
	const review = await reviewProgressUpdate(portal.db, portal.admin, decision, null, at);
	if (!review.ok) throw new Error(review.message);
}

afterEach(() => {
	vi.useRealTimers();
});

describe('/espace', () => {
	// Walkthrough s46: the table said « Reprendre la mise à jour en cours » for an update the list
	// above offered to « Lire ou retirer ».
	it('offers a submitted update the same link in its list and in the fiches’ table', async () => {
		const partner = await createPartner(portal.db, 'cdg46', 'lea@cdg46.test');
		const id = await submitted(partner, '1-2');
		const page = await espace(partner);
		const links = [...page.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<span/g)]
			.filter(([, href]) => href === `/espace/suivis/${id}`)
			.map(([, , words]) => words?.trim());
		expect(links).toEqual(['Lire ou retirer', 'Lire ou retirer']);
		expect(page).not.toContain('Reprendre la mise à jour en cours');
	});

	// Walkthrough s46: once validated, an update was mentioned nowhere on /espace (a partner who
	// turned the validation mail off was never told).
	it('lists the updates validated in the last 30 days, with a link to each', async () => {
		const partner = await createPartner(portal.db, 'cdg46', 'lea@cdg46.test');
		const id = await submitted(partner, '1-2');
		expect(await espace(partner)).not.toContain('Validées récemment');
		await validated(id);
		const page = await espace(partner);
		expect(page).toContain('Validées récemment');
		const section = page.slice(page.indexOf('Validées récemment'));
		const item = /<li>([\s\S]*?)<\/li>/.exec(section)?.[1]?.replace(/\s+/g, ' ') ?? '';
		expect(item).toMatch(
			/^ ?Fiche <strong>1-2<\/strong>, mise à jour du 1er\smars\s2026 : validée le /
		);
		expect(item).toContain(`<a href="/espace/suivis/${id}">Lire <span`);
	});

	// Walkthrough s58: two validated updates of a fiche and day read « Fiche 6-1, mise à jour du
	// 7 décembre 2026 : validée le … — Lire la mise à jour de la fiche 6-1 » twice (WCAG 2.4.4).
	it('tells two validated updates of the same fiche and day apart by their number', async () => {
		const partner = await createPartner(portal.db, 'cdg46', 'lea@cdg46.test');
		const first = await submitted(partner, '1-2');
		await validated(first);
		const second = await submitted(partner, '1-2');
		await validated(second);
		const other = await submitted(partner, '1-2', '2026-03-02');
		await validated(other);
		const section = shownText(
			(await espace(partner)).split('id="validees"')[1]!.split('</ul>')[0]!
		);
		expect(section).toContain(`Fiche 1-2, mise à jour n° ${first} du 1er mars 2026 : validée le `);
		expect(section).toContain(`Lire la mise à jour n° ${first} de la fiche 1-2`);
		expect(section).toContain(`Lire la mise à jour n° ${second} de la fiche 1-2`);
		// Alone on its day: as before.
		expect(section).toContain('Fiche 1-2, mise à jour du 2 mars 2026 : validée le ');
	});

	// Read-back s46: « ces 30 derniers jours » listed 31 (today and the 30 days before it).
	it('counts today and the 29 days before it, from midnight in Paris', async () => {
		const partner = await createPartner(portal.db, 'cdg46', 'lea@cdg46.test');
		// The first of the 30 days that end on 15 April 2026 is 17 March, which begins at
		// 23:00 UTC on the 16th (winter time: Paris moves to summer time on 29 March).
		const lastMomentBefore = await submitted(partner, '1-2', '2026-03-01');
		await validated(lastMomentBefore, new Date('2026-03-16T22:59:59.999Z'));
		const firstMoment = await submitted(partner, '1-2', '2026-03-10');
		await validated(firstMoment, new Date('2026-03-16T23:00:00.000Z'));
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(new Date('2026-04-15T21:59:59.000Z')); // 23:59:59 in Paris
		const page = await espace(partner);
		const section = page.slice(page.indexOf('Validées récemment'), page.indexOf('mes-fiches'));
		const listed = [...section.matchAll(/href="\/espace\/suivis\/(\d+)"/g)].map(([, id]) =>
			Number(id)
		);
		expect(listed).toEqual([firstMoment]);
		expect(section.replace(/\s+/g, ' ')).toContain('ces 30 derniers jours');
	});
});

// A walkthrough of December 2026: a fiche never updated was « Aucune mise à jour depuis 6 mois » beside
// « Dernière mise à jour : jamais ».
describe('/espace, a fiche never updated', () => {
	it('is said « Jamais mise à jour », the words of the commission’s file', async () => {
		const partner = await createPartner(portal.db, 'cdg46', 'lea@cdg46.test');
		const rows = [...(await espace(partner)).matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
			.map(([, row]) => shownText(row!))
			.filter((row) => row.includes('jamais'));
		expect(rows.length).toBeGreaterThan(0);
		for (const row of rows) {
			expect(row).toContain('Jamais mise à jour');
			expect(row).not.toContain('Aucune mise à jour depuis');
		}
	});
});
