import type { Executor } from '../db';
import { inPlanOrder } from '../plan/repository';
import { organisationNameKey } from '../../utils/text';
import type { OrganisationKind } from '../db/schema';

export interface AdminOrganisation {
	id: number;
	slug: string;
	name: string;
	fullName: string | null;
	kind: OrganisationKind;
	version: number;
	retiredAt: string | null;
	/** Fiches it carries or partners (each counted once). */
	ficheCount: number;
	accountCount: number;
	/** Its progress updates, whatever their state (a merge moves them all). */
	updateCount: number;
	aliases: string[];
	/** The organisation it was merged into (retired, its name is a former name of that one). */
	mergedInto: { id: number; name: string } | null;
}

/** Every organisation, retired ones included, with how many fiches and accounts each has. */
export async function listAdminOrganisations(db: Executor): Promise<AdminOrganisation[]> {
	const rows = await db
		.selectFrom('organisation as o')
		.select((eb) => [
			'o.id',
			'o.slug',
			'o.name',
			'o.full_name as fullName',
			'o.kind',
			'o.version',
			'o.retired_at as retiredAt',
			eb
				.selectFrom(
					eb
						.selectFrom('fiche_owner')
						.select('fiche_id')
						.whereRef('fiche_owner.organisation_id', '=', 'o.id')
						.union(
							eb
								.selectFrom('fiche_partner')
								.select('fiche_id')
								.whereRef('fiche_partner.organisation_id', '=', 'o.id')
						)
						.as('f')
				)
				.select((e) => e.fn.countAll<number>().as('n'))
				.as('ficheCount'),
			eb
				.selectFrom('user_account')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('user_account.organisation_id', '=', 'o.id')
				.as('accountCount'),
			eb
				.selectFrom('progress_update')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('progress_update.organisation_id', '=', 'o.id')
				.as('updateCount')
		])
		.execute();
	const aliases = await db
		.selectFrom('organisation_alias')
		.select(['organisation_id', 'name'])
		.orderBy('id')
		.execute();
	const aliasesOf = (id: number) =>
		aliases.filter((a) => a.organisation_id === id).map((a) => a.name);
	return rows.map((r) => {
		// The one it was merged into, retired since or not: the merge stays one.
		const into = r.retiredAt
			? rows.find((o) => o.id !== r.id && aliasesOf(o.id).includes(r.name))
			: undefined;
		return {
			...r,
			ficheCount: Number(r.ficheCount ?? 0),
			accountCount: Number(r.accountCount ?? 0),
			updateCount: Number(r.updateCount ?? 0),
			aliases: aliasesOf(r.id),
			mergedInto: into ? { id: into.id, name: into.name } : null
		};
	});
}

export async function findAdminOrganisation(
	db: Executor,
	id: number
): Promise<AdminOrganisation | undefined> {
	return (await listAdminOrganisations(db)).find((o) => o.id === id);
}

/** The accounts of an organisation that are not disabled (invitations not yet accepted included). */
export async function countActiveAccounts(db: Executor, organisationId: number): Promise<number> {
	const { n } = await db
		.selectFrom('user_account')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('organisation_id', '=', organisationId)
		.where('disabled_at', 'is', null)
		.executeTakeFirstOrThrow();
	return Number(n);
}

export async function slugExists(db: Executor, slug: string): Promise<boolean> {
	const row = await db
		.selectFrom('organisation')
		.select('id')
		.where('slug', '=', slug)
		.executeTakeFirst();
	return !!row;
}

/** Another organisation (retired or not) whose identifier is written exactly `text`. */
export async function findOrganisationWithSlug(
	db: Executor,
	text: string,
	exceptId: number | null
): Promise<{ name: string; slug: string } | undefined> {
	return db
		.selectFrom('organisation')
		.select(['name', 'slug'])
		.where('slug', '=', text)
		.where('id', '!=', exceptId ?? -1)
		.executeTakeFirst();
}

/**
 * The organisations (but `exceptId`) that have this name, or had it (`alias`: the name matched,
 * the current one or a former one): compared without accents, capitals, spaces or punctuation (« CDG 46 » is « CDG46 »,
 * `organisationNameKey`), or by another key (`organisationSkeleton`: those that look like it). The
 * organisations are a few dozen: compared here.
 */
