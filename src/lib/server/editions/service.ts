import type { Db } from '../db';
import { recordAudit } from '../audit/repository';
import type { User } from '../auth/users';
import { buildPublication } from './snapshot';
import { loadDashboardInput } from '../dashboard/repository';
import { OpenDataSet } from '../opendata/resources';
import {
	findEdition,
	insertEditionFiles,
	lastPublishedVersion,
	listEditionsWithoutFiles,
	markPublished,
	upsertDraft
} from './repository';
import { ok, refuse, type Result } from '../result';
import { formatDate } from '../../utils/format';

export interface DraftInput {
	year: number;
	asOf: string;
	intro: string;
	axisTexts: Record<string, string>;
	changeNote: string | null;
}

/** Creates or updates the draft of a year; its version follows the last published one. */
export async function saveEditionDraft(
	db: Db,
	admin: User | null,
	input: DraftInput,
	clientAddress: string | null = null,
	now = new Date()
): Promise<Result<{ id: number }>> {
	return db.transaction().execute(async (trx) => {
		const lastVersion = await lastPublishedVersion(trx, input.year);
		if (lastVersion > 0 && !input.changeNote) {
			const message = `Le bilan ${input.year} est déjà publié : une correction en fait une nouvelle version, dites ce qui change (note de correction).`;
			return refuse(400, message, { fieldErrors: { change_note: message } });
		}
		const id = await upsertDraft(trx, {
			...input,
			changeNote: lastVersion > 0 ? input.changeNote : null,
			version: lastVersion + 1,
			createdBy: admin?.id ?? null,
			at: now.toISOString()
		});
		await recordAudit(
			trx,
			{
				actor: admin,
				action: 'edition.saved',
				target: { type: 'bilan', id },
				summary: `Brouillon du bilan ${input.year} enregistré (au ${formatDate(input.asOf)})`,
				clientAddress
			},
			now
		);
		return ok({ id });
	});
}

/** Freezes the snapshot of a draft and makes it the public edition of its year. */
export async function publishEdition(
	db: Db,
	admin: User | null,
	id: number,
	clientAddress: string | null = null,
	now = new Date()
): Promise<Result<{ year: number; version: number }>> {
	return db.transaction().execute(async (trx) => {
		const edition = await findEdition(trx, id);
		if (!edition) return refuse(404, 'Ce bilan n’existe pas.');
		if (edition.state === 'published') return refuse(409, 'Ce bilan est déjà publié.');
		const publishedAt = now.toISOString();
		const { snapshot, texts, files } = await buildPublication(
			trx,
			{
				year: edition.year,
				version: edition.version,
				asOf: edition.asOf,
				intro: edition.intro,
				axisTexts: edition.axisTexts,
				changeNote: edition.changeNote
			},
			publishedAt
		);
		await markPublished(trx, id, {
			snapshot: JSON.stringify(snapshot),
			texts: JSON.stringify(texts),
			publishedBy: admin?.id ?? null,
			at: publishedAt
		});
		await insertEditionFiles(trx, id, files);
		await recordAudit(
			trx,
			{
				actor: admin,
				action: 'edition.published',
				target: { type: 'bilan', id },
				summary: `Bilan ${edition.year} publié (version ${edition.version})`,
				clientAddress
			},
			now
		);
		return ok({ year: edition.year, version: edition.version });
	});
}

/**
 * Editions published before `sdusn/plan@2` kept only their plan@1 document: their plan@2 files are
 * computed once, as of their date, and frozen like those of any edition published since.
 */
export async function freezeEditionsWithoutFiles(db: Db): Promise<number> {
	const editions = await listEditionsWithoutFiles(db);
	for (const edition of editions)
		await db.transaction().execute(async (trx) => {
			const state = await loadDashboardInput(trx, edition.asOf);
			const openData = new OpenDataSet(trx, {
				generatedAt: edition.publishedAt ?? edition.createdAt,
				edition: { asOf: edition.asOf, state, year: edition.year, version: edition.version }
			});
			await insertEditionFiles(trx, edition.id, await openData.all());
		});
	return editions.length;
}
