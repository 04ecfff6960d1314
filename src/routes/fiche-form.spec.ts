import { isRedirect } from '@sveltejs/kit';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { findFicheState, lastFicheRevisionId } from '$lib/server/authoring/repository';
import { ficheFormValues } from '$lib/server/authoring/fiche-form';
import { indicatorRowField } from '$lib/schemas/plan-edit';
import { actions, load } from './admin/plan/fiches/[code=fiche]/+page.server';
import FichePage from './admin/plan/fiches/[code=fiche]/+page.svelte';
import { shownText } from '$lib/utils/html-testing';
import { measuredKindRefusal } from '$lib/utils/vocabulary';
import { adminDatabase, postAction, routeEvent, withSession } from './route-testing';

// A fiche's form, sent to the route's own action as an administrator.

const portal = adminDatabase();

/** The fiche `code`'s form, `fields` posted to its action `action` by the administrator. */
async function postFiche(
	action: 'enregistrer' | 'abandonner',
	code: string,
	fields: Record<string, string>
) {
	return postAction(
		actions[action],
		{
			path: `/admin/plan/fiches/${code}?/${action}`,
			route: '/admin/plan/fiches/[code=fiche]',
			params: { code }
		},
		await withSession(portal.db, portal.admin),
		fields
	);
}

async function send(code: string, changes: Record<string, string>) {
	const state = (await findFicheState(portal.db, code))!;
	const values = {
		...ficheFormValues(state, await lastFicheRevisionId(portal.db, state.id)),
		...changes
	};
	return (await postFiche('enregistrer', code, values)) as {
		status: number;
		data: { errors: Record<string, string> };
	};
}

describe('the fiche’s form', () => {
	it('tells an unknown linked code, or the fiche itself, with the other refused fields at once', async () => {
		const unknown = await send('9-1', { title: '', links: '1-1, 99-9', reason: 'Relecture' });
		expect(unknown.status).toBe(400);
		expect(unknown.data.errors).toMatchObject({
			title: expect.any(String),
			links: 'Aucune fiche ne porte le code 99-9.'
		});
		const itself = await send('9-1', { title: '', links: '9-1', reason: 'Relecture' });
		expect(itself.data.errors.links).toBe('Une fiche ne peut pas être liée à elle-même.');
	});

	// Walkthrough s47: « 4-1, 99-9, 16-1 » on fiche 4-1 said only « Aucune fiche ne porte le code
	// 99-9 », then, once corrected, « Une fiche ne peut pas être liée à elle-même ».
	it('tells every problem of the linked fiches at once, in one message', async () => {
		const all = await send('4-1', { links: '4-1, 99-9, 98-1, 16-1, x', reason: 'Relecture' });
		expect(all.status).toBe(400);
		expect(all.data.errors.links).toBe(
			'« x » n’est pas un code de fiche (exemple : 3-1). Aucune fiche ne porte les codes 99-9 et 98-1. Une fiche ne peut pas être liée à elle-même.'
		);
		const valid = await send('4-1', { title: '', links: '4-1, 99-9, 16-1', reason: 'Relecture' });
		expect(valid.data.errors.links).toBe(
			'Aucune fiche ne porte le code 99-9. Une fiche ne peut pas être liée à elle-même.'
		);
	});
});

// Walkthrough of December 2026 (finding 6): 4-4's indicator set to « oui ou non » said only its
// target's problem; its published value (8) was told at the next send, the target emptied.
describe('an indicator’s new kind its values do not fit', () => {
	it('is told in the first answer, beside its target’s problem', async () => {
		const kind = indicatorRowField(0, 'kind');
		const target = indicatorRowField(0, 'target');
		const sent = await send('14-1', { [kind]: 'boolean', [target]: '40', reason: 'Nature' });
		expect(sent.status).toBe(400);
		expect(Object.keys(sent.data.errors)).toEqual(expect.arrayContaining([kind, target]));
		// 14-1's seeded measurement (10), published: its nature changes no more (s56).
		expect(sent.data.errors[kind]).toBe(measuredKindRefusal(1));
	});
});

