import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestUser, PEOPLE } from '../auth/testing';
import type { User } from '../auth/users';
import { moveFiche } from '../authoring/testing';
import type { Db } from '../db';
import { createTestDb } from '../db/testing';
import { createPartner } from '../progress/testing';
import { deleteSitting, SITTINGS_LINK, sittingFileView } from './service';
import { heldSitting, preparedSitting } from './testing';
import { SITTING_NOT_FOUND, SITTING_NOT_FOUND_OR_UNPUBLISHED } from '../../utils/vocabulary';

// What the file of a fiche for a séance answers, as the one result shape: the file, the code the
// fiche moved to, or a refusal (the page turns each into its answer).

let db: Db;
let admin: User;
let member: User;

beforeEach(async () => {
	db = await createTestDb();
	admin = await createTestUser(db, PEOPLE.admin);
	member = await createTestUser(db, PEOPLE.claude);
});
afterEach(async () => {
	await db.destroy();
});

describe('sittingFileView', () => {
	it('gives the file of a fiche on the agenda', async () => {
		const { sittingId } = await heldSitting(db, admin, { fiches: ['6-1'] });
		const answer = await sittingFileView(db, member, sittingId, '6-1');
		expect(answer).toMatchObject({ ok: true, value: { file: { fiche: { code: '6-1' } } } });
	});

	it('gives the code a fiche on the agenda moved to, for the page to redirect there', async () => {
		const { sittingId } = await heldSitting(db, admin, { fiches: ['6-1'] });
		const moved = await moveFiche(db, admin, '6-1', 1, new Date());
		if (!moved.ok) throw new Error(moved.message);
		expect(await sittingFileView(db, member, sittingId, '6-1')).toEqual({
			ok: true,
			value: { movedTo: moved.value.code }
		});
	});

	it('tells a member why a fiche off the agenda has no file; refuses anyone else as for any file', async () => {
		const { sittingId } = await heldSitting(db, admin, { fiches: ['6-1'], closed: true });
		expect(await sittingFileView(db, member, sittingId, '1-1')).toEqual({
			ok: false,
			status: 404,
			message:
				'La fiche 1-1 n’est pas à l’ordre du jour de cette séance : elle n’y a pas de dossier de préparation.'
		});
		const partner = await createPartner(db, 'cdg46', 'paul@cdg46.fr');
		expect(await sittingFileView(db, partner, sittingId, '1-1')).toMatchObject({
			ok: false,
			status: 403,
			reason: 'forbidden'
		});
	});

	// Review s59: a partner read 403 for a séance in preparation, 404 for a number of none.
	it('answers a séance not published as one that does not exist to whoever may not read it', async () => {
		// In preparation, not convened: not even its partners read their fiche's file yet.
		const sittingId = await preparedSitting(db, admin, { fiches: ['6-1'] });
		const partner = await createPartner(db, 'cdg46', 'paul@cdg46.fr');
		const unknown = { ok: false, status: 404, message: SITTING_NOT_FOUND_OR_UNPUBLISHED };
		expect(await sittingFileView(db, partner, 999_999, '1-1')).toEqual(unknown);
		expect(await sittingFileView(db, partner, sittingId, '1-1')).toEqual(unknown);
		expect(await sittingFileView(db, partner, sittingId, '6-1')).toEqual(unknown);
		// A former code leads to the new one for both alike (a redirect for one only would tell).
		const moved = await moveFiche(db, admin, '1-1', 2, new Date());
		if (!moved.ok) throw new Error(moved.message);
		for (const id of [sittingId, 999_999])
			expect(await sittingFileView(db, partner, id, '1-1')).toEqual({
				ok: true,
				value: { movedTo: moved.value.code }
			});
	});

	// Review s59: a closed séance's file titled « Fiche 3-2 » the fiche its relevé names « 9-1
	// (aujourd’hui 3-2) ».
	it('names the fiche of a closed séance by its code then, beside today’s', async () => {
		const { sittingId } = await heldSitting(db, admin, { fiches: ['6-1'], closed: true });
		const moved = await moveFiche(db, admin, '6-1', 1, new Date());
		if (!moved.ok) throw new Error(moved.message);
		expect(await sittingFileView(db, member, sittingId, moved.value.code)).toMatchObject({
			ok: true,
			value: { file: { fiche: { code: moved.value.code, codeThen: '6-1' } } }
		});
		const open = await heldSitting(db, admin, { fiches: [moved.value.code], title: 'Suite' });
		expect(await sittingFileView(db, member, open.sittingId, moved.value.code)).toMatchObject({
			ok: true,
			value: { file: { fiche: { code: moved.value.code, codeThen: moved.value.code } } }
		});
	});

	it('says a séance was deleted to a member, with the link to the séances', async () => {
		const { sittingId } = await heldSitting(db, admin, { fiches: ['6-1'] });
		expect(await sittingFileView(db, member, 999_999, '6-1')).toEqual({
			ok: false,
			status: 404,
			message: SITTING_NOT_FOUND
		});
		const deleted = await deleteSitting(db, admin, sittingId, null);
		if (!deleted.ok) throw new Error(deleted.message);
		expect(await sittingFileView(db, member, sittingId, '6-1')).toMatchObject({
			ok: false,
			status: 404,
			reason: 'sitting-deleted',
			message: expect.stringContaining('supprimée (créée par erreur)'),
			next: SITTINGS_LINK
		});
	});
});
