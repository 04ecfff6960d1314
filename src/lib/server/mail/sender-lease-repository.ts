import { sql } from 'kysely';
import type { Executor } from '../db';

/** Who holds the right to send this database's mail (the one row of `mail_sender`). */
export interface SenderLeaseRow {
	holder: string;
	process: string;
	host: string;
	pid: number;
	/** The database file, as SQLite names it ('' in memory). */
	database: string;
	leaseUntil: number;
}

/** The file of the database `db` reads and writes, as SQLite names it ('' for one in memory). */
export async function databaseFile(db: Executor): Promise<string> {
	const { rows } = await sql<{
		file: string;
	}>`SELECT file FROM pragma_database_list WHERE name = 'main'`.execute(db);
	return rows[0]?.file ?? '';
}

export async function readSenderLease(db: Executor): Promise<SenderLeaseRow | undefined> {
	return db
		.selectFrom('mail_sender')
		.select(['holder', 'process', 'host', 'pid', 'database', 'lease_until as leaseUntil'])
		.where('id', '=', 1)
		.executeTakeFirst();
}

/**
 * Takes the lease for `claimant` until `leaseUntil`, in one statement: when nobody holds it, when
 * `claimant` already does, when it ran out at `now`, or when it is `goneHolder`'s (a sender whose
 * process is known to be dead, or that sends for another file). Returns whether `claimant` holds it now.
 */
export async function takeSenderLease(
	db: Executor,
	claimant: Omit<SenderLeaseRow, 'leaseUntil'>,
	now: number,
	leaseUntil: number,
	goneHolder: string | null
): Promise<boolean> {
	const result = await db
		.insertInto('mail_sender')
		.values({ id: 1, ...claimant, lease_until: leaseUntil })
		.onConflict((oc) =>
			oc
				.column('id')
				.doUpdateSet((eb) => ({
					holder: eb.ref('excluded.holder'),
					process: eb.ref('excluded.process'),
					host: eb.ref('excluded.host'),
					pid: eb.ref('excluded.pid'),
					database: eb.ref('excluded.database'),
					lease_until: eb.ref('excluded.lease_until')
				}))
				.where((eb) =>
					eb.or([
						eb('mail_sender.holder', '=', claimant.holder),
						eb('mail_sender.lease_until', '<=', now),
						...(goneHolder === null ? [] : [eb('mail_sender.holder', '=', goneHolder)])
					])
				)
		)
		.executeTakeFirst();
	return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Pushes the lease of `holder` back to `leaseUntil`; false when another sender holds it now. */
export async function renewSenderLease(
	db: Executor,
	holder: string,
	leaseUntil: number
): Promise<boolean> {
	const result = await db
		.updateTable('mail_sender')
		.set({ lease_until: leaseUntil })
		.where('id', '=', 1)
		.where('holder', '=', holder)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) > 0;
}

/** Gives the lease up (the sender stops): another process may send at once. */
export async function releaseSenderLease(db: Executor, holder: string): Promise<void> {
	await db.deleteFrom('mail_sender').where('holder', '=', holder).execute();
}