// An empty indicator row before the one refused shifted the message onto the row above it (its
// place among the rows read, not in the form).
describe('an indicator’s new kind refused below an empty row', () => {
	it('is told on its own row', async () => {
		const state = (await findFicheState(portal.db, '14-1'))!;
		const values = ficheFormValues(state, await lastFicheRevisionId(portal.db, state.id));
		const shifted: Record<string, string> = {};
		for (const [name, value] of Object.entries(values)) {
			const row = /^ind_(\d+)_(.+)$/.exec(name);
			if (row) {
				shifted[name] ??= '';
				shifted[indicatorRowField(Number(row[1]) + 1, row[2] as 'kind')] = value;
			} else shifted[name] = value;
		}
		const sent = (await postFiche('enregistrer', '14-1', {
			...shifted,
			[indicatorRowField(1, 'kind')]: 'boolean',
			reason: 'Nature'
		})) as { status: number; data: { errors: Record<string, string> } };
		expect(sent.status).toBe(400);
		expect(sent.data.errors[indicatorRowField(1, 'kind')]).toBe(measuredKindRefusal(1));
		expect(sent.data.errors[indicatorRowField(0, 'kind')]).toBeUndefined();
	});
});

// Walkthrough s49: « Grand Cahors » chosen again on 5-1 with another précision, « Département du
// Lot » twice as owner of 7-3 with the same scope and another note: a 500 (the tables' unique keys).
describe('an organisation entered twice on a fiche', () => {
	it('is refused on the repeating row, naming the organisation and the row it repeats, typing kept', async () => {
		const partners = (await findFicheState(portal.db, '5-1'))!.partners;
		const [grandCahors] = partners.filter((p) => p.name === 'Grand Cahors');
		const row = partners.length;
		const partner = await send('5-1', {
			[`partner_${row}_org`]: String(grandCahors!.organisationId),
			[`partner_${row}_detail`]: 'Hébergement des ateliers',
			reason: 'Nouveau partenariat'
		});
		expect(partner.status).toBe(400);
		expect(partner.data.errors).toEqual({
			[`partner_${row}_org`]: `« Grand Cahors » est déjà partenaire de la fiche 5-1 (Partenaire ${partners.indexOf(grandCahors!) + 1}) : une organisation n’est partenaire d’une fiche qu’une fois. Gardez une seule ligne.`
		});
		expect(
			(partner.data as unknown as { values: Record<string, string> }).values[
				`partner_${row}_detail`
			]
		).toBe('Hébergement des ateliers');

		const owners = (await findFicheState(portal.db, '7-3'))!.owners;
		const lot = owners.find((o) => o.name === 'Département du Lot')!;
		const owner = await send('7-3', {
			[`owner_${owners.length}_org`]: String(lot.organisationId),
			[`owner_${owners.length}_scope`]: lot.scope ?? '',
			[`owner_${owners.length}_note`]: 'Une autre note',
			title: '',
			reason: 'Relecture'
		});
		expect(owner.status).toBe(400);
		// Told with the other refused fields at once.
		expect(owner.data.errors).toMatchObject({
			title: expect.any(String),
			[`owner_${owners.length}_org`]: `« Département du Lot » porte déjà la fiche 7-3 ${lot.scope ? `avec le périmètre « ${lot.scope} »` : 'sans périmètre'} (Porteur ${owners.indexOf(lot) + 1}) : une organisation porte une fiche une fois par périmètre. Gardez une seule ligne, ou donnez à celle-ci un autre périmètre.`
		});
	});
});

