import type { Executor } from '../db';
import type { SittingFacts } from '../db/schema';
import { fromLiveSittings } from './repository';
import type { ClosingWritten, ConvocationWritten } from './types';

/**
 * What a séance's mailings read and write: the séance as its convocation announces it, its agenda,
 * the organisations of its fiches, and what its last convocation announced (`convened_as`).
 */

/** A séance as its mailings read it: its facts, its state and what its last convocation announced. */
export async function findSittingForNotice(db: Executor, sittingId: number) {
	return fromLiveSittings(db)
		.select([
			'id',
			'title',
			'held_on as heldOn',
			'starts_at as startsAt',
			'place',
			'state',
			'convened_at as convenedAt',
			'convened_as as convenedAs'
		])
		.where('id', '=', sittingId)
		.executeTakeFirst();
}

/**
 * What the last convocation announced (`convened_as`): the facts, and, since 2026-12-05, its agenda
 * (one line per point) and the accounts it was written to; since 2026-12-13, the lines each partner
 * among them read (their fiches only), by account. Older rows have less.
 */
export interface Convened extends SittingFacts {
	agenda?: string[];
	recipients?: number[];
	partnerAgenda?: Record<number, string[]>;
	/**
	 * What it wrote, as its convener (`by`) read it (`ConvocationWritten`): its summary, read again
	 * on the page its form led to without script (`?fait=convocation`). Absent from a convocation
	 * sent before it was kept.
	 */
	written?: ConvocationWritten & { by: number };
}

/** A sitting's agenda, in order: its fiches (`ficheId`, `code`) and its free points (title only). */
export async function agendaOfSitting(
	db: Executor,
	sittingId: number
): Promise<{ ficheId: number | null; code: string | null; title: string }[]> {
	const items = await db
		.selectFrom('agenda_item')
		.leftJoin('fiche', 'fiche.id', 'agenda_item.fiche_id')
		.select([
			'fiche.id as ficheId',
			'fiche.code',
			'fiche.title as ficheTitle',
			'agenda_item.title as itemTitle'
		])
		.where('agenda_item.session_id', '=', sittingId)
		.orderBy('agenda_item.position')
		.execute();
	return items.map((i) => ({
		ficheId: i.ficheId,
		code: i.code,
		title: i.ficheTitle ?? i.itemTitle ?? ''
	}));
}

/** Organisations that carry or partner one of the fiches, with the fiches concerned. */
export async function organisationsOfFiches(
	db: Executor,
	ficheIds: number[]
): Promise<{ organisationId: number; ficheId: number }[]> {
	if (ficheIds.length === 0) return [];
	const owners = await db
		.selectFrom('fiche_owner')
		.select(['organisation_id as organisationId', 'fiche_id as ficheId'])
		.where('fiche_id', 'in', ficheIds)
		.execute();
	const partners = await db
		.selectFrom('fiche_partner')
		.select(['organisation_id as organisationId', 'fiche_id as ficheId'])
		.where('fiche_id', 'in', ficheIds)
		.execute();
	const seen = new Set<string>();
	return [...owners, ...partners].filter((r) => {
		const key = `${r.organisationId}:${r.ficheId}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

/** The séance's convocation was sent at `at` (a deletion afterwards tells those convened). */
export async function markSittingConvened(
	db: Executor,
	sittingId: number,
	at: number,
	facts: Convened
) {
	await db
		.updateTable('commission_session')
		.set({ convened_at: at, convened_as: JSON.stringify(facts) })
		.where('id', '=', sittingId)
		.execute();
}

/** What the séance's closing wrote (`closing_written`), kept for its closer's summary. */
export async function markSittingClosingWritten(
	db: Executor,
	sittingId: number,
	written: ClosingWritten
) {
	await db
		.updateTable('commission_session')
		.set({ closing_written: JSON.stringify(written) })
		.where('id', '=', sittingId)
		.execute();
}

/**
 * What the closing of this séance wrote (`markSittingClosingWritten`), with who closed it (its
 * `closed_by`); null: none kept. A row kept before the closer was left to `closed_by` still holds
 * a `by`, unread.
 */
export async function findClosingWritten(
	db: Executor,
	sittingId: number
): Promise<{ written: ClosingWritten; closedBy: number | null } | null> {
	const row = await db
		.selectFrom('commission_session')
		.select(['closing_written as written', 'closed_by as closedBy'])
		.where('id', '=', sittingId)
		.executeTakeFirst();
	return row?.written
		? { written: JSON.parse(row.written) as ClosingWritten, closedBy: row.closedBy }
		: null;
}

/**
 * The names of these accounts and of their organisation (null: none), for a summary that names
 * those a mailing did not reach; an account no longer there is left out.
 */
export async function findAccountNames(
	db: Executor,
	ids: number[]
): Promise<Map<number, { name: string; organisation: string | null }>> {
	if (ids.length === 0) return new Map();
	const rows = await db
		.selectFrom('user_account')
		.leftJoin('organisation', 'organisation.id', 'user_account.organisation_id')
		.select(['user_account.id', 'user_account.name', 'organisation.name as organisation'])
		.where('user_account.id', 'in', ids)
		.execute();
	return new Map(rows.map(({ id, ...names }) => [id, names]));
}
