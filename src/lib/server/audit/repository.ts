import type { ExpressionBuilder } from 'kysely';
import type { Db, Executor } from '../db';
import type { Database, Role } from '../db/schema';
import { formatDate, pluralize } from '../../utils/format';
import { foldForSearch } from '../../utils/text';
import { journaledOrganisationIds } from '../../utils/audit-changes';
import { daysBefore, parisDate, parisDayEnd } from '../../utils/dates';
import { SITTING_CHANGE_LABELS, sittingChangeKind } from '../../utils/vocabulary';

export const AUDIT_ACTIONS = {
	'login.success': 'Connexion réussie',
	'login.failure': 'Connexion refusée',
	'login.throttled': 'Connexion bloquée (trop de tentatives)',
	'password.check_failed': 'Mot de passe actuel refusé',
	logout: 'Déconnexion',
	'password.changed': 'Mot de passe modifié',
	'session.ended': 'Sessions terminées',
	'access.denied': 'Accès refusé',
	'account.created': 'Compte créé',
	'account.invited': 'Invitation ou lien de nouveau mot de passe créé par un administrateur',
	'account.activated': 'Invitation utilisée',
	'account.disabled': 'Compte désactivé',
	'account.enabled': 'Compte réactivé',
	'account.role_changed': 'Rôle d’un compte changé',
	'update.saved': 'Mise à jour enregistrée (brouillon)',
	'update.submitted': 'Mise à jour soumise',
	'update.validated': 'Mise à jour validée',
	'update.returned': 'Mise à jour renvoyée',
	'update.conflict': 'Enregistrement refusé (modification concurrente)',
	'update.withdrawn': 'Mise à jour retirée (revenue en brouillon)',
	'update.discarded': 'Brouillon supprimé par son organisation',
	'session.created': 'Séance de la commission créée',
	'session.updated': 'Séance de la commission corrigée (date, lieu, intitulé)',
	'session.deleted': 'Séance de la commission supprimée (créée par erreur)',
	'session.state': 'Séance de la commission : changement d’état',
	'session.agenda': 'Ordre du jour modifié',
	'session.attendees': 'Présences modifiées',
	'decision.recorded': 'Décision enregistrée',
	'decision.removed': 'Décision retirée',
	'priority.changed': 'Priorité d’une fiche modifiée',
	'edition.saved': 'Brouillon de bilan enregistré',
	'edition.published': 'Bilan publié',
	'plan.fiche_updated': 'Fiche du plan modifiée',
	'plan.fiche_created': 'Fiche ajoutée au plan',
	// A fiche abandoned stays on the plan's pages: « retiré du plan » is said of the structure.
	'plan.fiche_retired': 'Fiche abandonnée',
	'plan.fiche_status': 'Statut d’une fiche changé par Lot numérique',
	'plan.structure_changed': 'Structure du plan modifiée',
	'plan.structure_retired': 'Axe, orientation ou objectif retiré du plan',
	'plan.organisation_created': 'Organisation créée',
	'plan.organisation_updated': 'Organisation modifiée',
	'plan.organisation_merged': 'Organisations fusionnées',
	'plan.organisation_retired': 'Organisation retirée',
	'plan.imported': 'Plan importé depuis un classeur',
	'audit.purged': 'Journal : purge des événements de sécurité anciens',
	'password.reset_requested': 'Nouveau mot de passe demandé (courriel envoyé)',
	'password.reset': 'Mot de passe réinitialisé par le lien reçu',
	'account.invitation_revoked': 'Invitation révoquée',
	'mail.preferences': 'Préférences de courriel modifiées',
	'campaign.opened': 'Campagne de suivi ouverte',
	'campaign.closed': 'Campagne de suivi close par un administrateur',
	'campaign.dates_changed': 'Échéance ou rappels d’une campagne de suivi modifiés',
	'session.convened': 'Séance de la commission : convoquée',
	'mail.retried': 'Courriels en attente réessayés maintenant'
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

/**
 * Security events: kept `AUDIT_RETENTION` days, then deleted by the retention purge (the database
 * refuses to delete anything else, see migration 2026_11_30_070000_security). Plan decisions,
 * validations and the purges themselves are never purged.
 */
export const SECURITY_ACTIONS: readonly AuditAction[] = [
	'login.success',
	'login.failure',
	'login.throttled',
	'logout',
	'password.changed',
	'password.check_failed',
	'session.ended',
	'access.denied',
	'account.created',
	'account.invited',
	'account.activated',
	'account.disabled',
	'account.enabled',
	'password.reset_requested',
	'password.reset',
	'account.invitation_revoked',
	'mail.preferences'
];

/**
 * Refused pages and actions journaled one by one per account and day; beyond, they are counted
 * (tallyRefusal, subject « compte N »): a signed-in person sending refused requests in a loop
 * added 140 rows a second, kept two years.
 */
export const DENIALS_JOURNALED_PER_DAY = 20;

/**
 * A partner's draft saves journaled one by one per account and day; beyond, counted: saving a
 * draft back and forth (30 %, 31 %…) wrote a row each, kept for ever (security probe).
 */
export const DRAFT_SAVES_JOURNALED_PER_DAY = 50;

/**
 * Refusals counted per day and subject, not one row each: those anyone can cause without an
 * account, and a signed-in account's refused requests beyond DENIALS_JOURNALED_PER_DAY.
 */
export const TALLY_ACTIONS = {
	'login.unknown': 'Connexions refusées : compte inconnu',
	'login.throttled': 'Tentatives refusées pendant un blocage',
	'access.denied': `Accès refusés à un compte au-delà de ${DENIALS_JOURNALED_PER_DAY} dans la journée`,
	'update.conflict': `Enregistrements refusés d’une mise à jour au-delà de ${DENIALS_JOURNALED_PER_DAY} dans la journée`,
	'update.saved': `Brouillons enregistrés par un compte au-delà de ${DRAFT_SAVES_JOURNALED_PER_DAY} dans la journée`
} as const;

export type TallyAction = keyof typeof TALLY_ACTIONS;

/**
 * A refusal of a signed-in account: its own row while the account has had fewer than
 * DENIALS_JOURNALED_PER_DAY today, then one count per account and day. Counted and written in one
 * transaction, so that parallel requests cannot pass the bound together.
 */
export async function recordDenial(db: Db, input: AuditInput & { actor: { id: number } }) {
	await db.transaction().execute((trx) => recordBounded(trx, input, 'access.denied'));
}

/**
 * A refusal that a signed-in account can repeat at will (`access.denied`, a refused save of a
 * progress update): its own row while the account has had fewer than DENIALS_JOURNALED_PER_DAY of
 * that kind today, then one count per account and day. Run in the caller's transaction: counted
 * and written together, parallel requests cannot pass the bound together.
 */
export async function recordBounded(
	trx: Executor,
	input: AuditInput & { actor: { id: number } },
	action: 'access.denied' | 'update.conflict' | 'update.saved',
	now = new Date()
): Promise<void> {
	const n = await countTodaysActions(trx, input.actor.id, action, now);
	const bound =
		action === 'update.saved' ? DRAFT_SAVES_JOURNALED_PER_DAY : DENIALS_JOURNALED_PER_DAY;
	if (n < bound) await recordAudit(trx, { ...input, action }, now);
	else await tallyRefusal(trx, action, `compte ${input.actor.id}`, now);
}

/**
 * How many rows of `action` an account has written today (in Paris: a bound starts again at
 * midnight there, as the journal's days are shown). Read in the caller's transaction, before it
 * writes the next: parallel requests cannot pass a bound together.
 */
export async function countTodaysActions(
	trx: Executor,
	actorId: number,
	action: AuditAction,
	now = new Date()
): Promise<number> {
	return countToday(trx, { actorId, actions: [action] }, now);
}

/**
 * How many rows of these actions were written today (Paris), by an account or about a target
 * (`séance` 12): as countTodaysActions, read in the caller's transaction.
 */
export async function countToday(
	trx: Executor,
	of: {
		actions: readonly AuditAction[];
		actorId?: number;
		target?: { type: string; id: number | string };
	},
	now = new Date()
): Promise<number> {
	const dayStart = parisDayEnd(daysBefore(parisDate(now), 1));
	const { target, actorId } = of;
	const { n } = await trx
		.selectFrom('audit_event')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('occurred_at', '>=', dayStart)
		.where('action', 'in', of.actions)
		.$if(actorId !== undefined, (q) => q.where('actor_id', '=', actorId!))
		.$if(target !== undefined, (q) =>
			q.where('target_type', '=', target!.type).where('target_id', '=', String(target!.id))
		)
		.executeTakeFirstOrThrow();
	return n;
}

/** Distinct subjects counted per kind and day; beyond, they share the row « autres ». */
export const TALLY_SUBJECTS_PER_DAY = 500;
const TALLY_OTHERS = 'autres';

/**
 * Counts one anonymous refusal under its subject ("adresse 192.0.2.7", "compte 12") for the day:
 * the number of rows is bounded by subjects × days, whatever the number of requests.
 */
export async function tallyRefusal(
	db: Executor,
	action: TallyAction,
	subject: string,
	now = new Date()
): Promise<void> {
	const at = now.toISOString();
	const day = parisDate(now);
	const known = await db
		.selectFrom('audit_tally')
		.select('count')
		.where('action', '=', action)
		.where('day', '=', day)
		.where('subject', '=', subject)
		.executeTakeFirst();
	let counted = subject;
	if (!known) {
		const { n } = await db
			.selectFrom('audit_tally')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('action', '=', action)
			.where('day', '=', day)
			.executeTakeFirstOrThrow();
		if (n >= TALLY_SUBJECTS_PER_DAY - 1) counted = TALLY_OTHERS;
	}
	await db
		.insertInto('audit_tally')
		.values({ action, day, subject: counted, count: 1, first_at: at, last_at: at })
		.onConflict((oc) =>
			oc
				.columns(['action', 'day', 'subject'])
				.doUpdateSet((eb) => ({ count: eb('audit_tally.count', '+', 1), last_at: at }))
		)
		.execute();
}

export interface AuditTally {
	action: string;
	actionLabel: string;
	day: string;
	subject: string;
	count: number;
	lastAt: string;
}

/** The day's largest counts first, most recent days first. */
export async function listAuditTallies(db: Executor, limit = 50): Promise<AuditTally[]> {
	const rows = await db
		.selectFrom('audit_tally')
		.select(['action', 'day', 'subject', 'count', 'last_at as lastAt'])
		.orderBy('day', 'desc')
		.orderBy('count', 'desc')
		.limit(limit)
		.execute();
	return rows.map((r) => ({
		...r,
		actionLabel: TALLY_ACTIONS[r.action as TallyAction] ?? r.action
	}));
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The retention purge, the only way rows leave the journal: deletes the security events and the
 * counts older than `retentionDays`, inside an `audit_purge` row that the delete trigger checks,
 * and journals what it removed.
 */
export async function purgeAudit(
	db: Executor,
	retentionDays: number,
	now = new Date()
): Promise<{ events: number; tallies: number; cutoff: string }> {
	const cutoff = new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
	return db.transaction().execute(async (trx) => {
		const purge = await trx
			.insertInto('audit_purge')
			.values({ started_at: now.toISOString(), cutoff, finished_at: null })
			.returning('id')
			.executeTakeFirstOrThrow();
		const events = await trx
			.deleteFrom('audit_event')
			.where('occurred_at', '<', cutoff)
			.where('action', 'in', [...SECURITY_ACTIONS])
			.executeTakeFirst();
		const tallies = await trx
			.deleteFrom('audit_tally')
			.where('last_at', '<', cutoff)
			.executeTakeFirst();
		await trx
			.updateTable('audit_purge')
			.set({ finished_at: now.toISOString() })
			.where('id', '=', purge.id)
			.execute();
		const result = {
			events: Number(events.numDeletedRows),
			tallies: Number(tallies.numDeletedRows),
			cutoff
		};
		if (result.events + result.tallies > 0)
			await recordAudit(
				trx,
				{
					actor: null,
					actorLabel: 'système (purge de conservation)',
					action: 'audit.purged',
					summary: `Conservation de ${retentionDays} jours : ${pluralize(result.events, 'événement', 'événements')} de sécurité et ${pluralize(result.tallies, 'décompte', 'décomptes')} antérieurs au ${formatDate(cutoff)} supprimés`,
					after: result
				},
				now
			);
		return result;
	});
}

export interface AuditInput {
	/** Who acted; null for an anonymous visitor, or for the server itself with `actorLabel`. */
	actor: { id: number; name: string } | null;
	actorLabel?: string;
	action: AuditAction;
	target?: { type: string; id: string | number };
	summary: string;
	before?: unknown;
	after?: unknown;
	clientAddress?: string | null;
}

/**
 * Appends one event to the journal (the table refuses updates and deletes). Callers pass what
 * changed; never a password, token or hash.
 */
export async function recordAudit(
	db: Executor,
	input: AuditInput,
	now = new Date()
): Promise<void> {
	const actorLabel = input.actor?.name ?? input.actorLabel ?? 'anonyme';
	await db
		.insertInto('audit_event')
		.values({
			occurred_at: now.toISOString(),
			actor_id: input.actor?.id ?? null,
			actor_label: actorLabel,
			action: input.action,
			target_type: input.target?.type ?? null,
			target_id: input.target ? String(input.target.id) : null,
			summary: input.summary,
			before_state: input.before === undefined ? null : JSON.stringify(input.before),
			after_state: input.after === undefined ? null : JSON.stringify(input.after),
			client_address: input.clientAddress ?? null,
			search_text: `${foldForSearch(input.summary)}\n${foldForSearch(actorLabel)}`
		})
		.execute();
}

/**
 * What the search reads of a row: its summary and author folded, one line each (the search, folded,
 * has no line break: it matches within one of them). SQLite folds through the portal's function
 * (fold_for_search, db/index.ts), the same as recordAudit's.
 */
function foldedInSql(eb: ExpressionBuilder<Database, 'audit_event'>) {
	return eb(
		eb(eb.fn<string>('fold_for_search', ['summary']), '||', eb.val('\n')),
		'||',
		eb.fn<string>('fold_for_search', ['actor_label'])
	);
}

/**
 * Start-up: gives its search text to each row written before the column existed (once; the
 * journal accepts no other change). A change to foldForSearch needs a migration that empties it.
 */
export async function fillAuditSearchText(db: Executor): Promise<number> {
	const result = await db
		.updateTable('audit_event')
		.set((eb) => ({ search_text: foldedInSql(eb) }))
		.where('search_text', 'is', null)
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

/**
 * The role and organisation an account had at `since`, when they changed after it: what its first
 * role change journaled from then started from; null when none was.
 */
export async function roleHeldAt(
	db: Executor,
	userId: number,
	since: Date
): Promise<{ role: Role; organisationId: number | null } | null> {
	const first = await db
		.selectFrom('audit_event')
		.select('before_state as before')
		.where('action', '=', 'account.role_changed')
		.where('occurred_at', '>=', since.toISOString())
		.where('target_type', '=', 'compte')
		.where('target_id', '=', String(userId))
		.orderBy('id')
		.limit(1)
		.executeTakeFirst();
	return first?.before
		? (JSON.parse(first.before) as { role: Role; organisationId: number | null })
		: null;
}

/**
 * The latest event of `action` by `actorId` (on `target`, when given: an account, a séance, an update,
 * a fiche by its code, an axis, an orientation, an objective or an organisation)
 * journaled at or after `since`; null when none was. With it: its « après » (`after`, as recorded;
 * null when none), the `count` that « après » records (null when none), whether it took something
 * away (`removed`: an « avant » and no « après », as a point withdrawn from a séance's agenda
 * records it). A page's confirmation read from its address (`?fait=`,
 * doneAnswer) checks by it an act its state cannot show.
 */
export async function latestOwnAct(
	db: Executor,
	actorId: number,
	action: AuditAction,
	since: Date,
	target?: { type: string; id: number | string }
): Promise<{ after: unknown; count: number | null; removed: boolean } | null> {
	const row = await db
		.selectFrom('audit_event')
		.select(['before_state as before', 'after_state as after'])
		.where('action', '=', action)
		.where('actor_id', '=', actorId)
		.where('occurred_at', '>=', since.toISOString())
		.$if(target !== undefined, (q) =>
			q.where('target_type', '=', target!.type).where('target_id', '=', String(target!.id))
		)
		.orderBy('id', 'desc')
		.limit(1)
		.executeTakeFirst();
	if (!row) return null;
	const after: unknown = row.after === null ? null : JSON.parse(row.after);
	const count = (after as { count?: unknown } | null)?.count;
	return {
		after,
		count: typeof count === 'number' ? count : null,
		removed: row.before !== null && row.after === null
	};
}

/**
 * How many elements the latest import of the plan by `actorId` recorded, read from its journal
 * entry (one change a row of `after`); undefined when that person never imported the plan.
 */
export async function latestPlanImportCount(
	db: Executor,
	actorId: number
): Promise<number | undefined> {
	const row = await db
		.selectFrom('audit_event')
		.select('after_state as after')
		.where('action', '=', 'plan.imported')
		.where('actor_id', '=', actorId)
		.orderBy('id', 'desc')
		.limit(1)
		.executeTakeFirst();
	if (!row) return undefined;
	const changes: unknown = row.after === null ? [] : JSON.parse(row.after);
	return Array.isArray(changes) ? changes.length : 0;
}

export interface AuditFilters {
	action?: AuditAction;
	actorId?: number;
	from?: string;
	to?: string;
	text?: string;
}

export interface AuditEntry {
	id: number;
	occurredAt: string;
	actorLabel: string;
	/** The address of the account that acted (as it is now), or null when none did. */
	actorEmail: string | null;
	action: string;
	actionLabel: string;
	target: string | null;
	summary: string;
	before: string | null;
	after: string | null;
	clientAddress: string | null;
}

const AUDIT_PAGE_SIZE = 100;

/** The actions whose rows say which change they record (the `kind` of their « après »). */
const ACTIONS_OF_KINDS: readonly string[] = ['session.agenda', 'session.attendees'];

/**
 * The journal's « Quoi » of a row: its action's words and, for a séance's agenda and attendees,
 * which change it records (« Ordre du jour modifié : point libre ajouté », SITTING_CHANGE_LABELS).
 * A point or a person taken off, or a row written before they recorded it: the action's words.
 */
function auditActionLabel(action: string, after: string | null): string {
	const label = AUDIT_ACTIONS[action as AuditAction] ?? action;
	if (!ACTIONS_OF_KINDS.includes(action) || after === null) return label;
	const kind = sittingChangeKind(JSON.parse(after));
	return kind ? `${label}\u00a0: ${SITTING_CHANGE_LABELS[kind]}` : label;
}

/** The plan's levels as the structure forms journal them, in French (« [objectif 4] »). */
const TARGET_TYPE_LABELS: Record<string, string> = {
	axis: 'axe',
	orientation: 'orientation',
	objective: 'objectif'
};

export async function listAuditEvents(
	db: Executor,
	filters: AuditFilters,
	page = 1
): Promise<{
	entries: AuditEntry[];
	hasMore: boolean;
	/** The organisations the page's rows name by number, as named now (auditChanges). */
	organisationNames: Record<number, string>;
}> {
	// Summaries write no-break spaces (« 4 décisions », « 1 200 ») where a search is typed with
	// plain ones, and a text copied from a page brings them back: both sides read as plain spaces,
	// without case or accents (foldForSearch: « emilie » finds « Émilie »), folded once per row
	// (`search_text`), so that a word found nowhere scans without calling JavaScript per row. The
	// person who acted is searched too (« Claire Martin »).
	const text = filters.text ? foldForSearch(filters.text) : '';
	// A row's text is folded when it is written: an organisation renamed since is found there by
	// its former name only, while the page names it as it is now (« avant → après »). The rows that
	// name an organisation by number (its own changes, an account's or a campaign's organisation)
	// are found by its name of today too.
	const named = text ? await organisationIdsNamed(db, text) : [];
	const rows = await db
		.selectFrom('audit_event')
		.select([
			'id',
			'occurred_at as occurredAt',
			'actor_label as actorLabel',
			// The account's address, to name it unambiguously (`accountLabel`); null for the
			// server, a command or a visitor.
			(eb) =>
				eb
					.selectFrom('user_account')
					.select('user_account.email')
					.whereRef('user_account.id', '=', 'audit_event.actor_id')
					.as('actorEmail'),
			'action',
			'target_type as targetType',
			'target_id as targetId',
			'summary',
			'before_state as before',
			'after_state as after',
			'client_address as clientAddress'
		])
		.$if(Boolean(filters.action), (q) => q.where('action', '=', filters.action!))
		.$if(filters.actorId !== undefined, (q) => q.where('actor_id', '=', filters.actorId!))
		.$if(Boolean(filters.from), (q) => q.where('occurred_at', '>=', filters.from!))
		.$if(Boolean(filters.to), (q) => q.where('occurred_at', '<', filters.to!))
		.$if(Boolean(text), (q) =>
			q.where((eb) => {
				const folded = eb.fn.coalesce('search_text', foldedInSql(eb));
				const found = eb(eb.fn('instr', [folded, eb.val(text)]), '>', 0);
				if (named.length === 0) return found;
				const names = (column: 'before_state' | 'after_state', path: string) =>
					eb(eb.fn('json_extract', [column, eb.val(path)]), 'in', named);
				return eb.or([
					found,
					eb.and([
						eb('target_type', '=', 'organisation'),
						eb('target_id', 'in', named.map(String))
					]),
					names('before_state', '$.organisationId'),
					names('after_state', '$.organisationId'),
					names('after_state', '$.scope.organisationId')
				]);
			})
		)
		.orderBy('occurred_at', 'desc')
		.orderBy('id', 'desc')
		.limit(AUDIT_PAGE_SIZE + 1)
		.offset((page - 1) * AUDIT_PAGE_SIZE)
		.execute();
	const shown = rows.slice(0, AUDIT_PAGE_SIZE);
	return {
		hasMore: rows.length > AUDIT_PAGE_SIZE,
		organisationNames: await organisationNames(db, journaledOrganisationIds(shown)),
		entries: shown.map(({ targetType, targetId, ...r }) => ({
			...r,
			actionLabel: auditActionLabel(r.action, r.after),
			target: targetType
				? `${TARGET_TYPE_LABELS[targetType] ?? targetType} ${targetId ?? ''}`.trim()
				: null
		}))
	};
}

/**
 * The organisations whose name today holds `folded` (a search folded by foldForSearch, as
 * `search_text` is): a few hundred rows at most, folded by the same function.
 */
async function organisationIdsNamed(db: Executor, folded: string): Promise<number[]> {
	const rows = await db
		.selectFrom('organisation')
		.select('id')
		.where((eb) => eb(eb.fn('instr', [eb.fn('fold_for_search', ['name']), eb.val(folded)]), '>', 0))
		.execute();
	return rows.map((r) => r.id);
}

/** The names of these organisations, in one query; an id no longer in the table is left out. */
async function organisationNames(db: Executor, ids: number[]): Promise<Record<number, string>> {
	if (ids.length === 0) return {};
	const rows = await db
		.selectFrom('organisation')
		.select(['id', 'name'])
		.where('id', 'in', ids)
		.execute();
	return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}