// Probe s54: on 1-1, row 1 sent with row 0's indicator id answered « Aucune modification… », the
// second row dropped unseen.
describe('an indicator sent on two rows', () => {
	it('is refused on the repeating row, naming both rows, typing kept', async () => {
		const [first] = (await findFicheState(portal.db, '1-1'))!.indicators;
		const label = indicatorRowField(1, 'label');
		const sent = await send('1-1', {
			[indicatorRowField(1, 'id')]: String(first!.id),
			[label]: 'Deuxième copie',
			[indicatorRowField(1, 'kind')]: 'count',
			reason: 'Relecture des indicateurs'
		});
		expect(sent.status).toBe(400);
		expect(sent.data.errors).toEqual({
			[label]: `Indicateur 2 : c’est l’indicateur n° ${first!.id} de la ligne « Indicateur 1 », envoyé deux fois. Rien n’a été enregistré ; rechargez la fiche et reportez-y votre saisie, une ligne par indicateur.`
		});
		expect((sent.data as unknown as { values: Record<string, string> }).values[label]).toBe(
			'Deuxième copie'
		);
	});
});

describe('abandoning a fiche', () => {
	async function abandon(code: string, confirm?: string) {
		const state = (await findFicheState(portal.db, code))!;
		const fields = {
			version: String(state.version),
			reason: 'Action reprise par le département',
			decision: '',
			...(confirm ? { confirm } : {})
		};
		return postFiche('abandonner', code, fields).catch((thrown: unknown) => thrown);
	}

	// Walkthrough s47: one click abandoned fiche 16-1, with no word that it was final.
	it('asks for the box to be ticked, as a merge does, keeping the reason, then abandons', async () => {
		const unticked = await abandon('16-1');
		expect(unticked).toMatchObject({
			status: 400,
			data: {
				errors: {
					confirm:
						'Cochez la case pour confirmer l’abandon : une fiche abandonnée ne peut pas être reprise.'
				},
				values: { reason: 'Action reprise par le département' }
			}
		});
		expect((await findFicheState(portal.db, '16-1'))!.status).not.toBe('abandonnee');
		expect(isRedirect(await abandon('16-1', 'oui'))).toBe(true);
		expect((await findFicheState(portal.db, '16-1'))!.status).toBe('abandonnee');
	});
});

/** The page of the fiche `code`'s form, as the administrator opens it. */
async function fichePage(code: string): Promise<string> {
	const data = await load(
		routeEvent(
			`/admin/plan/fiches/${code}`,
			'/admin/plan/fiches/[code=fiche]',
			{ code },
			await withSession(portal.db, portal.admin)
		) as never
	);
	return render(FichePage, { props: { data, form: null } as never }).body;
}

describe('the fiche’s owner and partner rows', () => {
	// Walkthrough s47: « Porteur 4 (à ajouter) » read « — aucune (ligne retirée) — », nothing removed.
	it('say « aucune » on an empty row to add, « ligne retirée » only as the choice of a row held', async () => {
		const body = await fichePage('14-1');
		const firstOption = (name: string) =>
			new RegExp(`name="${name}"[^>]*>\\s*(?:<!--[^>]*-->)*<option value=""[^>]*>([^<]*)<`).exec(
				body
			)?.[1];
		expect(firstOption('owner_0_org')).toBe('— aucune (ligne retirée) —');
		expect(firstOption('owner_1_org')).toBe('— aucune —');
		expect(firstOption('partner_0_org')).toBeDefined();
	});
});

// Review, December 2026: the form had its H1, then some twenty fieldsets with legends only before
// the H2 « Changer le statut »: a screen reader's list of headings skipped the whole form. Each part
// of the form is headed (its legend holds an H2), in order, no level skipped.
describe('the headings of a fiche’s form', () => {
	it('head each part of the form, then the status and the abandon, no level skipped', async () => {
		const html = await fichePage('4-1');
		const headings = [...html.matchAll(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/g)].map(
			(m) => `h${m[1]} ${shownText(m[2]!)}`
		);
		expect(headings).toEqual([
			'h1 Modifier la fiche 4-1',
			'h2 Titre, objectif et priorité',
			'h2 Textes de la fiche',
			'h2 Porteurs',
			'h2 Partenaires',
			'h2 Fiches liées',
			'h2 Indicateurs',
			'h2 Pourquoi cette modification',
			'h2 Changer le statut',
			'h2 Abandonner la fiche'
		]);
		// Each part's heading is its fieldset's legend: the fields stay grouped under it.
		expect(html).toContain('<legend><h2>Textes de la fiche</h2></legend>');
	});
});