export async function listOrganisationsNamed(
	db: Executor,
	name: string,
	exceptId: number | null = null,
	keyOf: (name: string) => string = organisationNameKey
): Promise<{ id: number; name: string; alias: string }[]> {
	const wanted = keyOf(name);
	const names = await db
		.selectFrom('organisation')
		.select(['id', 'name', 'name as alias'])
		.where('id', '!=', exceptId ?? -1)
		.unionAll(
			db
				.selectFrom('organisation_alias')
				.innerJoin('organisation', 'organisation.id', 'organisation_alias.organisation_id')
				.select(['organisation.id', 'organisation.name', 'organisation_alias.name as alias'])
				.where('organisation.id', '!=', exceptId ?? -1)
		)
		.execute();
	return names.filter((row) => keyOf(row.alias) === wanted);
}

/** Another organisation than `exceptId` that has this name, or had it (`listOrganisationsNamed`). */
export async function findOrganisationNamed(
	db: Executor,
	name: string,
	exceptId: number | null
): Promise<{ id: number; name: string; alias: string } | undefined> {
	const [match] = await listOrganisationsNamed(db, name, exceptId);
	return match;
}

export async function insertOrganisation(
	db: Executor,
	values: { slug: string; name: string; fullName: string | null; kind: OrganisationKind }
): Promise<number> {
	const row = await db
		.insertInto('organisation')
		.values({
			slug: values.slug,
			name: values.name,
			full_name: values.fullName,
			kind: values.kind,
			retired_at: null
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/** Writes name, full name and kind if nobody changed the organisation since `version`. */
export async function updateOrganisation(
	db: Executor,
	id: number,
	version: number,
	values: {
		name: string;
		fullName: string | null;
		kind: OrganisationKind;
		retiredAt: string | null;
	}
): Promise<boolean> {
	const result = await db
		.updateTable('organisation')
		.set({
			name: values.name,
			full_name: values.fullName,
			kind: values.kind,
			retired_at: values.retiredAt,
			version: version + 1
		})
		.where('id', '=', id)
		.where('version', '=', version)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

export async function addAlias(
	db: Executor,
	organisationId: number,
	name: string,
	createdAt: string
): Promise<void> {
	await db
		.insertInto('organisation_alias')
		.values({ organisation_id: organisationId, name, created_at: createdAt })
		.onConflict((oc) => oc.columns(['organisation_id', 'name']).doNothing())
		.execute();
}

/** The fiches an organisation carries or partners. */
export async function listOrganisationFicheIds(
	db: Executor,
	organisationId: number
): Promise<number[]> {
	const rows = await db
		.selectFrom('fiche_owner')
		.select('fiche_id')
		.where('organisation_id', '=', organisationId)
		.union(
			db
				.selectFrom('fiche_partner')
				.select('fiche_id')
				.where('organisation_id', '=', organisationId)
		)
		.execute();
	return rows.map((r) => r.fiche_id);
}

/** An update in progress (draft, submitted or returned) of one of two organisations to merge. */
export interface OpenUpdate {
	code: string;
	organisation: string;
	state: 'draft' | 'submitted' | 'returned';
	/** Whether the organisation has an account not disabled, the only one who may submit it. */
	hasAccount: boolean;
}

/**
 * The updates in progress of `a` and `b` on the fiches where each has one (a merge would leave two
 * open), in the plan's order.
 */
export async function listFichesWithTwoOpenUpdates(
	db: Executor,
	a: number,
	b: number
): Promise<OpenUpdate[]> {
	return db
		.selectFrom('progress_update as u')
		.innerJoin('fiche', 'fiche.id', 'u.fiche_id')
		.innerJoin('objective', 'objective.id', 'fiche.objective_id')
		.innerJoin('organisation', 'organisation.id', 'u.organisation_id')
		.select(['fiche.code', 'organisation.name as organisation', 'u.state'])
		.select((eb) =>
			eb
				.exists(
					eb
						.selectFrom('user_account as a')
						.select('a.id')
						.whereRef('a.organisation_id', '=', 'u.organisation_id')
						.where('a.disabled_at', 'is', null)
				)
				.as('hasAccount')
		)
		.where('u.organisation_id', 'in', [a, b])
		.where('u.state', 'in', ['draft', 'submitted', 'returned'])
		.where('u.fiche_id', 'in', (eb) =>
			eb
				.selectFrom('progress_update as v')
				.select('v.fiche_id')
				.where('v.organisation_id', 'in', [a, b])
				.where('v.state', 'in', ['draft', 'submitted', 'returned'])
				.groupBy('v.fiche_id')
				.having((h) => h.fn.count('v.organisation_id').distinct(), '=', 2)
		)
		.$call(inPlanOrder)
		.orderBy('organisation.name')
		.$narrowType<{ state: OpenUpdate['state'] }>()
		.execute()
		.then((rows) => rows.map((r) => ({ ...r, hasAccount: Boolean(r.hasAccount) })));
}

/** An owner or partner row of a fiche, of an organisation about to be merged or kept. */
export interface FicheRowOf {
	id: number;
	role: 'owner' | 'partner';
	ficheId: number;
	code: string;
	organisationId: number;
	/** An owner's scope (null: none); null for a partner. */
	scope: string | null;
	/** An owner's note, a partner's précision. */
	text: string | null;
	position: number;
}

/** The columns an owner row and a partner row share, as FicheRowOf names them. */
const FICHE_ROW_COLUMNS = [
	'r.id',
	'r.fiche_id as ficheId',
	'fiche.code',
	'r.organisation_id as organisationId',
	'r.position'
] as const;

/** The owner and partner rows of these organisations, in each fiche's order. */
export async function listFicheRowsOf(
	db: Executor,
	organisationIds: number[]
): Promise<FicheRowOf[]> {
	const owners = await db
		.selectFrom('fiche_owner as r')
		.innerJoin('fiche', 'fiche.id', 'r.fiche_id')
		.select([...FICHE_ROW_COLUMNS, 'r.scope', 'r.note as text'])
		.where('r.organisation_id', 'in', organisationIds)
		.orderBy('r.position')
		.execute();
	const partners = await db
		.selectFrom('fiche_partner as r')
		.innerJoin('fiche', 'fiche.id', 'r.fiche_id')
		.select([...FICHE_ROW_COLUMNS, 'r.detail as text'])
		.where('r.organisation_id', 'in', organisationIds)
		.orderBy('r.position')
		.execute();
	return [
		...owners.map((r) => ({ ...r, role: 'owner' as const })),
		...partners.map((r) => ({ ...r, role: 'partner' as const, scope: null }))
	];
}

/** Rows of one fiche a merge makes one: `keep` takes `text` (note or précision), `drop` go. */
export interface CombinedRows {
	role: 'owner' | 'partner';
	keep: number;
	text: string | null;
	drop: number[];
}

/**
 * Moves everything of `absorbed` to `kept`: owners, partners, accounts, progress updates and
 * former names. The rows that would then repeat one (the same owner twice under one scope, or
 * twice without one; the same partner twice: the tables' keys, and the fiche's form and the
 * workbook, refuse them) are first made one, as `combined` says (`ficheRowsMadeOne`, organisations.ts).
 */
export async function moveOrganisationRecords(
	db: Executor,
	absorbed: number,
	kept: number,
	combined: CombinedRows[]
): Promise<void> {
	for (const rows of combined)
		if (rows.role === 'owner') {
			await db.deleteFrom('fiche_owner').where('id', 'in', rows.drop).execute();
			await db
				.updateTable('fiche_owner')
				.set({ note: rows.text })
				.where('id', '=', rows.keep)
				.execute();
		} else {
			await db.deleteFrom('fiche_partner').where('id', 'in', rows.drop).execute();
			await db
				.updateTable('fiche_partner')
				.set({ detail: rows.text })
				.where('id', '=', rows.keep)
				.execute();
		}
	await db
		.updateTable('fiche_owner')
		.set({ organisation_id: kept })
		.where('organisation_id', '=', absorbed)
		.execute();
	await db
		.updateTable('fiche_partner')
		.set({ organisation_id: kept })
		.where('organisation_id', '=', absorbed)
		.execute();
	await db
		.updateTable('user_account')
		.set({ organisation_id: kept })
		.where('organisation_id', '=', absorbed)
		.execute();
	await db
		.updateTable('progress_update')
		.set({ organisation_id: kept })
		.where('organisation_id', '=', absorbed)
		.execute();
	const aliases = await db
		.selectFrom('organisation_alias')
		.select(['name', 'created_at'])
		.where('organisation_id', '=', absorbed)
		.execute();
	for (const alias of aliases) await addAlias(db, kept, alias.name, alias.created_at);
	await db.deleteFrom('organisation_alias').where('organisation_id', '=', absorbed).execute();
}

/** The former names of every organisation, by organisation id (public: they stay findable). */
export async function listAliasesByOrganisation(db: Executor): Promise<Map<number, string[]>> {
	const rows = await db
		.selectFrom('organisation_alias')
		.select(['organisation_id', 'name'])
		.orderBy('id')
		.execute();
	const map = new Map<number, string[]>();
	for (const r of rows) map.set(r.organisation_id, [...(map.get(r.organisation_id) ?? []), r.name]);
	return map;
}
