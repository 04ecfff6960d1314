import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';

type Executor = Kysely<Database> | Transaction<Database>;

export const AUDIT_ACTIONS = {
	'login.success': 'Connexion réussie',
	'login.failure': 'Connexion refusée',
	'login.throttled': 'Connexion bloquée (trop de tentatives)',
	logout: 'Déconnexion',
	'password.changed': 'Mot de passe modifié',
	'session.ended': 'Sessions terminées',
	'access.denied': 'Accès refusé',
	'account.created': 'Compte créé',
	'account.invited': 'Invitation créée',
	'account.activated': 'Invitation utilisée',
	'account.disabled': 'Compte désactivé',
	'account.enabled': 'Compte réactivé',
	'update.saved': 'Mise à jour enregistrée (brouillon)',
	'update.submitted': 'Mise à jour soumise',
	'update.validated': 'Mise à jour validée',
	'update.returned': 'Mise à jour renvoyée',
	'update.conflict': 'Enregistrement refusé (modification concurrente)',
	'update.withdrawn': 'Mise à jour retirée (revenue en brouillon)',
	'session.created': 'Séance de la commission créée',
	'session.state': 'Séance de la commission : changement d’état',
	'session.agenda': 'Ordre du jour modifié',
	'session.attendees': 'Présences modifiées',
	'decision.recorded': 'Décision enregistrée',
	'priority.changed': 'Priorité d’une fiche modifiée',
	'edition.saved': 'Brouillon de bilan enregistré',
	'edition.published': 'Bilan publié'
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export interface AuditInput {
	actor: { id: number; name: string } | null;
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
	await db
		.insertInto('audit_event')
		.values({
			occurred_at: now.toISOString(),
			actor_id: input.actor?.id ?? null,
			actor_label: input.actor?.name ?? 'anonyme',
			action: input.action,
			target_type: input.target?.type ?? null,
			target_id: input.target ? String(input.target.id) : null,
			summary: input.summary,
			before_state: input.before === undefined ? null : JSON.stringify(input.before),
			after_state: input.after === undefined ? null : JSON.stringify(input.after),
			client_address: input.clientAddress ?? null
		})
		.execute();
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
	action: string;
	actionLabel: string;
	target: string | null;
	summary: string;
	before: string | null;
	after: string | null;
	clientAddress: string | null;
}

export const AUDIT_PAGE_SIZE = 100;

export async function listAuditEvents(
	db: Executor,
	filters: AuditFilters,
	page = 1
): Promise<{ entries: AuditEntry[]; hasMore: boolean }> {
	let query = db.selectFrom('audit_event').selectAll();
	if (filters.action) query = query.where('action', '=', filters.action);
	if (filters.actorId !== undefined) query = query.where('actor_id', '=', filters.actorId);
	if (filters.from) query = query.where('occurred_at', '>=', filters.from);
	if (filters.to) query = query.where('occurred_at', '<', filters.to);
	if (filters.text) {
		const text = filters.text.toLowerCase();
		query = query.where((eb) =>
			eb(eb.fn('instr', [eb.fn('lower', ['summary']), eb.val(text)]), '>', 0)
		);
	}
	const rows = await query
		.orderBy('occurred_at', 'desc')
		.orderBy('id', 'desc')
		.limit(AUDIT_PAGE_SIZE + 1)
		.offset((page - 1) * AUDIT_PAGE_SIZE)
		.execute();
	return {
		hasMore: rows.length > AUDIT_PAGE_SIZE,
		entries: rows.slice(0, AUDIT_PAGE_SIZE).map((r) => ({
			id: r.id,
			occurredAt: r.occurred_at,
			actorLabel: r.actor_label,
			action: r.action,
			actionLabel: AUDIT_ACTIONS[r.action as AuditAction] ?? r.action,
			target: r.target_type ? `${r.target_type} ${r.target_id ?? ''}`.trim() : null,
			summary: r.summary,
			before: r.before_state,
			after: r.after_state,
			clientAddress: r.client_address
		}))
	};
}
