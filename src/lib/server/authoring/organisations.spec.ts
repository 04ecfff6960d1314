import { sql } from 'kysely';
import { foldForMatching } from '../../utils/text';
import { formatDate, formatMoment } from '../../utils/format';
import { parisDate } from '../../utils/dates';
import { describe, expect, it } from 'vitest';
import { findUserById, type User } from '../auth/users';
import type { Db } from '../db';
import { editedFiche, eachTestWithAdmin } from './testing';
import { updateFiche } from './fiches';
import { exportPlanWorkbook, previewPlanImport } from './plan-import';
import { setAccountDisabled } from '../auth/service';
import { createTestUser, PEOPLE } from '../auth/testing';
import { saveProgressUpdate } from '../progress/service';
import { progressInput } from '../progress/testing';
import {
	findFicheByCode,
	findOrganisationBySlug,
	listFiches,
	listOrganisations
} from '../plan/repository';
import { findAdminOrganisation, listAdminOrganisations } from './organisations-repository';
import { listOrganisationChoices } from './repository';
import { listFicheRevisions } from './revisions-repository';
import {
	createOrganisation,
	editOrganisation,
	mergeOrganisations,
	ORGANISATION_SHOWN_FIELDS,
	organisationFormValues,
	organisationSeenRevision,
	organisationShown,
	organisationSlug,
	rebaseOrganisationTyping,
	retireOrganisation,
	withOrganisationNameProblem
} from './organisations';

let db: Db;
let admin: User;
const WHY = { reason: 'Registre du comité syndical', decisionId: null };

eachTestWithAdmin((opened) => ({ db, admin } = opened));

async function bySlug(slug: string) {
	return (await listAdminOrganisations(db)).find((o) => o.slug === slug)!;
}

/** Merges the organisation `absorbed` into `kept` (slugs), as its admin page does. */
async function merge(absorbed: string, kept: string) {
	const from = await bySlug(absorbed);
	const into = await bySlug(kept);
	return mergeOrganisations(
		db,
		admin,
		from.id,
		{ version: from.version, into: into.id, ...WHY },
		null
	);
}

/**
 * After a merge: the exported workbook reads back unchanged (its dry run, as `plan:import
 * --dry-run`), then each fiche of `codes` saves through its form as it stands, a change typed.
 */
async function expectFormAndWorkbookTake(codes: string[]) {
	const preview = await previewPlanImport(db, await exportPlanWorkbook(db));
	expect(preview.problems).toEqual([]);
	expect(preview.changes).toEqual([]);
	for (const code of codes) {
		const { input, errors } = await editedFiche(db, code, {
			short_title: `Titre court ${code}`,
			reason: 'Relecture après la fusion'
		});
		expect(errors).toEqual({});
		expect(await updateFiche(db, admin, code, input!, null)).toMatchObject({ ok: true });
	}
}

/** The changes of the last merge into the organisation `slug`, as its revision keeps them. */
async function mergeRevisionChanges(slug: string) {
	const { changes } = await db
		.selectFrom('plan_revision')
		.select('changes')
		.where('entity', '=', 'organisation')
		.where('entity_id', '=', (await bySlug(slug)).id)
		.where('action', '=', 'merged')
		.orderBy('id', 'desc')
		.executeTakeFirstOrThrow();
	return JSON.parse(changes) as { field: string; label: string; before: string; after: string }[];
}

