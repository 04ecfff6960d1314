// `npm run bench -- --only journal`: the journal's search (/admin/journal) on 200,000 rows, the
// same searches before and after each row's folded text is written (`search_text`, migration
// 2026_12_09_110000): before, SQLite calls the JavaScript fold for every row it reads, as every
// search did until then. Runs in this process on a database of its own; no server.
import { join } from 'node:path';
import { fillAuditSearchText, listAuditEvents } from '../../src/lib/server/audit/repository';
import { openDatabase } from '../../src/lib/server/db/index';
import { pluralize } from '../../src/lib/utils/format';
import { addJournalOrganisation, writeUnfoldedJournal } from './journal-repository';
import { migrateToLatest } from '../../src/lib/server/db/migrate';

const ROWS = 200_000;
/**
 * A word found nowhere (every row read), one found in a third of the rows, one found once; an
 * organisation's name of today found in no row's text but named by number in one row in eight,
 * and one named by no row (every row read, and the organisation numbers of those that have one).
 */
const SEARCHES = ['introuvable', 'emilie', 'poste 199999', 'quercy', 'segala'];

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
	const start = performance.now();
	const value = await run();
	return [value, performance.now() - start];
}

export async function benchJournal(dir: string): Promise<void> {
	const db = openDatabase(join(dir, 'journal.db'));
	try {
		await migrateToLatest(db);
		const organisation = await addJournalOrganisation(db, 'syndicat-quercy', 'Syndicat du Quercy');
		await addJournalOrganisation(db, 'segala', 'Communauté du Ségala');
		await writeUnfoldedJournal(db, ROWS, organisation);
		const before: number[] = [];
		for (const text of SEARCHES) before.push((await timed(() => listAuditEvents(db, { text })))[1]);
		const [filled, fillMs] = await timed(() => fillAuditSearchText(db));
		console.log(
			`Journal de ${pluralize(ROWS, 'ligne', 'lignes')} : texte de recherche écrit pour ${pluralize(filled, 'ligne', 'lignes')} en ${Math.round(fillMs)} ms (une fois, au premier démarrage après la mise à jour).`
		);
		for (const [i, text] of SEARCHES.entries()) {
			const [result, ms] = await timed(() => listAuditEvents(db, { text }));
			console.log(
				`  « ${text} » (${pluralize(result.entries.length, 'ligne montrée', 'lignes montrées')}) : ${Math.round(before[i]!)} ms → ${Math.round(ms)} ms (× ${(before[i]! / ms).toFixed(1)})`
			);
		}
	} finally {
		await db.destroy();
	}
}
