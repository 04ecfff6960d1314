import type { Db } from '../db';
import { recordAudit } from '../audit/repository';
import type { User } from '../auth/users';
import { buildPublication } from './snapshot';
import { loadDashboardInput } from '../dashboard/repository';
import { OpenDataSet } from '../opendata/resources';
import { insertEditionFiles, listEditionsWithoutFiles } from './repository';
import { refuse, type ServiceResult } from '../result';

export interface DraftInput {
	year: number;
	asOf: string;
	intro: string;
	axisTexts: Record<string, string>;
	changeNote: string | null;
}

export type EditionResult<T = object> = ServiceResult<T>;

/** Creates or updates the draft of a year; its version follows the last published one. */
export async function saveEditionDraft(
	db: Db,
	admin: User | null,
	input: DraftInput,
	clientAddress: string | null = null,
	now = new Date()
): Promise<EditionResult<{ id: number }>> {
	return db.transaction().execute(async (trx) => {
		const published = await trx
			.selectFrom('edition')
			.select((eb) => eb.fn.max('version').as('v'))
			.where('year', '=', input.year)
			.where('state', '=', 'published')
			.executeTakeFirst();
		const lastVersion = Number(published?.v ?? 0);
		if (lastVersion > 0 && !input.changeNote) {
			return refuse(
				400,
				`Le bilan ${input.year} est déjà publié : une correction en fait une nouvelle version, dites ce qui change (note de correction).`
			);
		}
		const values = {
			as_of: input.asOf,
			intro: input.intro,
			axis_texts: JSON.stringify(input.axisTexts),
			change_note: lastVersion > 0 ? input.changeNote : null
		};
		const draft = await trx
			.selectFrom('edition')
			.select('id')
			.where('year', '=', input.year)
			.where('state', '=', 'draft')
			.executeTakeFirst();
		let id: number;
		if (draft) {
			await trx.updateTable('edition').set(values).where('id', '=', draft.id).execute();
			id = draft.id;
		} else {
			id = (
				await trx
					.insertInto('edition')
					.values({
						year: input.year,
						version: lastVersion + 1,
						state: 'draft',
						snapshot: null,
						created_by: admin?.id ?? null,
						created_at: now.toISOString(),
						published_by: null,
						published_at: null,
						...values
					})
					.returning('id')
					.executeTakeFirstOrThrow()
			).id;
		}
		await recordAudit(
			trx,
			{
				actor: admin,
				action: 'edition.saved',
				target: { type: 'bilan', id },
				summary: `Brouillon du bilan ${input.year} enregistré (au ${input.asOf})`,
				clientAddress
			},
			now
		);
		return { ok: true as const, id };
	});
}

/** Freezes the snapshot of a draft and makes it the public edition of its year. */
export async function publishEdition(
	db: Db,
	admin: User | null,
	id: number,
	clientAddress: string | null = null,
	now = new Date()
): Promise<EditionResult<{ year: number; version: number }>> {
	return db.transaction().execute(async (trx) => {
		const edition = await trx
			.selectFrom('edition')
			.selectAll()
			.where('id', '=', id)
			.executeTakeFirst();
		if (!edition) return refuse(404, 'Ce bilan n’existe pas.');
		if (edition.state === 'published') return refuse(409, 'Ce bilan est déjà publié.');
		const publishedAt = now.toISOString();
		const { snapshot, files } = await buildPublication(
			trx,
			{
				year: edition.year,
				version: edition.version,
				asOf: edition.as_of,
				intro: edition.intro,
				axisTexts: JSON.parse(edition.axis_texts) as Record<string, string>,
				changeNote: edition.change_note
			},
			publishedAt
		);
		await trx
			.updateTable('edition')
			.set({
				state: 'published',
				snapshot: JSON.stringify(snapshot),
				published_by: admin?.id ?? null,
				published_at: publishedAt
			})
			.where('id', '=', id)
			.execute();
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
		return { ok: true as const, year: edition.year, version: edition.version };
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
			const state = await loadDashboardInput(trx, edition.as_of);
			const openData = new OpenDataSet(trx, {
				generatedAt: edition.published_at ?? edition.created_at,
				edition: { asOf: edition.as_of, state, year: edition.year, version: edition.version }
			});
			await insertEditionFiles(trx, edition.id, await openData.all());
		});
	return editions.length;
}