describe('organisations', () => {
	it('have one line per own column in the service, so a new field is compared, revised and journaled', async () => {
		// A field added to organisations without its line there was refused « Aucune modification
		// à enregistrer » when edited alone, and left out of the revision and the journal otherwise
		// (review s41, a newcomer adding `website`).
		const columns = await sql<{ name: string }>`select name from pragma_table_info('organisation')`
			.execute(db)
			.then(({ rows }) => rows.map((row) => row.name));
		const own = columns.filter((name) => !['id', 'slug', 'version', 'retired_at'].includes(name));
		const cdg = await bySlug('cdg46');
		const values = organisationFormValues(cdg);
		expect(Object.keys(values)).toEqual(own);
		expect(ORGANISATION_SHOWN_FIELDS).toEqual(own.map((name) => `shown_${name}`));
		// The hidden fields read back as the service compares them.
		const posted = Object.fromEntries(own.map((name) => [`shown_${name}`, values[name]!]));
		expect(organisationShown(posted)).toEqual({
			name: cdg.name,
			fullName: cdg.fullName ?? '',
			kind: cdg.kind
		});
	});

	it('are listed with how many fiches and accounts each has', async () => {
		await createTestUser(db, {
			email: 'p@cdg46.fr',
			name: 'P',
			role: 'partenaire',
			organisation: 'cdg46',
			password: null
		});
		const cdg = await bySlug('cdg46');
		const expected = (await listFiches(db, { organisation: 'cdg46' })).length;
		expect(cdg.ficheCount).toBe(expected);
		expect(cdg.ficheCount).toBeGreaterThan(0);
		expect(cdg.accountCount).toBe(1);
	});

	it('are created with a slug of their name, and a name already used is refused', async () => {
		expect(organisationSlug('Communauté de communes du Grand-Figeac')).toBe(
			'communaute-de-communes-du-grand-figeac'
		);
		const created = await createOrganisation(
			db,
			admin,
			{ name: 'Grand Figeac', fullName: null, kind: 'epci', ...WHY },
			null
		);
		expect(created.ok).toBe(true);
		expect((await bySlug('grand-figeac')).name).toBe('Grand Figeac');
		const again = await createOrganisation(
			db,
			admin,
			{ name: 'grand figeac', fullName: null, kind: 'epci', ...WHY },
			null
		);
		expect(again).toMatchObject({
			ok: false,
			fieldErrors: { name: expect.stringContaining('porte déjà') }
		});
		// Spaces, accents and punctuation aside, « CDG 46 » and « Grand-Figéac » are taken too.
		for (const name of ['CDG 46', 'Grand-Figéac'])
			expect(
				await createOrganisation(db, admin, { name, fullName: null, kind: 'epci', ...WHY }, null)
			).toMatchObject({ ok: false, fieldErrors: { name: expect.stringContaining('porte déjà') } });
	});

	it('refuses a name that looks like another’s, written in Cyrillic or Greek letters, and keeps others', async () => {
		// « ЕРМ » (Cyrillic) and « ΕΡΜ » (Greek) were created beside EPM, offered as its merge's
		// choices, two EPM to the eye on every list (probe s56).
		const create = (name: string) =>
			createOrganisation(db, admin, { name, fullName: null, kind: 'epci', ...WHY }, null);
		const looksLike = (typed: string, which: string) => ({
			ok: false,
			status: 400,
			fieldErrors: {
				name: `« ${typed} » se lit comme ${which}, mais s’écrit avec d’autres lettres (latines, cyrilliques ou grecques qui se ressemblent) : choisissez-la, ou un nom qui ne lui ressemble pas.`
			}
		});
		for (const name of [
			'\u0415\u0420\u041c',
			'\u0395\u03a1\u039c',
			'\u0435\u0440\u043c'.toUpperCase()
		])
			expect(await create(name)).toMatchObject(
				looksLike(name, '« EPM », le nom d’une autre organisation')
			);
		// A former name too: CPAM renamed, « СРАМ » in Cyrillic letters is refused.
		const cpam = await bySlug('cpam');
		expect(
			await editOrganisation(
				db,
				admin,
				cpam.id,
				{
					version: cpam.version,
					name: 'Assurance maladie',
					fullName: null,
					kind: cpam.kind,
					...WHY
				},
				null
			)
		).toEqual({ ok: true, value: undefined });
		expect(await create('\u0421\u0420\u0410\u041c')).toMatchObject(
			looksLike('\u0421\u0420\u0410\u041c', '« CPAM », un ancien nom de « Assurance maladie »')
		);
		// Renamed so, the same; the form's answer says it beside the name with the other problems.
		const adt = await bySlug('adt');
		expect(
			await editOrganisation(
				db,
				admin,
				adt.id,
				{
					version: adt.version,
					name: '\u0395\u03a1\u039c',
					fullName: null,
					kind: adt.kind,
					...WHY
				},
				null
			)
		).toMatchObject(looksLike('\u0395\u03a1\u039c', '« EPM », le nom d’une autre organisation'));
		expect(await withOrganisationNameProblem(db, {}, '\u0415\u0420\u041c', null)).toEqual({
			name: looksLike('\u0415\u0420\u041c', '« EPM », le nom d’une autre organisation').fieldErrors
				.name
		});
		// An all-Cyrillic name like no other is still taken (README).
		expect(await create('\u0420\u043e\u0441\u0430')).toMatchObject({ ok: true });
	});

	// Hostile probe s49: an invisible Hangul filler (a letter that shows nothing) after « SGAR », or
	// « SGAR » in full-width letters, made a second « SGAR » (the latter with the slug « organisation »).
	it('reads a name as it shows: characters that show nothing left out, full-width letters as letters', async () => {
		for (const name of [
			'SGAR\u3164',
			'\u115FSGAR',
			'SG\u1160AR\uFFA0',
			'ＳＧＡＲ',
			'Ｓ\u200BＧＡＲ'
		])
			expect(
				await createOrganisation(db, admin, { name, fullName: null, kind: 'state', ...WHY }, null)
			).toMatchObject({ ok: false, fieldErrors: { name: expect.stringContaining('porte déjà') } });
		expect(organisationSlug('Ｔｉｅｒｓ-ｌｉｅｕ ｄｅ Ｆｉｇｅａｃ')).toBe('tiers-lieu-de-figeac');
		expect(organisationSlug('Tiers\u3164lieu\u00AD de Figeac')).toBe('tierslieu-de-figeac');
	});

	// Hostile probe s44: a name written as another organisation's identifier made a command naming
	// it (user:create --organisation) find the other one.
	it('refuses a name written as another organisation’s identifier', async () => {
		expect(
			await createOrganisation(
				db,
				admin,
				{ name: 'lot-numerique', fullName: null, kind: 'epci', ...WHY },
				null
			)
		).toMatchObject({
			ok: false,
			fieldErrors: {
				name: '« lot-numerique » est l’identifiant de l’organisation « Syndicat mixte Lot numérique » : choisissez un autre nom.'
			}
		});
		// The other way needs no rule: an identifier is made from its name, and a name that reads
		// as it is already refused as the same name (« Grand Figeac » and « grand-figeac »).
	});

	// Read-back s44: an organisation named so before that rule could no longer be edited at all.
	it('keeps editable an organisation already named as another’s identifier', async () => {
		const cdg = await bySlug('cdg46');
		await db.updateTable('organisation').set({ name: 'adcf' }).where('id', '=', cdg.id).execute();
		const named = await bySlug('cdg46');
		expect(
			await editOrganisation(
				db,
				admin,
				named.id,
				{ version: named.version, name: 'adcf', fullName: 'Plein nom', kind: named.kind, ...WHY },
				null
			)
		).toMatchObject({ ok: true });
		// Its form refused for another field says nothing of that name; another's form does.
		const typo = { full_name: 'Trop long' };
		expect(await withOrganisationNameProblem(db, typo, 'adcf', named.id)).toEqual(typo);
		const other = await bySlug('lot-numerique');
		expect(await withOrganisationNameProblem(db, typo, 'adcf', other.id)).toEqual({
			name: '« ADCF » porte déjà ce nom ou l’a porté : choisissez-la, ou fusionnez.',
			...typo
		});
		expect(
			await editOrganisation(
				db,
				admin,
				other.id,
				{ version: other.version, name: 'adcf', fullName: null, kind: other.kind, ...WHY },
				null
			)
		).toMatchObject({ ok: false, fieldErrors: { name: expect.stringContaining('porte déjà') } });
	});

	it('edited meanwhile: the second admin is shown what changed, who changed it and when, and saving again keeps it', async () => {
		const cdg = await bySlug('cdg46');
		const shown = { name: cdg.name, fullName: cdg.fullName ?? '', kind: cdg.kind };
		const seenRevision = await organisationSeenRevision(db, cdg.id);
		const at = new Date('2026-12-07T20:40:00Z');
		const bruno = await createTestUser(db, {
			email: 'bruno@lot.fr',
			name: 'Bruno Admin',
			role: 'admin'
		});
		const first = await editOrganisation(
			db,
			bruno,
			cdg.id,
			{
				version: cdg.version,
				name: 'Centre de gestion du Lot',
				fullName: cdg.fullName,
				kind: cdg.kind,
				...WHY
			},
			null,
			at
		);
		expect(first.ok).toBe(true);
		// The second admin opened the page before, and typed a full name only.
		const typed = {
			name: cdg.name,
			full_name: 'Centre de gestion de la fonction publique',
			kind: cdg.kind
		};
		const second = await editOrganisation(
			db,
			admin,
			cdg.id,
			{
				version: cdg.version,
				name: typed.name,
				fullName: typed.full_name,
				kind: cdg.kind,
				...WHY,
				seenRevision,
				shown
			},
			null
		);
		expect(second).toMatchObject({
			ok: false,
			status: 409,
			changes: [{ field: 'name', before: cdg.name, after: 'Centre de gestion du Lot' }]
		});
		expect(!second.ok && second.message).toBe(
			`Bruno Admin a modifié cette organisation le ${formatMoment(at.getTime())}, depuis que vous avez ouvert la page : rien n’a été enregistré. Ce qui a changé est montré ci-dessous ; vos changements sont conservés, les champs que vous n’aviez pas touchés ont repris leur valeur actuelle : relisez, puis enregistrez à nouveau.`
		);
		// The form given back: the other's new name, this admin's full name.
		const again = await rebaseOrganisationTyping(db, cdg.id, typed, shown);
		expect(again).toEqual({ ...typed, name: 'Centre de gestion du Lot' });
		const now = (await findAdminOrganisation(db, cdg.id))!;
		const saved = await editOrganisation(
			db,
			admin,
			cdg.id,
			{
				version: now.version,
				name: again.name!,
				fullName: again.full_name!,
				kind: cdg.kind,
				...WHY
			},
			null
		);
		expect(saved.ok).toBe(true);
		expect(await findAdminOrganisation(db, cdg.id)).toMatchObject({
			name: 'Centre de gestion du Lot',
			fullName: 'Centre de gestion de la fonction publique'
		});
	});

	it('is not retired while it has accounts: they are disabled first, or follow a merge', async () => {
		const cdg = await bySlug('cdg46');
		const { id: partner } = await createTestUser(db, { ...PEOPLE.paul, password: null });
		const refused = await retireOrganisation(
			db,
			admin,
			cdg.id,
			{ version: cdg.version, ...WHY },
			null
		);
		expect(refused).toMatchObject({ ok: false, status: 409 });
		// One account is « le », not « les »; the page is named in words (the message is text).
		expect(!refused.ok && refused.message).toBe(
			'L’organisation « CDG46 » a encore 1\u00a0compte actif (partenaire, ou invitation pas encore acceptée) : désactivez-le sur la page « Comptes et invitations » de l’administration, ou fusionnez-la dans l’organisation qui la remplace (son compte la suit), avant de la retirer. Rien n’a été enregistré.'
		);
		expect((await bySlug('cdg46')).retiredAt).toBeNull();
		const { id: second } = await createTestUser(db, {
			email: 'lea@cdg46.fr',
			name: 'Léa',
			role: 'partenaire',
			organisation: 'cdg46',
			password: null
		});
		const twice = await retireOrganisation(
			db,
			admin,
			cdg.id,
			{ version: cdg.version, ...WHY },
			null
		);
		expect(!twice.ok && twice.message).toContain(
			'a encore 2\u00a0comptes actifs (partenaires, ou invitations pas encore acceptées) : désactivez-les sur la page « Comptes et invitations »'
		);
		expect(!twice.ok && twice.message).toContain('(ses comptes la suivent)');
		await db
			.updateTable('user_account')
			.set({ disabled_at: new Date().toISOString() })
			.where('id', '=', second)
			.execute();
		await db
			.updateTable('user_account')
			.set({ disabled_at: new Date().toISOString() })
			.where('id', '=', partner)
			.execute();
		expect(
			(await retireOrganisation(db, admin, cdg.id, { version: cdg.version, ...WHY }, null)).ok
		).toBe(true);
		// Retired, its disabled account is not made active again.
		const enabled = await setAccountDisabled(db, admin, partner, false, null);
		expect(enabled).toMatchObject({ ok: false, status: 409 });
		expect(!enabled.ok && enabled.message).toMatch(
			/^L’organisation CDG46 de ce compte est retirée du plan : le compte de paul@cdg46\.fr ne peut pas être réactivé\./
		);
		expect((await findUserById(db, partner))!.disabled).toBe(true);
	});

	it('edited meanwhile elsewhere than its fields: refused with nothing listed, a kind sent by hand as it came', async () => {
		const cdg = await bySlug('cdg46');
		await retireOrganisation(db, admin, cdg.id, { version: cdg.version, ...WHY }, null);
		const shown = { name: cdg.name, fullName: cdg.fullName ?? '', kind: 'constructor' };
		const stale = await editOrganisation(
			db,
			admin,
			cdg.id,
			{ version: cdg.version, name: cdg.name, fullName: 'Autre', kind: cdg.kind, ...WHY, shown },
			null
		);
		expect(stale).toMatchObject({ ok: false, status: 409 });
		// Only the hand-made kind differs from what is stored, written as it came.
		expect(!stale.ok && stale.changes).toEqual([
			expect.objectContaining({ field: 'kind', before: 'constructor' })
		]);
		// Retired meanwhile, its fields untouched: nothing to list, the form is sent again.
		const again = await editOrganisation(
			db,
			admin,
			cdg.id,
			{
				version: cdg.version,
				name: cdg.name,
				fullName: 'Autre',
				kind: cdg.kind,
				...WHY,
				shown: { ...shown, kind: cdg.kind }
			},
			null
		);
		expect(again).toMatchObject({ ok: false, status: 409, changes: [] });
		expect(!again.ok && again.message).toContain('sont tels que la page les montrait');
	});

	it('retired by a colleague while its form was open: the rename is refused saying who retired it and when, then goes through', async () => {
		const cdg = await bySlug('cdg46');
		const seenRevision = await organisationSeenRevision(db, cdg.id);
		const bruno = await createTestUser(db, {
			email: 'bruno@lot.fr',
			name: 'Bruno Admin',
			role: 'admin'
		});
		const at = new Date('2026-12-07T20:40:00Z');
		expect(
			(await retireOrganisation(db, bruno, cdg.id, { version: cdg.version, ...WHY }, null, at)).ok
		).toBe(true);
		const shown = { name: cdg.name, fullName: cdg.fullName ?? '', kind: cdg.kind };
		const typed = { name: 'CDG du Lot', fullName: cdg.fullName, kind: cdg.kind, ...WHY };
		const stale = await editOrganisation(
			db,
			admin,
			cdg.id,
			{ version: cdg.version, seenRevision, shown, ...typed },
			null
		);
		expect(stale).toMatchObject({
			ok: false,
			status: 409,
			changes: [
				{ field: 'state', before: 'active', after: `retirée le ${formatDate(parisDate(at))}` }
			]
		});
		expect(!stale.ok && stale.message).toMatch(
			`L’organisation « ${cdg.name} » a été retirée le ${formatMoment(at.getTime())} par Bruno Admin, depuis que vous avez ouvert la page : rien n’a été enregistré.`
		);
		expect(!stale.ok && stale.message).toContain('peuvent encore être corrigés');
		// Sent again, knowingly: a retired organisation may still be renamed.
		const now = (await findAdminOrganisation(db, cdg.id))!;
		expect(
			(await editOrganisation(db, admin, cdg.id, { version: now.version, ...typed }, null)).ok
		).toBe(true);
		expect(await findAdminOrganisation(db, cdg.id)).toMatchObject({
			name: 'CDG du Lot',
			retiredAt: now.retiredAt
		});
	});

	it('renamed, keep their former name findable; a stale form is refused', async () => {
		const cdg = await bySlug('cdg46');
		const renamed = await editOrganisation(
			db,
			admin,
			cdg.id,
			{
				version: cdg.version,
				name: 'Centre de gestion du Lot',
				fullName: cdg.fullName,
				kind: cdg.kind,
				...WHY
			},
			null
		);
		expect(renamed.ok).toBe(true);
		const after = (await findAdminOrganisation(db, cdg.id))!;
		expect(after.name).toBe('Centre de gestion du Lot');
		expect(after.aliases).toEqual([cdg.name]);
		// Its fiches are still found under the former name, as under the new one.
		const linked = await db
			.selectFrom('fiche_owner')
			.select('fiche_id')
			.where('organisation_id', '=', cdg.id)
			.union(
				db.selectFrom('fiche_partner').select('fiche_id').where('organisation_id', '=', cdg.id)
			)
			.execute();
		for (const words of [foldForMatching(cdg.name), 'centre de gestion du lot']) {
			const found = await db
				.selectFrom('fiche')
				.select('id')
				.where('search_text', 'like', `%${words}%`)
				.execute();
			expect(found.map((f) => f.id)).toEqual(expect.arrayContaining(linked.map((l) => l.fiche_id)));
		}
		const stale = await editOrganisation(
			db,
			admin,
			cdg.id,
			{ version: cdg.version, name: 'Autre nom', fullName: null, kind: cdg.kind, ...WHY },
			null
		);
		expect(stale).toMatchObject({ ok: false, status: 409 });
		// The former name cannot be taken by another organisation.
		const taken = await createOrganisation(
			db,
			admin,
			{ name: cdg.name, fullName: null, kind: 'epci', ...WHY },
			null
		);
		expect(taken.ok).toBe(false);
		const journal = await db
			.selectFrom('audit_event')
			.select('action')
			.where('action', 'like', 'plan.%')
			.execute();
		expect(journal.map((j) => j.action)).toEqual(['plan.organisation_updated']);
	});

	it('merged, everything of the absorbed one follows and its name becomes a former name', async () => {
		const absorbed = await bySlug('cdg46');
		const kept = await bySlug('lot-numerique');
		const { id: account } = await createTestUser(db, {
			email: 'p@cdg46.fr',
			name: 'P',
			role: 'partenaire',
			organisation: 'cdg46',
			password: null
		});
		const cdgFiches = (await listFiches(db, { organisation: 'cdg46' })).map((f) => f.code);
		const updatesBefore = await db
			.selectFrom('progress_update')
			.select('id')
			.where('organisation_id', '=', absorbed.id)
			.execute();
		const result = await mergeOrganisations(
			db,
			admin,
			absorbed.id,
			{ version: absorbed.version, into: kept.id, ...WHY },
			null
		);
		expect(result).toEqual({ ok: true, value: { keptId: kept.id } });
		const lot = (await findAdminOrganisation(db, kept.id))!;
		expect(lot.aliases).toContain(absorbed.name);
		expect((await findAdminOrganisation(db, absorbed.id))!).toMatchObject({
			ficheCount: 0,
			accountCount: 0
		});
		expect((await findAdminOrganisation(db, absorbed.id))!.retiredAt).not.toBeNull();
		expect((await findUserById(db, account))!.organisationId).toBe(kept.id);
		const lotFiches = (await listFiches(db, { organisation: 'lot-numerique' })).map((f) => f.code);
		for (const code of cdgFiches) expect(lotFiches).toContain(code);
		const moved = await db
			.selectFrom('progress_update')
			.select('id')
			.where('id', 'in', updatesBefore.length ? updatesBefore.map((u) => u.id) : [-1])
			.where('organisation_id', '=', kept.id)
			.execute();
		expect(moved).toHaveLength(updatesBefore.length);
		// The public list names it no more (the kept one carries its former name); its page leads
		// to the kept one's.
		expect((await listOrganisations(db)).map((o) => o.slug)).not.toContain('cdg46');
		expect((await findOrganisationBySlug(db, 'cdg46'))?.mergedInto).toBe('lot-numerique');
		expect((await findOrganisationBySlug(db, 'lot-numerique'))?.mergedInto).toBeNull();
		// A tab opened on it before the merge renames it no more.
		const renamed = await editOrganisation(
			db,
			admin,
			absorbed.id,
			{
				version: absorbed.version,
				name: 'Un autre nom',
				fullName: null,
				kind: absorbed.kind,
				...WHY
			},
			null
		);
		expect(renamed).toEqual({
			ok: false,
			status: 409,
			// When, and the name typed, which the page has no form left to show (review of authoring).
			message: `L’organisation « ${absorbed.name} » a été fusionnée dans « ${kept.name} » le ${formatDate(parisDate(new Date()))} : elle ne se modifie plus. Rien n’a été enregistré ; modifiez « ${kept.name} » s’il y a lieu. Le nom saisi était « Un autre nom ».`
		});
		// Nor is it retired, with where it went (authoring review: « déjà retirée » alone).
		const merged = (await findAdminOrganisation(db, absorbed.id))!;
		expect(
			await retireOrganisation(db, admin, absorbed.id, { version: merged.version, ...WHY }, null)
		).toEqual({
			ok: false,
			status: 409,
			message: `L’organisation « ${absorbed.name} » a déjà été fusionnée dans « ${kept.name} » le ${formatDate(parisDate(new Date()))} : elle est déjà retirée. Rien n’a été enregistré.`
		});
		// 1-2 had both as owners, without a scope: the kept one owns it once (listed twice, the
		// fiche's form and the workbook refused the fiche, probe s56), and one fiche revision says so.
		const fiche = (await findFicheByCode(db, '1-2'))!;
		expect(fiche.owners.map((o) => o.slug)).toEqual(['lot-numerique']);
		const [revision] = await listFicheRevisions(db, fiche.id);
		expect(revision).toMatchObject({
			action: 'merged',
			changes: [{ field: 'owners', label: 'Porteurs' }]
		});
	});

	it('merged, rows both held alike on a fiche become one, which the fiche’s form and the workbook take', async () => {
		// Both without a scope (1-2, 12-1): the kept one was listed twice, and the fiche's form and
		// the workbook refused the fiche (probe s56). 5-1 (two scopes) keeps two rows; 1-1, where it
		// owns and CDG46 partners, keeps it owner and partner: the form and the workbook take both.
		const merged = await merge('cdg46', 'lot-numerique');
		expect(merged.ok).toBe(true);
		const owners = async (code: string) =>
			(await findFicheByCode(db, code))!.owners.map((o) => [o.slug, o.scope]);
		expect(await owners('1-2')).toEqual([['lot-numerique', null]]);
		expect(await owners('12-1')).toEqual([
			['departement-du-lot', null],
			['lot-numerique', null]
		]);
		expect(await owners('5-1')).toEqual([
			['lot-numerique', 'Sensibilisation'],
			['lot-numerique', 'Animation']
		]);
		const partners = async (code: string) =>
			(await findFicheByCode(db, code))!.partners.map((p) => p.slug);
		expect(await owners('1-1')).toEqual([['lot-numerique', null]]);
		expect(await partners('1-1')).toContain('lot-numerique');
		// The merge's revision (and journal) says what it made one, after the merge itself.
		expect(await mergeRevisionChanges('lot-numerique')).toEqual([
			{ field: 'merged', label: 'Fusion', before: 'CDG46', after: 'Syndicat mixte Lot numérique' },
			{
				field: 'combined',
				label: 'Lignes réunies',
				before: '',
				after:
					'Fiche 1-2, porteur sans périmètre : 2 lignes réunies en une\nFiche 12-1, porteur sans périmètre : 2 lignes réunies en une'
			}
		]);
		await expectFormAndWorkbookTake(['1-1', '1-2', '5-1', '12-1']);
	});

	it('merged, owners under the same scope become one row instead of a 500, the kept one’s note first', async () => {
		// CDG46 and SDAIL both own 6-1 under « Prestation aux collectivités » (and 9-1 without a
		// scope): the table's key refused the moved row, a 500 (probe s56).
		await db
			.updateTable('fiche_owner')
			.set({ note: 'pour les communes' })
			.where('organisation_id', '=', (await bySlug('cdg46')).id)
			.where('fiche_id', '=', (await findFicheByCode(db, '6-1'))!.id)
			.execute();
		expect(await merge('cdg46', 'sdail')).toMatchObject({ ok: true });
		const sixOne = (await findFicheByCode(db, '6-1'))!;
		expect(sixOne.owners.map((o) => [o.slug, o.scope, o.note])).toEqual([
			['departement-du-lot', 'Mise à disposition d’infrastructures', null],
			['lot-numerique', 'Étude de faisabilité', null],
			['sdail', 'Prestation aux collectivités', 'pour les communes']
		]);
		expect((await findFicheByCode(db, '9-1'))!.owners.map((o) => o.slug)).toEqual([
			'departement-du-lot',
			'sdail'
		]);
		expect((await mergeRevisionChanges('sdail'))[1]).toEqual({
			field: 'combined',
			label: 'Lignes réunies',
			before: '',
			after:
				'Fiche 6-1, porteur avec le périmètre « Prestation aux collectivités » : 2 lignes réunies en une\nFiche 9-1, porteur sans périmètre : 2 lignes réunies en une'
		});
		// Préfecture du Lot into Ad’Occ, who share 13-1's « Animation de réseau et actions
		// conjointes »: Ad’Occ's row stays, its note too.
		expect(await merge('prefecture-du-lot', 'ad-occ')).toMatchObject({ ok: true });
		const thirteen = (await findFicheByCode(db, '13-1'))!.owners.filter(
			(o) => o.scope === 'Animation de réseau et actions conjointes'
		);
		expect(thirteen.map((o) => [o.slug, o.note])).toEqual([
			['lot-numerique', null],
			['ad-occ', 'Ad’Occ ou une association'],
			['associations', 'Ad’Occ ou une association']
		]);
		await expectFormAndWorkbookTake(['6-1', '9-1', '13-1']);
	});

	it('merged, leaves alone two rows of the kept one on a fiche the absorbed one is not on', async () => {
		// Left by a merge made before rows were made one (review s56): Lot numérique twice without a
		// scope on a fiche SDAIL is not on. SDAIL merged into it: those rows are not the merge's.
		const lot = await bySlug('lot-numerique');
		const fiche = (await findFicheByCode(db, '1-2'))!;
		expect([...fiche.owners, ...fiche.partners].map((o) => o.slug)).not.toContain('sdail');
		await db
			.insertInto('fiche_owner')
			.values({
				fiche_id: fiche.id,
				organisation_id: lot.id,
				scope: null,
				note: null,
				position: 99
			})
			.execute();
		const rowsOf = () =>
			db
				.selectFrom('fiche_owner')
				.selectAll()
				.where('fiche_id', '=', fiche.id)
				.orderBy('id')
				.execute();
		const before = await rowsOf();
		expect(await merge('sdail', 'lot-numerique')).toMatchObject({ ok: true });
		expect(await rowsOf()).toEqual(before);
		const combined = (await mergeRevisionChanges('lot-numerique')).find(
			(c) => c.field === 'combined'
		);
		expect(combined?.after ?? '').not.toContain('Fiche 1-2');
	});

	it('merged, two notes or précisions of one row are joined; too long joined, the merge is refused', async () => {
		// Préfecture du Lot and État both partner 2-1: one row, its précisions joined.
		const twoOne = (await findFicheByCode(db, '2-1'))!.id;
		await db
			.updateTable('fiche_partner')
			.set({ detail: 'sous-préfectures' })
			.where('organisation_id', '=', (await bySlug('prefecture-du-lot')).id)
			.where('fiche_id', '=', twoOne)
			.execute();
		expect(await merge('prefecture-du-lot', 'etat')).toMatchObject({ ok: true });
		const partners = (await findFicheByCode(db, '2-1'))!.partners;
		expect(partners.filter((p) => p.slug === 'etat').map((p) => p.detail)).toEqual([
			'services de l’État ; sous-préfectures'
		]);
		expect((await mergeRevisionChanges('etat'))[1]!.after).toContain(
			'Fiche 2-1, partenaire : 2 lignes réunies en une ; précisions jointes : « services de l’État ; sous-préfectures »'
		);
		// Two notes of 200 characters, 403 joined: more than the fiche's form takes.
		const sixOne = (await findFicheByCode(db, '6-1'))!.id;
		for (const [slug, letter] of [
			['cdg46', 'a'],
			['sdail', 'b']
		] as const)
			await db
				.updateTable('fiche_owner')
				.set({ note: letter.repeat(200) })
				.where('organisation_id', '=', (await bySlug(slug)).id)
				.where('fiche_id', '=', sixOne)
				.execute();
		const before = await db.selectFrom('fiche_owner').selectAll().orderBy('id').execute();
		expect(await merge('cdg46', 'sdail')).toEqual({
			ok: false,
			status: 409,
			message:
				'Les deux organisations sont sur la fiche 6-1 sur la même ligne (porteur sous le même périmètre, ou partenaire), qui n’en fera plus qu’une : jointes, leurs notes ou précisions seraient trop longues pour le formulaire de la fiche. Raccourcissez l’une d’elles dans ce formulaire, puis fusionnez. Rien n’a été enregistré.'
		});
		expect(await db.selectFrom('fiche_owner').selectAll().orderBy('id').execute()).toEqual(before);
		expect((await bySlug('cdg46')).retiredAt).toBeNull();
	});

	it('merges an organisation once: retired or merged already, it is refused, nothing moves', async () => {
		// An already retired Etalab was merged into SGAR, then into Ad’Occ: « Etalab » became both
		// ones' former name, and the retired one's partner rows moved (probe s54).
		const [etalab, sgar, adOcc] = [
			await bySlug('etalab'),
			await bySlug('sgar'),
			await bySlug('ad-occ')
		];
		const mergeInto = async (into: number, now: Date) => {
			const version = (await findAdminOrganisation(db, etalab.id))!.version;
			return mergeOrganisations(db, admin, etalab.id, { version, into, ...WHY }, null, now);
		};
		const retiredOn = new Date('2026-03-02T10:00:00Z');
		const retired = await retireOrganisation(
			db,
			admin,
			etalab.id,
			{ version: etalab.version, ...WHY },
			null,
			retiredOn
		);
		expect(retired.ok).toBe(true);
		const fichesOfEtalab = await listFiches(db, { organisation: 'etalab' });
		expect(fichesOfEtalab.length).toBeGreaterThan(0);
		expect(await mergeInto(sgar.id, new Date())).toEqual({
			ok: false,
			status: 409,
			message: `L’organisation « Etalab » a déjà été retirée le ${formatDate('2026-03-02')} : elle ne se fusionne plus. Rien n’a été enregistré.`
		});
		expect(await listFiches(db, { organisation: 'etalab' })).toEqual(fichesOfEtalab);
		expect((await findAdminOrganisation(db, sgar.id))!.aliases).not.toContain('Etalab');

		// Merged (an active one), then merged again into another.
		const cget = await bySlug('cget');
		const mergedOn = new Date('2026-04-07T10:00:00Z');
		const first = await mergeOrganisations(
			db,
			admin,
			cget.id,
			{ version: cget.version, into: sgar.id, ...WHY },
			null,
			mergedOn
		);
		expect(first.ok).toBe(true);
		const again = await mergeOrganisations(
			db,
			admin,
			cget.id,
			{ version: cget.version + 1, into: adOcc.id, ...WHY },
			null
		);
		expect(again).toEqual({
			ok: false,
			status: 409,
			message: `L’organisation « CGET » a déjà été fusionnée dans « SGAR » le ${formatDate('2026-04-07')} : elle ne se fusionne plus. Rien n’a été enregistré.`
		});
		expect((await findAdminOrganisation(db, adOcc.id))!.aliases).not.toContain('CGET');

		// Two merges sent together (two tabs): the second reads the first's in its transaction.
		const anah = await bySlug('anah');
		const both = await Promise.all(
			[sgar.id, adOcc.id].map((into) =>
				mergeOrganisations(db, admin, anah.id, { version: anah.version, into, ...WHY }, null)
			)
		);
		expect(both.map((r) => r.ok)).toEqual([true, false]);
		expect(both[1]).toMatchObject({ status: 409 });
		const formerNames = (await listAdminOrganisations(db)).filter((o) =>
			o.aliases.includes('ANAH')
		);
		expect(formerNames.map((o) => o.slug)).toEqual(['sgar']);
	});

	it('keeps a merge a merge once the kept organisation is retired: named so, off the list, refused so', async () => {
		// Merged into ANAH, then ANAH retired: Etalab read as merely retired, the public list showed
		// it again and a second merge was refused « a déjà été retirée » (review s54).
		const [etalab, anah, sgar] = [
			await bySlug('etalab'),
			await bySlug('anah'),
			await bySlug('sgar')
		];
		const mergedOn = new Date('2026-04-07T10:00:00Z');
		const merged = await mergeOrganisations(
			db,
			admin,
			etalab.id,
			{ version: etalab.version, into: anah.id, ...WHY },
			null,
			mergedOn
		);
		expect(merged.ok).toBe(true);
		const kept = (await findAdminOrganisation(db, anah.id))!;
		const retired = await retireOrganisation(
			db,
			admin,
			anah.id,
			{ version: kept.version, ...WHY },
			null
		);
		expect(retired.ok).toBe(true);
		expect((await findAdminOrganisation(db, etalab.id))!.mergedInto).toEqual({
			id: anah.id,
			name: 'ANAH'
		});
		expect((await findOrganisationBySlug(db, 'etalab'))?.mergedInto).toBe('anah');
		expect((await listOrganisations(db)).map((o) => o.slug)).not.toContain('etalab');
		const again = await mergeOrganisations(
			db,
			admin,
			etalab.id,
			{ version: etalab.version + 1, into: sgar.id, ...WHY },
			null
		);
		expect(again).toEqual({
			ok: false,
			status: 409,
			message: `L’organisation « Etalab » a déjà été fusionnée dans « ANAH » le ${formatDate('2026-04-07')} : elle ne se fusionne plus. Rien n’a été enregistré.`
		});
	});

	it('refuses a merge that would leave two updates in progress, saying who holds what and who may act', async () => {
		const paul = await createTestUser(db, PEOPLE.paul);
		const sam = await createTestUser(db, PEOPLE.sam);
		const send = async (user: User, code: string, intent: 'draft' | 'submit') => {
			const saved = await saveProgressUpdate(db, user, code, null, progressInput({ intent }), null);
			if (!saved.ok) throw new Error(saved.message);
		};
		await send(paul, '6-1', 'draft');
		await send(sam, '6-1', 'submit');
		const sdail = await bySlug('sdail');
		const cdg = await bySlug('cdg46');
		const merge = () =>
			mergeOrganisations(
				db,
				admin,
				sdail.id,
				{ version: sdail.version, into: cdg.id, ...WHY },
				null
			);
		expect(await merge()).toEqual({
			ok: false,
			status: 409,
			message: `Les deux organisations ont chacune une mise à jour en cours de la fiche 6-1 : un brouillon de CDG46 et une mise à jour soumise de ${sdail.name}. Pour fusionner, l’une des deux doit être validée (un renvoi la laisse en cours) : une mise à jour soumise se valide à /admin/suivis ; un brouillon ou une mise à jour renvoyée ne peut être soumis que par un compte de son organisation (CDG46), puis se valide. Rien n’a été enregistré.`
		});
		// CDG46's only account disabled: nobody can submit its draft; the refusal says what to do.
		const disabled = await setAccountDisabled(db, admin, paul.id, true, null);
		expect(disabled.ok).toBe(true);
		const refused = await merge();
		expect(refused.ok ? '' : refused.message).toContain(
			'CDG46 n’a aucun compte actif : créez-en ou réactivez-en un à /admin/utilisateurs, pour qu’une personne de l’organisation soumette ou reprenne ce qu’elle a en cours. Rien n’a été enregistré.'
		);
		expect((await setAccountDisabled(db, admin, paul.id, false, null)).ok).toBe(true);
		await send(paul, '9-1', 'submit');
		await send(sam, '9-1', 'submit');
		expect(await merge()).toMatchObject({
			message: expect.stringMatching(
				new RegExp(
					`^Les deux organisations ont chacune une mise à jour en cours des fiches 6-1 et 9-1 : 6-1, un brouillon de CDG46 et une mise à jour soumise de ${sdail.name} ; 9-1, une mise à jour soumise de CDG46 et une mise à jour soumise de ${sdail.name}\\. Pour fusionner`
				)
			)
		});
	});

	it('retired, no longer offered as owner or partner, its fiches keep it', async () => {
		const ars = await bySlug('ars');
		expect(
			(await retireOrganisation(db, admin, ars.id, { version: ars.version, ...WHY }, null)).ok
		).toBe(true);
		expect((await findAdminOrganisation(db, ars.id))!.retiredAt).not.toBeNull();
		expect((await listOrganisationChoices(db)).map((o) => o.id)).not.toContain(ars.id);
		expect((await findFicheByCode(db, '17-2'))!.owners.map((o) => o.slug)).toEqual(['ars']);
		const again = await retireOrganisation(
			db,
			admin,
			ars.id,
			{ version: ars.version + 1, ...WHY },
			null
		);
		expect(again).toMatchObject({ ok: false, status: 409 });
	});
});
